import { resolve } from 'node:path';
import { must } from '@kiln/core/errors';
import { targetsOf, type DataSpec, type PipelineSpec, type TargetSpec } from '@kiln/core';
import { canonicalJson, fingerprintOf, readCache, writeCache } from './cache.ts';
import { cacheDirFor } from './cache-dir.ts';
import { sourceLabel } from './cache-entries.ts';
import { encodeTarget, featureHandler, fitTarget } from './preprocess/index.ts';
import { mulberry32, shuffleInPlace } from '../random/rng.ts';
import { openSource } from './sources/index.ts';
import { planOfData } from './sources/plan.ts';
import { splitByColumn, splitByFractions, type SplitIndices } from './split.ts';
import { byColumnFormat, splitByTime } from './split-time.ts';
import { splitByFolds } from './folds.ts';
import { cellOf, fail, type Table } from './table.ts';
import { encodeInputs, fitInputs, inputGroups } from './inputs.ts';
import { encodeRows, inputLayout, requireColumn } from './transform.ts';
import { expandFeatures, selectColumns } from './columns.ts';
import { idLikeWarnings } from './id-like.ts';
import { dropMissingRows, sourceMarkers, withSourceMarkers } from './missing-rows.ts';
import { StageProgress } from './stage-progress.ts';
import type { PreparedData, PreprocessState, SplitArrays, TargetInfo } from './types.ts';

export interface PrepareOptions {
  /** Folder that relative source paths are resolved from (the pipeline file's folder). */
  baseDir: string;
  /** Where preprocessed arrays are cached; default beside the store (see cache-dir.ts), or $KILN_CACHE_DIR. */
  cacheDir?: string;
  /** The store the run goes to (--store); the default cache folder sits beside it. */
  store?: string;
  /** false: neither read nor write the cache. */
  cache?: boolean;
  /** Explicit source row numbers per split (e.g. the reference's splits.json); overrides data.split. */
  indices?: SplitIndices;
}

/** Bump when preparation code changes what it produces, so old cache entries stop matching. */
const RECIPE = 'kiln-data-3';

/** Where target j is in the spec, for error messages. */
const targetCtx = (data: DataSpec, j: number, lines?: Int32Array) => ({ path: data.targets ? `data.targets[${j}].name` : 'data.target.name', lines });

type InputGroups = ReturnType<typeof inputGroups>;

/** Reads the source, splits it, fits preprocessing on train only, and encodes every split; cached on disk. */
export async function prepareData(spec: PipelineSpec, opts: PrepareOptions): Promise<PreparedData> {
  const data = spec.data;
  const seed = data.split.seed ?? spec.seed;
  const source = await openSource(data.source, { baseDir: opts.baseDir });
  const explicit = opts.indices ? canonicalJson(Object.fromEntries(Object.entries(opts.indices).map(([k, v]) => [k, [...(v as Int32Array)]]))) : '';
  const groups = inputGroups(spec);
  // The input split is part of what gets cached, so it is part of the key (left out when absent, so older entries stay valid).
  const fingerprint = fingerprintOf(RECIPE, source.hash, canonicalJson(data), String(seed), explicit, ...(groups ? [canonicalJson(groups)] : []));
  const cacheDir = resolve(opts.cacheDir ?? cacheDirFor(opts.store));
  const useCache = opts.cache !== false;
  if (useCache) {
    const hit = await readCache(cacheDir, fingerprint);
    if (hit) return hit;
  }
  // After the read's progress bar, a stage line per step on a terminal (nothing when piped).
  const progress = new StageProgress();
  try {
    const prepared = prepareTable(data, await source.load({ plan: planOfData(data), progress: true }), seed, fingerprint, opts.indices, groups, progress);
    if (useCache) {
      // The cache only saves time on the next run: a folder that cannot take it (read-only, full) must not fail this one.
      await progress.stepAsync('cache write', 'writing the prepared-data cache', () => writeCache(cacheDir, prepared, sourceLabel(data.source, opts.baseDir))).catch((e: unknown) => {
        const reason = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
        (prepared.state.warnings ??= []).push(`the prepared-data cache was not written to ${cacheDir} (${reason}); the next run prepares the data again (set KILN_CACHE_DIR to a writable folder)`);
      });
    }
    return prepared;
  } finally {
    progress.done();
  }
}

