import { describe, expect, it } from 'vitest';
import { DEFAULT_MISSING_MARKERS, describeMissingMarkers, isMissingValue, missingMarkers, missingTest } from './missing.ts';

describe('missing cells', () => {
  it('counts empty, null, undefined, NaN and the default markers (trimmed, any case) as missing', () => {
    for (const v of ['', '   ', null, undefined, Number.NaN, 'NA', 'na', ' N/A ', 'n/a', 'null', 'NULL', 'NaN', 'nan', '?', ' ? ', '#N/A', '\u00a0NA\u2003'])
      expect(isMissingValue(v), JSON.stringify(v)).toBe(true);
  });
  it('keeps values that only look similar', () => {
    for (const v of ['0', 'N', 'NAN1', 'None', '??', 'n.a.', 'nullable', 0, false, [], {}, '  long enough value  '])
      expect(isMissingValue(v), JSON.stringify(v)).toBe(false);
  });
  it('replaces the defaults with an override list, keeping the empty cell missing', () => {
    const test = missingTest(['-999', 'unknown']);
    expect([test('-999'), test(' UNKNOWN'), test(''), test(null)]).toEqual([true, true, true, true]);
    expect([test('NA'), test('?'), test('-9999')]).toEqual([false, false, false]);
    expect(missingTest([])('NA')).toBe(false);
    // a typed column reads -999 as a number: a numeric marker still matches it
    expect([test(-999), test(-999.5), missingTest(['-999.0'])(-999)]).toEqual([true, false, true]);
    expect(isMissingValue('unknown', ['unknown'])).toBe(true);
  });
  it('takes the feature list, then the source list, then the defaults', () => {
    expect(missingMarkers(['a'], ['b'])).toEqual(['a']);
    expect(missingMarkers(undefined, ['b'])).toEqual(['b']);
    expect(missingMarkers(undefined, undefined)).toBe(DEFAULT_MISSING_MARKERS);
  });
  it('lists the markers for an error message', () => {
    expect(describeMissingMarkers(['NA', ''])).toBe('an empty cell, "NA"');
    expect(describeMissingMarkers()).toContain('"N/A"');
  });
});
