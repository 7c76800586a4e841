/**
 * The CLI's commands and options, defined once: parsing, each command's typed `args.options`,
 * `--help` and docs/cli.md all come from these tables.
 */
import { resolve } from 'node:path';
import { parseCommandArgs } from './args.ts';
import { artifactsFolderProblem } from '../artifacts/folder-option.ts';
import type { CommandDef, OptionDef, OptionTable, OptionValues, ParsedArgs } from './option-types.ts';

export type { CommandDef, OptionDef, OptionTable, OptionType, ParsedArgs } from './option-types.ts';

/** An option, its literal types kept (choices become a union in the command's args). */
const opt = <const D extends OptionDef>(d: D): D => d;

const store = opt({
  type: 'string',
  value: 'URL',
  description: 'Tracking store: a path, file:, libsql://, http:// or postgres:// URL (default .kiln/kiln.db, or $KILN_STORE; keep passwords in PGPASSWORD).',
});
/** One definition for every command that writes or reads run artifacts; applied through KILN_ARTIFACTS (see command()). */
const artifacts = opt({
  type: 'string',
  value: 'DIR',
  description: 'Keep run artifacts (models, preprocessing, reports) in this folder, e.g. one every machine mounts, instead of the default place: the artifacts folder beside a store file, the database itself for PostgreSQL or libsql:// (default $KILN_ARTIFACTS).',
});
const set = opt({ type: 'string[]', value: 'PATH=VALUE', description: 'Override a spec field, typed and validated like the file (repeatable), e.g. --set train.epochs=5.' });
const json = opt({ type: 'boolean', description: 'Print a machine-readable result as JSON on stdout.' });
const quiet = opt({ type: 'boolean', short: 'q', description: 'Print nothing but errors.' });
const filter = opt({ type: 'string', value: 'QUERY', description: 'Filter runs, e.g. \'metrics.val.accuracy > 0.9 and params.train.optimizer.name = "adam"\'.' });
const experiment = opt({ type: 'string', short: 'e', value: 'NAME', description: 'Only runs of this experiment.' });
const sort = opt({ type: 'string', value: 'KEY', description: 'Sort by a column, metrics.<key>, params.<key> or tags.<key>; prefix - for descending.' });

/** Global options accepted before or after any command. */
export const GLOBAL_OPTIONS = {
  help: opt({ type: 'boolean', short: 'h', description: 'Show help for kiln or a command.' }),
  version: opt({ type: 'boolean', short: 'v', description: 'Print the Kiln version.' }),
} satisfies OptionTable;