/** The uncached core of prepareData, on rows already loaded. */
export function prepareTable(data: DataSpec, table: Table, seed: number, fingerprint: string, indices?: SplitIndices, groups?: InputGroups, progress?: StageProgress): PreparedData {
  const { columns, lines } = table;
  const step = <T>(name: string, what: string, fn: () => T): T => (progress ? progress.step(name, what, fn) : fn());
  const targetSpecs = targetsOf(data);
  // Groups of columns (`columns: pixel*`) become one feature per column now that the header is known.
  const columnGroups = selectColumns(data, columns);
  const expanded = expandFeatures(data.features, columnGroups);
  const specs = withSourceMarkers(expanded.features, data.source);
  const specPath = (j: number) => `data.features[${expanded.entry[j] ?? j}]`;
  specs.forEach((f, j) => requireColumn(f.name, columns, `${specPath(j)}.name`));
  targetSpecs.forEach((t, j) => requireColumn(t.name, columns, targetCtx(data, j).path));
  if (data.split.column && !indices) requireColumn(data.split.column, columns, 'data.split.column');
  if (data.split.by && !indices) requireColumn(data.split.by, columns, 'data.split.by');

  // Which rows to use: the filter, the builtin limit, then rows dropped for missing values (state-free: only the spec decides).
  let ids: Int32Array = Int32Array.from({ length: table.length }, (_, i) => i);
  if (data.filter) {
    requireColumn(data.filter.column, columns, 'data.filter.column');
    const keep = new Set(data.filter.in.map(String));
    const column = data.filter.column;
    ids = ids.filter((i) => keep.has(String(cellOf(table, i, column))));
  }
  if (data.source.type === 'builtin' && data.source.limit !== undefined && data.source.limit < ids.length) {
    shuffleInPlace(ids, mulberry32(seed ^ 0x5eed));
    ids = ids.slice(0, data.source.limit).sort();
  }
  const kept = step('checks', 'checking for missing values', () => dropMissingRows(data, specs, table, ids));
  ids = kept.ids;
  const warnings = [...kept.warnings, ...step('checks', 'looking for id-like columns', () => idLikeWarnings(expanded, data.features, table, ids))];

  const split = indices ?? step('split', `splitting ${ids.length.toLocaleString('en-US')} rows`, () => splitRows(data, table, ids, seed));
  for (const name of ['train', 'val', 'test'] as const) {
    const wanted = name === 'train' || indices || data.split.column || data.split[name] > 0;
    if (wanted && split[name].length === 0) fail('data/empty-split', 'data.split', `the ${name} split has no rows (${ids.length} rows in all)`, data.split.column ? `no row has "${name}" in column "${data.split.column}"` : 'use more data or larger fractions');
  }

  const trainValues = (name: string) => Array.from(split.train, (i) => cellOf(table, i, name));
  const fitting = `fitting preprocessing on ${split.train.length.toLocaleString('en-US')} train rows`;
  const features = step('fit', fitting, () => specs.map((f, j) => featureHandler(f.type).fit(f, trainValues(f.name), split.train, { path: specPath(j), lines })));
  const targets = step('fit', fitting, () => targetSpecs.map((t, j) => fitTarget(t, trainValues(t.name), split.train, targetCtx(data, j, lines))));
  const inputs = groups ? fitInputs(groups, features) : undefined;
  const firstInput = inputs && must(inputs[0], 'input groups are never empty');
  const { inputShape, inputDtype } = firstInput ? { inputShape: firstInput.shape, inputDtype: firstInput.dtype } : inputLayout(features);
  const several = targets.length > 1 ? { targets } : {};
  const target = must(targets[0], 'a pipeline has at least one target');
  const selection = { ...(columnGroups.length > 0 ? { columnGroups } : {}), ...(warnings.length > 0 ? { warnings } : {}) };
  const state: PreprocessState = { version: 1, features, target, inputShape, inputDtype, ...(inputs ? { inputs } : {}), ...several, ...selection };
  const arrays = (part: Int32Array): SplitArrays => {
    const xs = inputs ? encodeInputs(inputs, features, table, part, lines) : [encodeRows(features, table, part, lines, expanded.entry)];
    const ys = targets.map((t, j) => encodeTargets(t, table, part, targetCtx(data, j, lines)));
    const [x, y] = [must(xs[0], 'at least one input'), must(ys[0], 'at least one target')];
    return { n: part.length, x, y, rows: part, ...(inputs ? { xs } : {}), ...(targets.length > 1 ? { ys } : {}) };
  };
  const encode = (name: 'train' | 'val' | 'test') => step('encode', `encoding the ${name} split (${split[name].length.toLocaleString('en-US')} rows)`, () => arrays(split[name]));
  return { train: encode('train'), val: encode('val'), test: encode('test'), inputShape, inputDtype, target, ...(inputs ? { inputs } : {}), ...several, state, fingerprint, cached: false };
}

function splitRows(data: DataSpec, table: Table, ids: Int32Array, seed: number): SplitIndices {
  const column = data.split.column;
  if (column) return splitByColumn(ids, (i) => cellOf(table, i, column), 'data.split.column', table.lines);
  const by = data.split.by;
  if (by) return splitByTime(ids, (i) => cellOf(table, i, by), data.split, by, byColumnFormat(data.features, by, sourceMarkers(data.source)), table.lines);
  // With several targets the split keeps the proportions of the first classification target.
  const strataTarget: TargetSpec | undefined = targetsOf(data).find((t) => t.type !== 'regression');
  // k-fold: test held out by fraction, validation = the fold this run trains (data.split.fold), train = the other folds.
  const byFractions = (st?: Int32Array) => (data.split.folds === undefined ? splitByFractions(ids, data.split, seed, st) : splitByFolds(ids, { ...data.split, folds: data.split.folds }, seed, st));
  if (!data.split.stratify || !strataTarget) return byFractions();
  // strata are just "same value" groups; classes proper are fitted on train after the split
  const groups = new Map<string, number>();
  const strata = new Int32Array(table.length);
  for (const i of ids) {
    const k = String(cellOf(table, i, strataTarget.name));
    const group = groups.get(k) ?? groups.size;
    groups.set(k, group);
    strata[i] = group;
  }
  return byFractions(strata);
}

function encodeTargets(t: TargetInfo, table: Table, part: Int32Array, ctx: { path: string; lines?: Int32Array }): Float32Array | Int32Array {
  const y = t.type === 'regression' ? new Float32Array(part.length) : new Int32Array(part.length);
  part.forEach((row, k) => {
    y[k] = encodeTarget(t, cellOf(table, row, t.name), row, ctx);
  });
  return y;
}
