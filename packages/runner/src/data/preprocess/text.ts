import { isMissingValue, missingMarkers } from '@kiln/core/catalog';
import { tokenize } from './tokenize.ts';
import type { FeatureHandler, StateOf } from './types.ts';

type State = StateOf<'text'>;

export const PAD = '<PAD>';
export const UNK = '<OOV>';

const lookups = new WeakMap<State, Map<string, number>>();

function vocabIndex(s: State): Map<string, number> {
  let m = lookups.get(s);
  if (!m) lookups.set(s, (m = new Map(s.vocab.slice(2).map((t, i) => [t, i + 2]))));
  return m;
}

/** A cell's text: '' (no tokens, all padding) when missing; a state saved before text had markers keeps its old reading (only empty and null cells). */
function textOf(markers: readonly string[] | undefined, v: unknown): unknown {
  return markers !== undefined && isMissingValue(v, markers) ? '' : v;
}

/**
 * A text column as token ids. Missing cells (see missingValues) are empty texts: they add nothing to the vocabulary. Vocabulary from the train split only: 0 = padding, 1 = out-of-vocabulary, then the
 * (vocabSize - 2) most frequent train tokens by total count, ties broken alphabetically (bench_data.build_vocab).
 * truncation post keeps the first maxLength tokens, pre the last; padding pre puts the zeros on the left.
 */
export const text: FeatureHandler<'text'> = {
  fit(spec, values) {
    // The state records the markers it used (the defaults written out), so a saved model reads cells as it was fitted.
    const markers = [...missingMarkers(spec.missingValues)];
    const counts = new Map<string, number>();
    for (const v of values) for (const t of tokenize(textOf(markers, v), spec)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, spec.vocabSize - 2)
      .map(([t]) => t);
    const { name, lowercase, tokenizer, maxLength, padding, truncation } = spec;
    return { name, type: 'text', lowercase, tokenizer, maxLength, padding, truncation, vocab: [PAD, UNK, ...top], missingValues: markers };
  },
  shape: (s) => [s.maxLength],
  dtype: () => 'int32',
  encode(s, v, out, offset) {
    const vocab = vocabIndex(s);
    let toks = tokenize(textOf(s.missingValues, v), s, s.truncation === 'post' ? s.maxLength : Infinity);
    if (toks.length > s.maxLength) toks = toks.slice(toks.length - s.maxLength);
    const start = s.padding === 'pre' ? offset + s.maxLength - toks.length : offset;
    out.fill(0, offset, offset + s.maxLength);
    toks.forEach((tok, k) => (out[start + k] = vocab.get(tok) ?? 1));
  },
};
