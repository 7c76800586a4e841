/**
 * The CLI's commands and options, defined once: parsing, `--help` and the README's CLI reference
 * all come from this table.
 */
export type OptionType = 'boolean' | 'string' | 'number' | 'string[]';

export interface OptionDef {
  type: OptionType;
  description: string;
  short?: string;
  default?: string | number | boolean;
  /** Placeholder shown in --help, e.g. URL. */
  value?: string;
  /** The only values accepted; anything else is a usage error (exit 2) before the command runs. */
  choices?: readonly string[];
}

export interface CommandDef {
  summary: string;
  /**
   * Positional arguments as shown in usage, e.g. ['FILE...']; parsing checks them too: `[X]` is
   * optional, `X` required and `X...` one or more; a bare word list `a | b` is a required choice.
   */
  args: string[];
  options: Record<string, OptionDef>;
  examples?: string[];
  /** Loaded lazily so `kiln --help` does not pay for tfjs or the store. */
  load: () => Promise<{ run: (args: ParsedArgs) => Promise<number> }>;
}

/** The result of parsing one command line against its command's table. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | number | boolean | string[] | undefined>;
}

const store: OptionDef = {
  type: 'string',
  value: 'URL',
  description: 'Tracking store: a path, file:, libsql://, http:// or postgres:// URL (default .kiln/kiln.db, or $KILN_STORE; keep passwords in PGPASSWORD).',
};
const set: OptionDef = { type: 'string[]', value: 'PATH=VALUE', description: 'Override a spec field, typed and validated like the file (repeatable), e.g. --set train.epochs=5.' };
const json: OptionDef = { type: 'boolean', description: 'Print a machine-readable result as JSON on stdout.' };
const quiet: OptionDef = { type: 'boolean', short: 'q', description: 'Print nothing but errors.' };

export const DEFAULT_PIPELINE = 'pipelines/penguins-mlp.yaml';

export const COMMANDS: Record<string, CommandDef> = {
  train: {
    summary: 'Validate and train a pipeline, tracking the run in the store.',
    args: ['[FILE]'],
    options: { set, store, quiet, json },
    examples: ['kiln train pipelines/mnist-cnn.yaml', 'kiln train pipelines/penguins-mlp.yaml --set train.epochs=20'],
    load: () => import('./commands/train.ts'),
  },
  validate: {
    summary: 'Check pipeline files against the schema and the cross-field rules.',
    args: ['FILE...'],
    options: { set, json },
    examples: ['kiln validate pipelines/*.yaml'],
    load: () => import('./commands/validate.ts'),
  },
  schema: {
    summary: 'Print the pipeline JSON Schema.',
    args: [],
    options: {},
    load: () => import('./commands/schema.ts'),
  },
};

const filter: OptionDef = { type: 'string', value: 'QUERY', description: 'Filter runs, e.g. \'metrics.val.accuracy > 0.9 and params.train.optimizer.name = "adam"\'.' };
const experiment: OptionDef = { type: 'string', short: 'e', value: 'NAME', description: 'Only runs of this experiment.' };
const sort: OptionDef = { type: 'string', value: 'KEY', description: 'Sort by a column, metrics.<key>, params.<key> or tags.<key>; prefix - for descending.' };

Object.assign(COMMANDS, {
  runs: {
    summary: 'List tracked runs.',
    args: [],
    options: { experiment, filter, sort, limit: { type: 'number', short: 'n', value: 'N', description: 'How many runs to show.', default: 20 }, store, json },
    examples: ['kiln runs --filter \'status = finished and metrics.val.accuracy > 0.9\' --sort -metrics.val.accuracy'],
    load: () => import('./commands/runs.ts'),
  },
  show: { summary: 'Show one run: status, provenance, metrics, tags, artifacts.', args: ['RUN'], options: { store, json }, load: () => import('./commands/show.ts') },
  compare: {
    summary: 'Compare runs: params that differ, final and best metrics.',
    args: ['RUN', 'RUN...'],
    options: { store, json },
    load: () => import('./commands/compare.ts'),
  },
  export: {
    summary: 'Export runs as CSV or JSON.',
    args: [],
    options: { format: { type: 'string', value: 'csv|json', description: 'Output format.', default: 'csv', choices: ['csv', 'json'] }, out: { type: 'string', short: 'o', value: 'FILE', description: 'Write to a file instead of stdout.' }, experiment, filter, sort, store },
    load: () => import('./commands/export.ts'),
  },
  sweep: {
    summary: 'Search hyperparameters (the sweep: section, or --set a=1,2 grids); `kiln sweep show ID` shows one.',
    args: ['[FILE | show SWEEP_ID]'],
    options: {
      set,
      resume: { type: 'string', value: 'SWEEP_ID', description: 'Continue a sweep after a crash or Ctrl-C without repeating finished trials.' },
      parallel: { type: 'number', short: 'p', value: 'N', description: 'Worker processes (overrides sweep.parallel).' },
      trials: { type: 'number', short: 'n', value: 'N', description: 'Trial budget (overrides sweep.budget.trials).' },
      'max-minutes': { type: 'number', value: 'M', description: 'Stop starting trials after M minutes (overrides sweep.budget.maxMinutes).' },
      join: { type: 'string', value: 'SWEEP_ID', description: 'Add workers on this machine to a running sweep in a shared store (e.g. PostgreSQL).' },
      worker: { type: 'string', value: 'SWEEP_ID', description: 'Internal: run as a worker of this sweep (the coordinator starts these).' },
      store,
      quiet,
      json,
    },
    examples: ['kiln sweep pipelines/mnist-mlp-sweep.yaml', 'kiln sweep --resume 1a2b3c', 'kiln sweep show 1a2b3c'],
    load: () => import('./commands/sweep.ts'),
  },
  predict: {
    summary: 'Predict with a trained run: new rows (JSONL or CSV) in, JSONL predictions out.',
    args: ['RUN', 'FILE'],
    options: { out: { type: 'string', short: 'o', value: 'FILE', description: 'Write predictions to a file instead of stdout.' }, store },
    examples: ['kiln predict 1a2b3c pipelines/data/new-penguins.jsonl'],
    load: () => import('./commands/predict.ts'),
  },
  ui: {
    summary: 'Serve the tracker web UI (read-only) on 127.0.0.1.',
    args: [],
    options: {
      port: { type: 'number', value: 'PORT', description: 'Port to listen on.', default: 4000 },
      host: { type: 'string', value: 'HOST', description: 'Interface to bind; anything but loopback exposes every run to the network and prints a warning.', default: '127.0.0.1' },
      store,
    },
    examples: ['kiln ui', 'kiln ui --port 8080 --store runs.db'],
    load: () => import('./commands/ui.ts'),
  },
  store: {
    summary: 'Manage the tracking store: `migrate` applies pending migrations; `copy` moves a whole store into another and verifies it.',
    args: ['migrate | copy'],
    options: {
      store,
      from: { type: 'string', value: 'URL', description: 'Store to copy from.' },
      to: { type: 'string', value: 'URL', description: 'Empty store to copy into.' },
      json,
      quiet,
    },
    examples: ['kiln store migrate --store postgres://user@host:5432/kiln', 'kiln store copy --from .kiln/kiln.db --to postgres://user@host:5432/kiln'],
    load: () => import('./commands/store.ts'),
  },
  tag: { summary: 'Set tags on a run.', args: ['RUN', 'KEY=VALUE...'], options: { store }, load: () => import('./commands/tag.ts') },
  delete: {
    summary: 'Delete runs with their metrics and artifacts.',
    args: ['RUN...'],
    options: {
      yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation.' },
      force: { type: 'boolean', description: 'Also delete a run that is still running: ask it to stop through the store first (it ends killed, metrics flushed), then delete it.' },
      wait: { type: 'number', value: 'SECONDS', description: 'With --force, how long to wait for a running run to stop before deleting it anyway.', default: 15 },
      store,
    },
    load: () => import('./commands/delete.ts'),
  },
} satisfies Record<string, CommandDef>);

export const ALIASES: Record<string, string> = { pipeline: 'train' };

/** Global options accepted before or after any command. */
export const GLOBAL_OPTIONS: Record<string, OptionDef> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for kiln or a command.' },
  version: { type: 'boolean', short: 'v', description: 'Print the Kiln version.' },
};
