import { must } from '@kiln/core/errors';
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheMaxBytes } from './cache-dir.ts';
import { evictCache } from './cache-entries.ts';
import { splitInputs, splitTargets } from './inputs.ts';
import type { InputInfo, PreparedData, PreprocessState, SplitArrays, TargetInfo } from './types.ts';

const FORMAT = 1;
const SPLITS = ['train', 'val', 'test'] as const;
type Typed = Float32Array | Int32Array;

interface ArrayMeta {
  dtype: 'float32' | 'int32';
  length: number;
}
/** What the .json file of an entry holds. */
export interface CacheMeta {
  format: number;
  fingerprint: string;
  /** What was prepared (the source file or builtin), for `kiln cache ls`. */
  source?: string;
  inputShape: number[];
  inputDtype: 'float32' | 'int32';
  target: TargetInfo;
  inputs?: InputInfo[];
  targets?: TargetInfo[];
  state: PreprocessState;
  /** Per split: n, then every input array, every target array and rows, stored in that order in the .bin file. */
  splits: Record<(typeof SPLITS)[number], { n: number; arrays: ArrayMeta[] }>;
}

/** JSON with object keys sorted, so equal values always serialize (and hash) equally. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) && !ArrayBuffer.isView(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

/** sha256 over the given parts, each length-prefixed so that no two part lists collide. */
export function fingerprintOf(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}`);
  return h.digest('hex');
}

const files = (dir: string, fp: string) => ({ meta: join(dir, `${fp}.json`), bin: join(dir, `${fp}.bin`) });
const meta = (a: Typed): ArrayMeta => ({ dtype: a instanceof Int32Array ? 'int32' : 'float32', length: a.length });

/** Writes arrays one after the other into a file (no copy of them all in one buffer). */
async function writeArrays(file: string, arrays: Typed[]): Promise<void> {
  const fh = await open(file, 'w');
  try {
    for (const a of arrays) await fh.write(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  } finally {
    await fh.close();
  }
}

/**
 * Writes prepared arrays under dir, keyed by the fingerprint; the .json is written last and marks the entry
 * complete. Then the least recently used entries go until the folder is within the cap (KILN_CACHE_MAX).
 */
export async function writeCache(dir: string, d: PreparedData, source?: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const f = files(dir, d.fingerprint);
  const parts = (s: (typeof SPLITS)[number]) => [...splitInputs(d[s]), ...splitTargets(d[s]), d[s].rows];
  const arrays = SPLITS.flatMap(parts);
  const m: CacheMeta = {
    format: FORMAT,
    fingerprint: d.fingerprint,
    ...(source === undefined ? {} : { source }),
    inputShape: d.inputShape,
    inputDtype: d.inputDtype,
    target: d.target,
    ...(d.inputs ? { inputs: d.inputs } : {}),
    ...(d.targets ? { targets: d.targets } : {}),
    state: d.state,
    splits: Object.fromEntries(SPLITS.map((s) => [s, { n: d[s].n, arrays: parts(s).map(meta) }])) as CacheMeta['splits'],
  };
  const tmp = `.${process.pid}.${Date.now()}.tmp`;
  await writeArrays(f.bin + tmp, arrays);
  await rename(f.bin + tmp, f.bin);
  await writeFile(f.meta + tmp, JSON.stringify(m));
  await rename(f.meta + tmp, f.meta);
  await evictCache(dir, cacheMaxBytes(), d.fingerprint);
}

/** The cached prepared data for a fingerprint, or undefined when absent or unreadable. */
export async function readCache(dir: string, fingerprint: string): Promise<PreparedData | undefined> {
  const f = files(dir, fingerprint);
  let m: CacheMeta;
  let bin: Buffer;
  try {
    m = JSON.parse(await readFile(f.meta, 'utf8')) as CacheMeta;
    bin = await readFile(f.bin);
  } catch {
    return undefined;
  }
  if (m.format !== FORMAT || m.fingerprint !== fingerprint) return undefined;
  // The .json's time is the entry's last use: eviction removes the least recently used first.
  const now = new Date();
  await utimes(f.meta, now, now).catch(() => undefined);
  // typed-array views need 4-byte alignment; copy once if the buffer is not aligned
  const buf = bin.byteOffset % 4 === 0 ? bin : Buffer.from(bin);
  let offset = 0;
  const take = (a: ArrayMeta): Typed => {
    const view = a.dtype === 'int32' ? new Int32Array(buf.buffer, buf.byteOffset + offset, a.length) : new Float32Array(buf.buffer, buf.byteOffset + offset, a.length);
    offset += a.length * 4;
    return view;
  };
  const inputCount = m.inputs?.length ?? 1;
  const targetCount = m.targets?.length ?? 1;
  const split = (s: (typeof SPLITS)[number]): SplitArrays => {
    const all = m.splits[s].arrays.map(take);
    const [xs, ys, rows] = [all.slice(0, inputCount), all.slice(inputCount, inputCount + targetCount), all[inputCount + targetCount]];
    const [x, y] = [must(xs[0], 'the cache stores at least one input'), must(ys[0], 'the cache stores at least one target')];
    return { n: m.splits[s].n, x, y, rows: rows as Int32Array, ...(m.inputs ? { xs } : {}), ...(m.targets ? { ys } : {}) };
  };
  const [train, val, test] = [split('train'), split('val'), split('test')];
  if (offset !== buf.byteLength) return undefined;
  const several = { ...(m.inputs ? { inputs: m.inputs } : {}), ...(m.targets ? { targets: m.targets } : {}) };
  return { train, val, test, inputShape: m.inputShape, inputDtype: m.inputDtype, target: m.target, ...several, state: m.state, fingerprint, cached: true };
}
