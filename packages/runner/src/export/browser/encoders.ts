/**
 * One encoder per feature type, the exported twin of data/preprocess's FEATURES: how a raw cell becomes
 * the model's numbers (missing markers, scalers, category and token ids, image scale, date encodings).
 * Bundled into kiln-model.js: it imports only import-free modules (the date parser, the missing-value rule).
 */
import { DATE_CYCLES, dateParser, instantOf, type DateParts } from '../../data/preprocess/date-parse.ts';
import type { FeatureState } from '../../data/types.ts';
// the very rule training used, so an exported model reads a cell as missing exactly when Kiln did
import { missingTest } from '@kiln/core/missing';

export type Out = Float32Array | Int32Array;
type Of<T extends FeatureState['type']> = Extract<FeatureState, { type: T }>;

/** An input that cannot be encoded: the message names the row and the column. */
export class InputError extends Error {
  override name = 'KilnInputError';
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DAY = 86_400_000;

const tests = new WeakMap<object, (v: unknown) => boolean>();
/** The missing test of a feature state, built once. */
function missingOf(s: { missingValues?: string[] }): (v: unknown) => boolean {
  let t = tests.get(s);
  if (!t) tests.set(s, (t = missingTest(s.missingValues)));
  return t;
}

/** A numeric cell as a number, null when missing; an InputError when it is not a decimal number. */
function numberOf(s: Of<'numeric'>, v: unknown, row: number): number | null {
  if (missingOf(s)(v)) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && DECIMAL.test(v.trim())) {
    const n = Number(v.trim());
    if (Number.isFinite(n)) return n;
  }
  throw new InputError(`row ${row} has ${JSON.stringify(v)} in the numeric column "${s.name}"`);
}

/** Token strings of a text cell, at most `limit` from the start (words: runs of letters and digits; chars: code points). */
function tokenize(s: Of<'text'>, v: unknown, limit: number): string[] {
  if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) return [];
  const text = s.lowercase ? String(v).toLowerCase() : String(v);
  const out: string[] = [];
  if (s.tokenizer === 'chars') {
    for (const ch of text) {
      if (out.length >= limit) break;
      out.push(ch);
    }
    return out;
  }
  const re = s.lowercase ? /[a-z0-9]+/g : /[A-Za-z0-9]+/g;
  for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) out.push(m[0]);
  return out;
}

const parsers = new WeakMap<object, (text: string) => DateParts | undefined>();
/** A date cell as its parts, null when missing; an InputError when it does not match the feature's format. */
function dateOf(s: Of<'date'>, v: unknown, row: number): DateParts | null {
  if (missingOf(s)(v)) return null;
  let parse = parsers.get(s);
  if (!parse) parsers.set(s, (parse = dateParser(s.format)));
  const p = typeof v === 'string' || typeof v === 'number' ? parse(String(v)) : undefined;
  if (!p) throw new InputError(`row ${row} has ${JSON.stringify(v)} in the date column "${s.name}", which does not match ${s.format === undefined ? 'ISO 8601' : `format "${s.format}"`}`);
  return p;
}

const indexes = new WeakMap<object, Map<string, number>>();
/** A list's value -> position map (from `from` on), built once per list. */
function indexOf(list: string[], from: number): Map<string, number> {
  let m = indexes.get(list);
  if (!m) indexes.set(list, (m = new Map(list.slice(from).map((c, i) => [c, i + from]))));
  return m;
}

/** One feature type's encoding: its width per row, the dtype it needs, whether a row is dropped, and how a cell is written. */
interface Encoder<S extends FeatureState> {
  shape(s: S): number[];
  dtype(s: S): 'float32' | 'int32';
  drops?(s: S, v: unknown): boolean;
  encode(s: S, v: unknown, out: Out, at: number, row: number): void;
}

const missingValue = (name: string, row: number) => new InputError(`row ${row} has no value in column "${name}" (the pipeline's missing: error)`);

