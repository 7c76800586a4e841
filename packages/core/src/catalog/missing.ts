/**
 * Which raw cells of a data file count as missing. One table for every reader (CSV, JSONL, JSON, the
 * typed-column loader) and every feature, so "missing" means the same thing at read time, in
 * preprocessing, in error messages and in the docs.
 *
 * Rules:
 * - JSON null, an absent key (undefined) and a number that is NaN are always missing.
 * - A string is missing when, after trimming surrounding white space, it is empty or equals one of the
 *   markers, compared case-insensitively (`na`, `NA` and `Na` are the same marker).
 * - The markers are `DEFAULT_MISSING_MARKERS` unless a list is given: a feature's `missingValues`
 *   replaces the source's, which replaces the defaults. An empty cell is missing whatever the list.
 * - A number is missing when it is NaN or equals a marker written as a number (`-999` matches -999 read
 *   as a number by a typed column); booleans, arrays and objects are never missing.
 */

/** The markers used when neither the source nor the feature gives `missingValues` (the empty cell is always missing too). */
export const DEFAULT_MISSING_MARKERS: readonly string[] = ['NA', 'N/A', 'null', 'NaN', '?', '#N/A'];

/** The rule in one sentence, for schema descriptions and docs. */
export const MISSING_RULE =
  `A cell is missing when it is empty, JSON null, or (after trimming surrounding spaces, ignoring case) one of the missing markers; the default markers are ${DEFAULT_MISSING_MARKERS.join(', ')}.`;

/** Decides whether a raw cell is missing. */
export type MissingTest = (v: unknown) => boolean;

const normalize = (s: string) => s.trim().toLowerCase();
const EDGE_SPACE = /^\s|\s$/;

/** The markers that apply: the first list given (feature, then source), else the defaults. */
export function missingMarkers(...overrides: (readonly string[] | undefined)[]): readonly string[] {
  return overrides.find((m) => m !== undefined) ?? DEFAULT_MISSING_MARKERS;
}

/** A fast test for one marker list (default markers when none is given); build it once per column, call it per cell. */
export function missingTest(markers: readonly string[] = DEFAULT_MISSING_MARKERS): MissingTest {
  const set = new Set(markers.map(normalize));
  set.add('');
  const numbers = new Set(markers.map((m) => (m.trim() === '' ? NaN : Number(m))).filter(Number.isFinite));
  // A string longer than every marker can only be one if it has surrounding spaces; skip the trim for the common case.
  const longest = Math.max(...[...set].map((m) => m.length));
  return (v) => {
    if (v === null || v === undefined) return true;
    if (typeof v === 'number') return Number.isNaN(v) || numbers.has(v);
    if (typeof v !== 'string') return false;
    if (v.length > longest && !EDGE_SPACE.test(v)) return false;
    return set.has(normalize(v));
  };
}

const defaultTest = missingTest();
// One test per marker list: states and specs hold their list for the whole run, so cells reuse its set.
const tests = new WeakMap<readonly string[], MissingTest>();

/** Whether a raw cell is missing under the given markers (the default markers when none are given). */
export function isMissingValue(v: unknown, markers?: readonly string[]): boolean {
  if (markers === undefined) return defaultTest(v);
  let test = tests.get(markers);
  if (!test) tests.set(markers, (test = missingTest(markers)));
  return test(v);
}

/** The markers as an error message lists them: `empty, "NA", "N/A", ...`. */
export function describeMissingMarkers(markers: readonly string[] = DEFAULT_MISSING_MARKERS): string {
  return ['an empty cell', ...markers.filter((m) => m.trim() !== '').map((m) => JSON.stringify(m))].join(', ');
}
