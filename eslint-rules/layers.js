/**
 * kiln/layers: imports go one way. Data flows spec -> resolved config -> data -> model -> training
 * loop -> tracker -> store -> UI, and each import must point back along that flow, never forward:
 *
 * - packages import each other by name only (a relative path into another package skips its exports map);
 * - core never imports the runner or the UI; nothing imports @kiln/tracker-ui (the runner's `ui`
 *   command resolves its entry file at run time), and the UI reads the store only through @kiln/core
 *   (no drizzle-orm or database driver of its own);
 * - inside the runner, a folder imports only folders of a lower rank in RUNNER_RANKS.
 *
 * Written as a local rule rather than no-restricted-imports per folder: the runner's ranks are one
 * table, and a relative path is judged by the folder it lands in, however many `../` it takes.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The runner's top-level folders of src/ by rank: a folder may import folders of a lower rank only
 * (not its own rank: siblings stay independent). Leaves first; the CLI and the tools that drive
 * everything last. A new folder must be added here, or the rule reports every import into it.
 */
export const RUNNER_RANKS = {
  random: 0, // seeds and generators: the leaf everything that draws numbers shares
  backend: 0, // TensorFlow.js backend set-up and kernels
  terminal: 0, // rendering tables and live progress for a terminal
  data: 1, // sources, splits, preprocessing
  model: 2, // layer stacks and graphs built from the resolved config
  artifacts: 3, // a stored run's files read back: its model (through model/io) and preprocessing state
  train: 3, // the training loop, losses, metrics
  run: 4, // one pipeline run end to end: data, model, loop, artifacts
  predict: 5, // a stored run's model applied to new rows
  export: 5, // a stored run's model written for the browser and plain tfjs (export-model)
  sweep: 5, // many runs: samplers, pruners, workers
  track: 6, // the public tracking API for users' own training code
  serve: 6, // kiln serve: a stored run's model behind HTTP (reads predict/ and artifacts/)
  init: 6, // kiln init: a pipeline guessed from a data file (reads data/ sources and preprocessing parsers)
  'index.ts': 7, // the package's public entry
  cli: 8, // commands: parse, call the layers, print
  docs: 9, // generated documentation reads the CLI's tables
  bench: 9, // benchmarks drive any layer
};

/**
 * Imports allowed against the ranks, by importing file (relative to runner/src) and target folder.
 * Each is a known debt with its reason; the list only shrinks.
 */
export const RUNNER_EXCEPTIONS = {};

/** npm packages and workspace packages each package must not import (the key is the folder under packages/). */
const FORBIDDEN_PACKAGES = {
  core: { '@kiln/runner': 'core is below the runner', '@kiln/tracker-ui': 'core is below the UI' },
  'tracker-ui': {
    '@kiln/runner': 'the UI is started by the runner, not the other way round',
    'drizzle-orm': 'SQL against the schema lives in @kiln/core/store: add the query there',
    '@libsql/client': 'the UI opens the store through @kiln/core/store',
    pg: 'the UI opens the store through @kiln/core/store',
  },
};

/** Where a file lives: its package folder (or null outside packages/) and its top-level entry under src/. */
function placeOf(file) {
  const parts = relative(ROOT, file).split(sep);
  if (parts[0] !== 'packages' || parts.length < 3) return { pkg: null, top: null, inSrc: '' };
  const src = parts[2] === 'src' && parts.length > 3;
  return { pkg: parts[1], top: src ? parts[3] : null, inSrc: src ? parts.slice(3).join('/') : '' };
}

/** The npm or workspace package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageName(spec) {
  return spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
}

/** The problem with importing `spec` from `file`, as [messageId, data], or null when the import is allowed. */
export function importProblem(file, spec) {
  const from = placeOf(file);
  if (spec.startsWith('.')) {
    const to = placeOf(resolve(dirname(file), spec));
    if (from.pkg !== null && to.pkg !== null && to.pkg !== from.pkg) return ['byPath', { target: `@kiln/${to.pkg}` }];
    if (from.pkg !== 'runner' || to.pkg !== 'runner') return null;
    if (RUNNER_EXCEPTIONS[from.inSrc]?.includes(to.top)) return null;
    return runnerProblem(from.top, to.top);
  }
  const name = packageName(spec);
  const why = from.pkg === null ? undefined : FORBIDDEN_PACKAGES[from.pkg]?.[name];
  if (why !== undefined) return ['forbiddenPackage', { target: name, why }];
  if (name === '@kiln/tracker-ui' && from.pkg !== 'tracker-ui') return ['trackerUi', {}];
  return null;
}

/** Rank check between two top-level entries of the runner's src/. */
function runnerProblem(fromTop, toTop) {
  if (fromTop === null || toTop === null || fromTop === toTop) return null;
  const a = RUNNER_RANKS[fromTop];
  const b = RUNNER_RANKS[toTop];
  if (a === undefined || b === undefined) return ['unranked', { folder: a === undefined ? fromTop : toTop }];
  return b < a ? null : ['upward', { from: fromTop, to: toTop }];
}

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go one way: spec -> config -> data -> model -> training loop -> tracker -> store -> UI' },
    schema: [],
    messages: {
      byPath: 'Import {{target}} by its package name, not by a path into its folder.',
      forbiddenPackage: 'This package must not import {{target}}: {{why}}.',
      trackerUi: "Nothing imports @kiln/tracker-ui: the runner's `ui` command resolves its entry at run time.",
      upward: "runner/{{from}} must not import runner/{{to}}: imports go one way (see RUNNER_RANKS in eslint-rules/layers.js).",
      unranked: 'runner/src/{{folder}} has no rank in RUNNER_RANKS (eslint-rules/layers.js): give it one.',
    },
  },
  create(context) {
    const check = (source) => {
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      const problem = importProblem(context.filename, source.value);
      if (problem !== null) context.report({ node: source, messageId: problem[0], data: problem[1] });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

/** The local plugin: `kiln/layers`. */
export default { meta: { name: 'eslint-plugin-kiln' }, rules: { layers } };
