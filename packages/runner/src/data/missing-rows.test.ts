import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPackage } from './builtin/resolve.ts';
import { prepareData } from './prepare.ts';
import { firstKilnError, pipelineWith } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-missing-'));
const vega = (file: string) => join(dataPackage('vega-datasets').dir, 'data', file);
const opts = { baseDir: dir, cache: false };

/**
 * Seattle's daily weather (vega-datasets, 1,461 days) as people's CSVs look: NA and ? in the precipitation and wind
 * columns, N/A and spelling variants (" Rain", "RAIN ") in the weather column, -999 for an unknown temp_min.
 */
function writeMessySeattle(): { nas: number; sentinels: number } {
  const [header = '', ...rows] = readFileSync(vega('seattle-weather.csv'), 'utf8').trim().split('\n');
  let nas = 0;
  let sentinels = 0;
  const out = rows.map((line, i) => {
    const [date, precipitation, tempMax, tempMin, wind, weather] = line.split(',');
    const marker = i % 13 === 0 ? (nas++, ['NA', '?', ' n/a'][i % 3]) : undefined;
    const min = i % 23 === 0 ? (sentinels++, '-999') : tempMin;
    const label = i % 19 === 0 ? 'N/A' : i % 5 === 0 ? ` ${String(weather).toUpperCase()} ` : weather;
    return [date, marker ?? precipitation, tempMax, min, i % 17 === 0 ? '?' : wind, label].join(',');
  });
  writeFileSync(join(dir, 'seattle-messy.csv'), `${[header, ...out].join('\r\n')}\r\n`);
  return { nas, sentinels };
}
const messy = writeMessySeattle();

describe('missing markers in a messy CSV', () => {
  const spec = (features: string, source = '') =>
    pipelineWith(`source: { type: csv, path: seattle-messy.csv${source} }\nfeatures:\n${features}\ntarget: { name: temp_max, type: regression }\nsplit: { seed: 3 }`, 'regression', dir);

  it('counts NA, ? and n/a as missing in numeric columns, and N/A in a category column', async () => {
    const d = await prepareData(spec('  - { name: precipitation, type: numeric, missing: mean }\n  - { name: wind, type: numeric, missing: mean }\n  - { name: weather, type: category, lowercase: true }'), opts);
    expect(d.train.n + d.val.n + d.test.n).toBe(1461);
    const [precipitation, , weather] = d.state.features;
    // the fill value is the mean of the real values: every marker was skipped, none read as a number
    expect(precipitation?.type === 'numeric' && precipitation.mean).toBeGreaterThan(2.5);
    expect(weather?.type === 'category' && weather.categories).toEqual(['<OOV>', 'drizzle', 'fog', 'rain', 'snow', 'sun']);
  });

  it('fails on a missing value under missing: error, and on a marker the feature does not know, naming the markers and how to add one', async () => {
    const e = await firstKilnError(() => prepareData(spec('  - { name: precipitation, type: numeric }'), opts));
    expect(e).toMatchObject({ code: 'data/missing-value', path: 'data.features[0]' });
    const other = await firstKilnError(() => prepareData(spec('  - { name: wind, type: numeric, missingValues: [NA] }'), opts));
    expect(other).toMatchObject({ code: 'data/not-a-number', path: 'data.features[0]' });
    expect(other.message).toMatch(/^row \d+ \(line \d+\) has "\?" in the numeric column "wind"$/);
    expect(other.hint).toContain('cells that count as missing here: an empty cell, "NA"');
    expect(other.hint).toContain('e.g. missingValues: ["NA", "?"]');
  });

  it('drops the rows of a per-feature sentinel (-999) with missing: drop, counting them in a warning', async () => {
    const d = await prepareData(spec('  - { name: temp_min, type: numeric, missing: drop, missingValues: ["-999"] }'), opts);
    expect(d.train.n + d.val.n + d.test.n).toBe(1461 - messy.sentinels);
    expect(d.state.warnings).toEqual([`dropped ${messy.sentinels} rows of 1461 with no value in column "temp_min" (missing: drop)`]);
    const min = d.state.features[0];
    expect(min?.type === 'numeric' && min.min).toBeGreaterThan(-20);
  });

  it('takes the source list for every column, and a feature list over it', async () => {
    const d = await prepareData(spec('  - { name: temp_min, type: numeric, missing: mean }\n  - { name: weather, type: category }', ', missingValues: ["-999", "N/A"]'), opts);
    const [min, weather] = d.state.features;
    expect(min).toMatchObject({ missingValues: ['-999', 'N/A'] });
    expect(min?.type === 'numeric' && min.min).toBeGreaterThan(-20);
    expect(weather?.type === 'category' && weather.categories).not.toContain('N/A');
    const own = await prepareData(spec('  - { name: weather, type: category, missingValues: [] }', ', missingValues: ["N/A"]'), opts);
    expect(own.state.features[0]?.type === 'category' && own.state.features[0].categories).toContain('N/A');
  });
});