/** Each command's own options, in --help order. */
const OPTIONS = {
  train: { set, store, artifacts, quiet, json },
  validate: { set, json },
  init: {
    target: opt({ type: 'string', short: 't', value: 'COLUMN', description: 'The column to predict (required): its values decide the task (binary, multiclass or regression).' }),
    out: opt({ type: 'string', short: 'o', value: 'FILE', description: 'Where to write the pipeline; its data path is written relative to this file.', default: 'pipeline.yaml' }),
    force: opt({ type: 'boolean', description: 'Overwrite the output file when it exists.' }),
  },
  schema: {},
  runs: {
    experiment,
    filter,
    sort,
    limit: opt({ type: 'number', short: 'n', value: 'N', description: 'How many runs to show.', default: 20 }),
    folds: opt({ type: 'boolean', description: "Also list each k-fold parent's fold runs, under it (by default only parents are listed, unless --filter names foldParentId or fold)." }),
    store,
    json,
  },
  show: { store, artifacts, json },
  compare: { store, artifacts, json },
  export: {
    format: opt({ type: 'string', value: 'csv|json', description: 'Output format.', default: 'csv', choices: ['csv', 'json'] }),
    out: opt({ type: 'string', short: 'o', value: 'FILE', description: 'Write to a file instead of stdout.' }),
    experiment,
    filter,
    sort,
    store,
  },
  sweep: {
    set,
    resume: opt({ type: 'string', value: 'SWEEP_ID', description: 'Continue a sweep after a crash or Ctrl-C without repeating finished trials.' }),
    parallel: opt({ type: 'number', short: 'p', value: 'N', description: 'Worker processes (overrides sweep.parallel).' }),
    trials: opt({ type: 'number', short: 'n', value: 'N', description: 'Trial budget (overrides sweep.budget.trials).' }),
    'max-minutes': opt({ type: 'number', value: 'M', description: 'Stop starting trials after M minutes (overrides sweep.budget.maxMinutes).' }),
    join: opt({ type: 'string', value: 'SWEEP_ID', description: 'Add workers on this machine to a running sweep in a shared store (e.g. PostgreSQL).' }),
    worker: opt({ type: 'string', value: 'SWEEP_ID', description: 'Internal: run as a worker of this sweep (the coordinator starts these).' }),
    store,
    artifacts,
    quiet,
    json,
  },
  predict: { out: opt({ type: 'string', short: 'o', value: 'FILE', description: 'Write predictions to a file instead of stdout.' }), store, artifacts },
  'export-model': {
    out: opt({ type: 'string', short: 'o', value: 'DIR', description: 'The folder to write (created; it must be empty unless --force).' }),
    force: opt({ type: 'boolean', description: 'Write into a folder that is not empty; files of an earlier export there are replaced.' }),
    store,
    artifacts,
  },
  ui: {
    port: opt({ type: 'number', value: 'PORT', description: 'Port to listen on.', default: 4000 }),
    host: opt({ type: 'string', value: 'HOST', description: 'Interface to bind. Anything but loopback (e.g. 0.0.0.0, a LAN address) requires a token: $KILN_UI_TOKEN (or $KILN_TOKEN) or --token-file; without one the UI refuses to start.', default: '127.0.0.1' }),
    'token-file': opt({ type: 'string', value: 'FILE', description: 'Require this token (the file\'s first line, at least 16 characters) on every request, as "Authorization: Bearer TOKEN" or as the password of basic auth (any user name, so a browser can log in); read at start, never logged. Overrides $KILN_UI_TOKEN.' }),
    store,
    artifacts,
  },
  serve: {
    port: opt({ type: 'number', value: 'PORT', description: 'Port to listen on (0: any free port, printed at start).', default: 4100 }),
    host: opt({ type: 'string', value: 'HOST', description: 'Interface to bind. Anything but loopback (e.g. 0.0.0.0) requires a token: $KILN_SERVE_TOKEN (or $KILN_TOKEN) or --token-file; without one kiln serve refuses to start.', default: '127.0.0.1' }),
    'token-file': opt({ type: 'string', value: 'FILE', description: 'Require this token (the file\'s first line, at least 16 characters) on every request as "Authorization: Bearer TOKEN"; read at start, never logged. Overrides $KILN_SERVE_TOKEN.' }),
    'max-batch': opt({ type: 'number', value: 'N', description: 'Most rows one model call takes: requests arriving together are predicted in one call up to this many rows; a larger request is predicted N rows a call.', default: 256 }),
    'batch-wait-ms': opt({ type: 'number', value: 'MS', description: 'How long a request waits for others to join its model call (0: only requests that arrived in the same turn of the event loop).', default: 2 }),
    'reload-seconds': opt({ type: 'number', value: 'S', description: 'How often to check whether the alias (NAME@ALIAS, or NAME for its latest version) points at another version, which is then loaded and swapped in; 0 turns it off.', default: 5 }),
    strict: opt({ type: 'boolean', description: 'Refuse (400) category values not seen in training and columns the model does not read, instead of reading them as kiln predict does (the unknown-category bucket; extra columns ignored with a warning).' }),
    'max-body-mb': opt({ type: 'number', value: 'MB', description: 'Largest request body accepted (413 beyond it).', default: 10 }),
    store,
    artifacts,
  },
  store: {
    store,
    from: opt({ type: 'string', value: 'URL', description: 'Store to copy from.' }),
    to: opt({ type: 'string', value: 'URL', description: 'Empty store to copy into.' }),
    'to-artifacts': opt({ type: 'string', value: 'DIR', description: 'With copy: keep the copied artifacts in this folder instead of the target\'s default place (the database for PostgreSQL); the source\'s are read from wherever it keeps them ($KILN_ARTIFACTS, its folder or its tables).' }),
    json,
    quiet,
  },
  tag: { store },
  model: {
    name: opt({ type: 'string', value: 'NAME', description: 'With register: the model to add the run to as its next version (letters, digits, ".", "_", "-").' }),
    description: opt({ type: 'string', value: 'TEXT', description: 'With register: what this version is, shown by kiln model show and the UI.' }),
    tag: opt({ type: 'string[]', value: 'KEY=VALUE', description: 'With register: a tag on the version.' }),
    force: opt({ type: 'boolean', description: 'With register: also register a crashed, failed or killed run that kept a model.' }),
    delete: opt({ type: 'boolean', description: 'With alias: remove the alias (kiln model alias NAME ALIAS --delete) instead of pointing it at a version.' }),
    store,
    json,
  },
  cache: {
    all: opt({ type: 'boolean', description: 'With clear: remove every entry.' }),
    store: opt({ ...store, description: 'The store whose cache to manage: a store file keeps its cache in the cache folder beside it; a remote store (PostgreSQL, libsql://) uses ~/.cache/kiln/data. $KILN_CACHE_DIR overrides both.' }),
    json,
  },
  delete: {
    yes: opt({ type: 'boolean', short: 'y', description: 'Do not ask for confirmation.' }),
    force: opt({ type: 'boolean', description: 'Also delete a run that is still running (asked to stop through the store first: it ends killed, metrics flushed), or one a registered model\'s alias points at (kiln model).' }),
    wait: opt({ type: 'number', value: 'SECONDS', description: 'With --force, how long to wait for a running run to stop before deleting it anyway.', default: 15 }),
    store,
  },
} satisfies Record<string, OptionTable>;

