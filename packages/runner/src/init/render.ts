/** The pipeline.yaml `kiln init` writes: every guessed choice with its reason as a comment beside it. */
import type { ColumnGuess } from './columns.ts';
import type { TaskGuess } from './task.ts';

/** Everything the file is written from. */
export interface InitPlan {
  name: string;
  /** How the user ran it, for the header comment. */
  command: string;
  source: { type: 'csv' | 'jsonl' | 'json'; path: string };
  rows: number;
  sampled: number;
  columns: ColumnGuess[];
  target: { name: string; task: TaskGuess };
  /** The pipeline JSON Schema relative to the written file, for editors' completion and checks. */
  schema?: string;
}

const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;
/** A YAML scalar safe in flow context: plain when it cannot be misread, else double-quoted (JSON's quoting is YAML's). */
export function scalar(s: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_ ().$/-]*$/.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !/ #|: /.test(s);
  return plain ? s : JSON.stringify(s);
}

/** The feature entry of one guess (flow mapping). */
function featureLine(g: ColumnGuess): string {
  const name = scalar(g.name);
  if (g.kind === 'numeric') return `{ name: ${name}, type: numeric${g.fillMissing ? ', missing: mean' : ''} }`;
  if (g.kind === 'category') return `{ name: ${name}, type: category }`;
  if (g.kind === 'date') return `{ name: ${name}, type: date${g.format ? `, format: ${scalar(g.format)}` : ''}${g.fillMissing ? ', missing: mean' : ''} }`;
  if (g.kind === 'text') return `{ name: ${name}, type: text, vocabSize: ${g.vocabSize ?? 10000}, maxLength: ${g.maxLength ?? 64} }`;
  return `{ name: ${name}, type: category }`;
}

/** Which guesses become features: tabular columns, or a single text column when there is nothing else (a stack cannot mix them). */
export function usedColumns(columns: ColumnGuess[]): { used: ColumnGuess[]; textLeftOut: ColumnGuess[] } {
  const tabular = columns.filter((g) => g.kind === 'numeric' || g.kind === 'category' || g.kind === 'date');
  const text = columns.filter((g) => g.kind === 'text');
  if (tabular.length > 0 || text.length === 0) return { used: tabular, textLeftOut: text };
  const [first, ...rest] = text;
  return { used: first ? [first] : [], textLeftOut: rest };
}

const OUTPUT: Record<TaskGuess['type'], (k: number) => { units: number; activation: string; loss: string; metrics: string; why: string }> = {
  binary: () => ({ units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy', metrics: '[accuracy, f1, auc]', why: 'binary cross-entropy on one sigmoid output (the probability of the positive class)' }),
  multiclass: (k) => ({ units: k, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', metrics: '[accuracy, f1]', why: `sparse categorical cross-entropy on ${k} softmax outputs, one per class (f1 is the macro average over classes)` }),
  regression: () => ({ units: 1, activation: 'linear', loss: 'mse', metrics: '[rmse, mae, r2]', why: 'mean squared error on one linear output; metrics are in the target\'s own units' }),
};

/** The model section: an MLP for tabular inputs, embedding + mean pooling for text. */
function modelLines(isText: boolean, task: TaskGuess): string[] {
  const out = OUTPUT[task.type](task.classes);
  const head = `    - { type: dense, units: ${out.units}${out.activation === 'linear' ? '' : `, activation: ${out.activation}`} }`;
  if (isText)
    return [
      'model:',
      '  # text: each token id becomes a 32-number vector, averaged over the row (order ignored: a fast, strong baseline), then one hidden layer',
      '  layers:',
      '    - { type: embedding, outputDim: 32 }',
      '    - { type: globalAveragePooling1d }',
      '    - { type: dense, units: 32, activation: relu }',
      head,
    ];
  return ['model:', '  # a small MLP: one hidden layer of 32 ReLU units, then the output layer for the task', '  layers:', '    - { type: dense, units: 32, activation: relu }', head];
}

/** Renders the commented pipeline.yaml. */
export function renderPipeline(plan: InitPlan): string {
  const { task } = plan.target;
  const { used, textLeftOut } = usedColumns(plan.columns);
  const isText = used.some((g) => g.kind === 'text');
  const out = OUTPUT[task.type](task.classes);
  const sample = plan.sampled === plan.rows ? `all ${plan.rows.toLocaleString('en-US')} rows` : `${plan.sampled.toLocaleString('en-US')} of ${plan.rows.toLocaleString('en-US')} rows, a seeded random sample`;
  const skipped = plan.columns.filter((g) => g.kind === 'skip');
  const dates = used.filter((g) => g.kind === 'date');
  const lines = [
    ...(plan.schema ? [`# yaml-language-server: $schema=${plan.schema}`] : []),
    `# Written by \`${plan.command}\`.`,
    `# Each choice below was guessed from the data (${sample}); the comment above it says why.`,
    '# Check them, then: kiln validate <this file> && kiln train <this file>',
    `name: ${scalar(plan.name)}`,
    'seed: 42',
    'data:',
    `  source: { type: ${plan.source.type}, path: ${scalar(plan.source.path)} }`,
    '  features:',
    ...used.flatMap((g) => [`    # ${g.reason}`, `    - ${featureLine(g)}`]),
    ...skipped.flatMap((g) => [`    # ${g.reason}:`, `    # - ${featureLine(g)}`]),
    ...textLeftOut.flatMap((g) => [`    # ${g.reason}; left out: a layer stack takes either one text column or tabular columns (model.graph can combine them):`, `    # - ${featureLine(g)}`]),
    `  # ${task.reason}${task.missing > 0 ? `; ${task.missing.toLocaleString('en-US')} rows have no target value` : ''}`,
    `  target: { name: ${scalar(plan.target.name)}, type: ${task.type} }`,
    task.type === 'regression'
      ? '  # 70% of the rows train, 15% validate (early stopping), 15% test, chosen at random with the seed'
      : '  # 70% of the rows train, 15% validate (early stopping), 15% test, at random with the seed, each class in proportion',
    ...dates.map((g) => `  # ${scalar(g.name)} is a date: if the task is to predict later rows from earlier ones, use split: { by: ${scalar(g.name)}, train: 0.7, val: 0.15, test: 0.15 } (oldest train, newest test) so the future does not leak into training`),
    `  split: { train: 0.7, val: 0.15, test: 0.15${task.type === 'regression' ? '' : ', stratify: true'} }`,
    ...modelLines(isText, task),
    'train:',
    `  # ${out.why}`,
    `  loss: ${out.loss}`,
    '  optimizer: { name: adam, learningRate: 0.001 }',
    '  # up to 100 passes over the train rows, 32 rows per step; early stopping ends sooner',
    '  epochs: 100',
    '  batchSize: 32',
    '  # stop when the validation loss has not improved for 10 epochs, and keep the weights of the best epoch',
    '  earlyStopping: { monitor: val.loss, patience: 10 }',
    `  metrics: ${out.metrics}`,
  ];
  return `${lines.join('\n')}\n`;
}