/** Feature type -> its encoding, the same registry as data/preprocess's FEATURES. */
const ENCODERS: { [T in FeatureState['type']]: Encoder<Of<T>> } = {
  numeric: {
    shape: () => [1],
    dtype: () => 'float32',
    drops: (s, v) => s.missing === 'drop' && missingOf(s)(v),
    encode(s, v, out, at, row) {
      const x = numberOf(s, v, row);
      if (x === null && s.missing !== 'mean') throw missingValue(s.name, row);
      const n = x ?? s.mean;
      out[at] = s.normalize === 'standardize' ? (n - s.mean) / (s.std || 1) : s.normalize === 'minmax' ? (s.max > s.min ? (n - s.min) / (s.max - s.min) : 0) : n;
    },
  },
  category: {
    shape: (s) => [s.encoding === 'oneHot' ? s.categories.length - 1 : 1],
    dtype: (s) => (s.encoding === 'oneHot' ? 'float32' : 'int32'),
    encode(s, v, out, at) {
      let key = String(v);
      if (s.trim === true) key = key.trim();
      if (s.lowercase === true) key = key.toLowerCase();
      const i = missingOf(s)(v) ? 0 : (indexOf(s.categories, 1).get(key) ?? 0);
      if (s.encoding === 'index') out[at] = i;
      else {
        out.fill(0, at, at + s.categories.length - 1);
        if (i > 0) out[at + i - 1] = 1;
      }
    },
  },
  text: {
    shape: (s) => [s.maxLength],
    dtype: () => 'int32',
    encode(s, v, out, at) {
      // A state without markers (saved before text had them) reads only empty and null cells as missing.
      const cell = s.missingValues !== undefined && missingOf(s)(v) ? '' : v;
      let toks = tokenize(s, cell, s.truncation === 'post' ? s.maxLength : Infinity);
      if (toks.length > s.maxLength) toks = toks.slice(toks.length - s.maxLength);
      const start = s.padding === 'pre' ? at + s.maxLength - toks.length : at;
      const vocab = indexOf(s.vocab, 2);
      out.fill(0, at, at + s.maxLength);
      toks.forEach((tok, k) => (out[start + k] = vocab.get(tok) ?? 1));
    },
  },
  image: {
    shape: (s) => [...s.shape],
    dtype: () => 'float32',
    encode(s, v, out, at, row) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      const values = v as ArrayLike<unknown> | null | undefined;
      if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || !values || values.length !== n) throw new InputError(`row ${row}: the image in column "${s.name}" needs a flat array of ${n} numbers (shape [${s.shape.join(', ')}])`);
      for (let p = 0; p < n; p++) {
        const x = values[p];
        if (typeof x !== 'number' || !Number.isFinite(x)) throw new InputError(`row ${row}: pixel ${p} of the image in column "${s.name}" is ${JSON.stringify(x)}`);
        out[at + p] = s.scale === 1 ? x : x / s.scale;
      }
    },
  },
  date: {
    shape: (s) => [s.encodings.reduce((w, e) => w + (e === 'elapsed' ? 1 : 2), 0)],
    dtype: () => 'float32',
    drops: (s, v) => s.missing === 'drop' && missingOf(s)(v),
    encode(s, v, out, at, row) {
      const p = dateOf(s, v, row);
      if (p === null && s.missing !== 'mean') throw missingValue(s.name, row);
      for (const e of s.encodings) {
        if (e === 'elapsed') {
          out[at] = ((p === null ? s.mean : instantOf(p)) - s.min) / (s.range || DAY);
          at += 1;
        } else {
          const cycle = DATE_CYCLES[e as keyof typeof DATE_CYCLES];
          const angle = p === null || !cycle ? undefined : 2 * Math.PI * cycle(p);
          out[at] = angle === undefined ? 0 : Math.sin(angle);
          out[at + 1] = angle === undefined ? 0 : Math.cos(angle);
          at += 2;
        }
      }
    },
  },
};

/** The encoder of a feature state. */
export const encoder = (f: FeatureState) => ENCODERS[f.type] as Encoder<FeatureState>;