export type CommandName = keyof typeof OPTIONS;

/** The parsed command line of command C, typed from its option table: what its run() receives. */
export type Args<C extends CommandName> = ParsedArgs<TableOf<C>>;
type TableOf<C extends CommandName> = typeof GLOBAL_OPTIONS & (typeof OPTIONS)[C];

interface CommandSpec<C extends CommandName> {
  summary: string;
  args: readonly string[];
  examples?: readonly string[];
  /** Loaded lazily so `kiln --help` does not pay for tfjs or the store. */
  load: () => Promise<{ run: (args: Args<C>) => Promise<number> }>;
}

/** A command: its table from OPTIONS, its module checked to take exactly the args that table parses to. */
function command<C extends CommandName>(name: C, spec: CommandSpec<C>): CommandDef {
  const options: OptionTable = OPTIONS[name];
  const parse = (argv: string[]) => {
    const result = parseCommandArgs(name, spec.args, { ...GLOBAL_OPTIONS, ...options }, argv);
    if ('code' in result) return result;
    const { positionals, values } = result;
    // the parser filled values from this very table, key by key, each by the rule OptionValues states
    const parsed: Args<C> = { positionals, options: values as OptionValues<TableOf<C>> };
    // --artifacts reaches every store this process and its children (sweep workers, the UI) open.
    if (typeof values.artifacts === 'string') {
      const problem = artifactsFolderProblem(values.artifacts, '--artifacts');
      if (problem) return problem;
      process.env.KILN_ARTIFACTS = resolve(values.artifacts);
    } else if (process.env.KILN_ARTIFACTS) {
      const problem = artifactsFolderProblem(process.env.KILN_ARTIFACTS, 'KILN_ARTIFACTS');
      if (problem) return problem;
    }
    return { help: values.help === true, store: typeof values.store === 'string' ? values.store : undefined, run: async () => (await spec.load()).run(parsed) };
  };
  return { summary: spec.summary, args: spec.args, options, ...(spec.examples ? { examples: spec.examples } : {}), parse };
}

export const DEFAULT_PIPELINE = 'pipelines/penguins-mlp.yaml';

