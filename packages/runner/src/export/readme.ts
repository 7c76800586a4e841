/** The README.md written into an exported model's folder: what is in it and a ten-line page that uses it. */
import type { PreprocessState, TargetInfo } from '../data/types.ts';
import type { LayerExport } from './topology.ts';

export interface ReadmeFacts {
  runId: string;
  runName: string;
  state: PreprocessState;
  columns: string[];
  layers: LayerExport[];
}

/** What one head predicts, in words. */
function headLine(t: TargetInfo, name?: string): string {
  const head = name ? `\`${name}\` (target \`${t.name}\`)` : `\`${t.name}\``;
  if (t.type === 'regression') return `- ${head}: a number, \`{ value }\`, in the target's own units${t.scale ? ` (the model's output is un-scaled: ${t.scale.kind === 'log' ? 'expm1 of ' : ''}value * ${t.scale.std} + ${t.scale.mean})` : ''}`;
  const classes = (t.classes ?? []).slice(0, 12).map((c) => `\`${c}\``).join(', ');
  return `- ${head}: \`{ class, probabilities }\` over ${t.classes?.length ?? 0} classes (${classes}${(t.classes?.length ?? 0) > 12 ? ', ...' : ''})`;
}

/** The layers section: every Kiln layer with what became of it; plain tfjs layers need nothing. */
function layersSection(layers: LayerExport[]): string {
  if (layers.length === 0) return 'Every layer is a standard TensorFlow.js layer (Kiln\'s LSTM is saved as tfjs\' own `LSTM`): `tf.loadLayersModel` loads `model.json` with no Kiln code.';
  const rows = layers.map((l) => `| \`${l.layer}\` | \`${l.kilnClass}\` | ${l.replacedBy ? `replaced by tfjs' \`${l.replacedBy}\`` : 'shipped in `kiln-layers.js`'} | ${l.why} |`);
  const shipped = layers.some((l) => !l.replacedBy);
  const note = shipped
    ? '`loadModel(tf)` imports `kiln-layers.js` and calls `registerKilnLayers(tf)` first; with `tf.loadLayersModel` of your own, do the same before loading.'
    : 'Nothing is left to register: `tf.loadLayersModel` loads `model.json` with no Kiln code.';
  return ['| layer | Kiln class | exported as | why |', '|---|---|---|---|', ...rows, '', note].join('\n');
}

/** README.md of an export folder. */
export function exportReadme(f: ReadmeFacts): string {
  const targets = f.state.targets ?? [f.state.target];
  const heads = f.state.outputs ? f.state.outputs.map((o) => headLine(targets[o.target] ?? f.state.target, o.name)) : [headLine(f.state.target)];
  const example = Object.fromEntries(f.columns.map((c) => [c, '...']));
  return `# ${f.runName} (run ${f.runId}), exported by \`kiln export-model\`

A TensorFlow.js layers model with the preprocessing it was trained with. Serve this folder with any
static file server, next to the TensorFlow.js bundle (\`@tensorflow/tfjs\` 4.x: \`dist/tf.min.js\` or its ES module build).

\`\`\`html
<script src="tf.min.js"></script>
<script type="module">
  import { loadModel, predict, columns } from './kiln-model.js';
  const model = await loadModel(tf);                                   // model.json + weights, Kiln layers registered if any
  const rows = [${JSON.stringify(example)}];     // raw values, as in the training data
  const predictions = await predict(model, rows, tf);                  // the same objects as \`kiln predict\` prints
  console.log(columns, predictions);
  // step by step: const { inputs, kept } = toInputs(rows, tf);
  //               const out = model.predict(inputs); toPredictions(out, kept);
</script>
\`\`\`

Each row needs the columns ${f.columns.map((c) => `\`${c}\``).join(', ')}. Predictions:

${heads.join('\n')}

\`kept\` (and each prediction's \`row\`) lists the rows used: a feature with \`missing: drop\` leaves rows without a value out,
as \`kiln predict\` does. A value that cannot be read (text in a numeric column, a date that does not match) throws an error naming the row and column.

## Files

- \`model.json\`, \`group1-shard*.bin\`: the model (\`tf.loadLayersModel\`).
- \`preprocess.json\`: the fitted preprocessing: features in input order with their scalers, category lists,
  vocabularies and tokenizer settings, image shape and scale, dates' ranges; the target's classes or scaling; \`kiln\`: the run and the columns.
- \`kiln-model.js\`: a dependency-free ES module: \`preprocessing\`, \`columns\`, \`toInputs(rows, tf)\`, \`toPredictions(output, kept)\`,
  \`loadModel(tf)\`, \`predict(model, rows, tf)\`. In Node it reads the files from disk (plain \`@tensorflow/tfjs\` works).

## Layers

${layersSection(f.layers)}
`;
}