describe('a missing target', () => {
  copyFileSync(vega('movies.json'), join(dir, 'movies.json'));
  const movies = (target = '{ name: IMDB Rating, type: regression }') =>
    pipelineWith(
      `source: { type: json, path: movies.json }\nfeatures:\n  - { name: Production Budget, type: numeric, missing: mean }\n  - { name: Running Time min, type: numeric, missing: mean }\n  - { name: MPAA Rating, type: category }\n  - { name: Major Genre, type: category }\ntarget: ${target}`,
      'regression',
      dir,
    );

  it('drops the 213 movies with a null IMDB rating (JSON null), with a warning that counts them', async () => {
    const d = await prepareData(movies(), opts);
    expect(d.train.n + d.val.n + d.test.n).toBe(3201 - 213);
    expect(d.state.warnings).toEqual(['dropped 213 rows of 3201 whose target "IMDB Rating" is missing (data.target.missing: drop)']);
    const [, runtime, rating] = d.state.features;
    // 1,992 null running times were filled with the mean of the others, not read as 0
    expect(runtime?.type === 'numeric' && runtime.min).toBeGreaterThan(40);
    // 605 null ratings are the OOV bucket, not a "null" category
    const categories = rating?.type === 'category' ? rating.categories : [];
    expect(categories).toEqual(expect.arrayContaining(['<OOV>', 'G', 'NC-17', 'Not Rated', 'PG', 'PG-13', 'R']));
    expect(categories.filter((c) => !['<OOV>', 'G', 'NC-17', 'Not Rated', 'Open', 'PG', 'PG-13', 'R'].includes(c))).toEqual([]);
  });

  it('fails at the first row without a target with missing: error', async () => {
    const e = await firstKilnError(() => prepareData(movies('{ name: IMDB Rating, type: regression, missing: error }'), opts));
    const first = (JSON.parse(readFileSync(join(dir, 'movies.json'), 'utf8')) as Record<string, unknown>[]).findIndex((m) => m['IMDB Rating'] === null);
    expect(e).toMatchObject({ code: 'data/missing-target', path: 'data.target.missing', message: `row ${first} has no value in the target column "IMDB Rating"` });
    expect(e.hint).toContain('missing: drop');
  });

  it('reads JSONL the same way: null, an absent key and a marker string are missing, in features and the target', async () => {
    const films = (JSON.parse(readFileSync(vega('movies.json'), 'utf8')) as Record<string, unknown>[]).slice(0, 400);
    const lines = films.map((m, i) => {
      const { ['Running Time min']: runtime, ...rest } = m;
      // every 7th film writes its missing running time as "N/A", every 11th leaves the key out, the others keep null
      return JSON.stringify(i % 11 === 0 ? rest : { ...rest, 'Running Time min': runtime ?? (i % 7 === 0 ? 'N/A' : null) });
    });
    writeFileSync(join(dir, 'movies.jsonl'), `${lines.join('\n')}\n`);
    const spec = pipelineWith(
      'source: { type: jsonl, path: movies.jsonl }\nfeatures:\n  - { name: Running Time min, type: numeric, missing: mean }\n  - { name: MPAA Rating, type: category }\ntarget: { name: IMDB Rating, type: regression }',
      'regression',
      dir,
    );
    const d = await prepareData(spec, opts);
    const unrated = films.filter((m) => m['IMDB Rating'] === null).length;
    expect(unrated).toBeGreaterThan(0);
    expect(d.train.n + d.val.n + d.test.n).toBe(400 - unrated);
    expect(d.state.warnings).toEqual([`dropped ${unrated} rows of 400 whose target "IMDB Rating" is missing (data.target.missing: drop)`]);
    const runtime = d.state.features[0];
    expect(runtime?.type === 'numeric' && runtime.min).toBeGreaterThan(40);
  });

  it('reads NA in a CSV target column as missing, unless the source says NA is a value', async () => {
    copyFileSync(vega('airports.csv'), join(dir, 'airports.csv'));
    const airports = (source = '') =>
      pipelineWith(
        `source: { type: csv, path: airports.csv${source} }\nfeatures:\n  - { name: latitude, type: numeric }\n  - { name: longitude, type: numeric }\ntarget: { name: state, type: multiclass }\nfilter: { column: state, in: [CA, TX, AK, NA] }`,
        'multiclass',
        dir,
      );
    const d = await prepareData(airports(), opts);
    expect(d.target.classes).toEqual(['AK', 'CA', 'TX']);
    expect(d.state.warnings).toEqual(['dropped 12 rows of 689 whose target "state" is missing (data.target.missing: drop)']);
    const kept = await prepareData(airports(', missingValues: []'), opts);
    expect(kept.target.classes).toEqual(['AK', 'CA', 'NA', 'TX']);
  });
});