export const COMMANDS: Record<string, CommandDef> = {
  train: command('train', {
    summary: 'Validate and train a pipeline, tracking the run in the store.',
    args: ['[FILE]'],
    examples: ['kiln train pipelines/mnist-cnn.yaml', 'kiln train pipelines/penguins-mlp.yaml --set train.epochs=20'],
    load: () => import('./commands/train.ts'),
  }),
  validate: command('validate', {
    summary: 'Check pipeline files against the schema and the cross-field rules.',
    args: ['FILE...'],
    examples: ['kiln validate pipelines/*.yaml'],
    load: () => import('./commands/validate.ts'),
  }),
  init: command('init', {
    summary: 'Write a commented pipeline.yaml for a CSV, JSONL or JSON file: column types, task, model, split and metrics guessed from the data, each choice explained.',
    args: ['FILE'],
    examples: ['kiln init data.csv --target price', 'kiln init reviews.jsonl --target label --out reviews.yaml'],
    load: () => import('./commands/init.ts'),
  }),
  schema: command('schema', { summary: 'Print the pipeline JSON Schema.', args: [], load: () => import('./commands/schema.ts') }),
  runs: command('runs', {
    summary: 'List tracked runs.',
    args: [],
    examples: ['kiln runs --filter \'status = finished and metrics.val.accuracy > 0.9\' --sort -metrics.val.accuracy'],
    load: () => import('./commands/runs.ts'),
  }),
  show: command('show', { summary: 'Show one run: status, provenance, metrics, tags, artifacts.', args: ['RUN'], load: () => import('./commands/show.ts') }),
  compare: command('compare', { summary: 'Compare runs: params that differ, final and best metrics.', args: ['RUN', 'RUN...'], load: () => import('./commands/compare.ts') }),
  export: command('export', { summary: 'Export runs as CSV or JSON.', args: [], load: () => import('./commands/export.ts') }),
  sweep: command('sweep', {
    summary: 'Search hyperparameters (the sweep: section, or --set a=1,2 grids); `kiln sweep show ID` shows one.',
    args: ['[FILE | show SWEEP_ID]'],
    examples: ['kiln sweep pipelines/mnist-mlp-sweep.yaml', 'kiln sweep --resume 1a2b3c', 'kiln sweep show 1a2b3c'],
    load: () => import('./commands/sweep.ts'),
  }),
  predict: command('predict', {
    summary: 'Predict with a trained run or a registered model (NAME@ALIAS, NAME@VERSION, NAME for its latest version): new rows (CSV, JSONL or a JSON array) in, JSONL predictions out.',
    args: ['RUN_OR_MODEL', 'FILE'],
    examples: ['kiln predict 1a2b3c pipelines/data/new-penguins.jsonl', 'kiln predict penguins@production pipelines/data/new-penguins.jsonl'],
    load: () => import('./commands/predict.ts'),
  }),
  'export-model': command('export-model', {
    summary: "Export a run's (or registered model's) model for the browser and plain TensorFlow.js: model.json, its preprocessing as JSON, and kiln-model.js (raw rows in, labels out).",
    args: ['RUN_OR_MODEL'],
    examples: ['kiln export-model 1a2b3c --out penguins-web', 'kiln export-model penguins@production --out penguins-web'],
    load: () => import('./commands/export-model.ts'),
  }),
  ui: command('ui', {
    summary: 'Serve the tracker web UI (read-only) on 127.0.0.1.',
    args: [],
    examples: ['kiln ui', 'kiln ui --port 8080 --store runs.db'],
    load: () => import('./commands/ui.ts'),
  }),
  serve: command('serve', {
    summary: 'Serve a trained run or a registered model over HTTP: POST /predict (JSON rows in the pipeline\'s input columns, checked against GET /schema), GET /health; micro-batched, and it follows the alias when it moves.',
    args: ['RUN_OR_MODEL'],
    examples: ['kiln serve penguins@production', 'kiln serve penguins@production --host 0.0.0.0 --token-file ~/.kiln-serve.token', 'kiln serve 1a2b3c --port 8080'],
    load: () => import('./commands/serve.ts'),
  }),
  store: command('store', {
    summary: 'Manage the tracking store: `migrate` applies pending migrations; `copy` moves a whole store into another and verifies it; `gc` frees artifact contents kept in the store that no run names any more (kiln delete frees a run\'s own; this clears what older versions left).',
    args: ['migrate | copy | gc'],
    examples: ['kiln store migrate --store postgres://user@host:5432/kiln', 'kiln store copy --from .kiln/kiln.db --to postgres://user@host:5432/kiln', 'kiln store gc --store postgres://user@host:5432/kiln'],
    load: () => import('./commands/store.ts'),
  }),
  tag: command('tag', { summary: 'Set tags on a run.', args: ['RUN', 'KEY=VALUE...'], load: () => import('./commands/tag.ts') }),
  model: command('model', {
    summary: 'The model registry: `register` a run as the next version of a named model, `alias` a version (production, staging), `ls` the models, `show` one. kiln predict and model.from take NAME@ALIAS, NAME@VERSION or NAME (its latest version).',
    args: ['register | alias | ls | show', '[RUN | NAME@VERSION ALIAS | NAME[@VERSION|@ALIAS]]'],
    examples: [
      'kiln model register 1a2b3c --name penguins --description "adam, 20 epochs"',
      'kiln model alias penguins@3 production',
      'kiln model ls',
      'kiln model show penguins@production',
      'kiln predict penguins@production new-penguins.jsonl',
    ],
    load: () => import('./commands/model.ts'),
  }),
  cache: command('cache', {
    summary: 'The prepared-data cache (beside the store, or $KILN_CACHE_DIR; capped at $KILN_CACHE_MAX, default 2GB, least recently used entries go first): `ls` lists entries, `clear` removes them.',
    args: ['ls | clear', '[FINGERPRINT...]'],
    examples: ['kiln cache ls', 'kiln cache clear 1a2b3c4d5e6f', 'kiln cache clear --all --store runs/kiln.db'],
    load: () => import('./commands/cache.ts'),
  }),
  delete: command('delete', { summary: 'Delete runs with their metrics and artifacts.', args: ['RUN...'], load: () => import('./commands/delete.ts') }),
};

export const ALIASES: Record<string, string> = { pipeline: 'train' };
