import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kiln, REPO } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-messy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Penguin = Record<string, string | number | null>;

/**
 * The vega-datasets penguins as a CSV the way people have them: a tag_id per bird, NA and ? where a measurement is
 * missing, island names with stray spaces and capitals, -1 for an unknown flipper length, and birds whose species
 * nobody wrote down (empty cells and N/A). Returns how many rows have no species.
 */
function writeMessyPenguins(): { rows: number; unlabeled: number } {
  const file = join(REPO, 'pipelines', 'node_modules', 'vega-datasets', 'data', 'penguins.json');
  const birds = JSON.parse(readFileSync(file, 'utf8')) as Penguin[];
  const cell = (v: string | number | null, i: number) => (v === null ? ['NA', '?', ''][i % 3] : String(v));
  let unlabeled = 0;
  const lines = birds.map((b, i) => {
    const island = [String(b.Island), `${String(b.Island)} `, String(b.Island).toUpperCase()][i % 3];
    const species = i % 29 === 0 ? (unlabeled++, i % 2 === 0 ? '' : 'N/A') : String(b.Species);
    const flipper = b['Flipper Length (mm)'] === null || i % 31 === 0 ? '-1' : String(b['Flipper Length (mm)']);
    return [7000 + i, island, cell(b['Beak Length (mm)'] ?? null, i), cell(b['Beak Depth (mm)'] ?? null, i), flipper, cell(b['Body Mass (g)'] ?? null, i), species].join(',');
  });
  writeFileSync(join(dir, 'penguins-messy.csv'), `tag_id,island,beak_length,beak_depth,flipper,body_mass,species\r\n${lines.join('\r\n')}\r\n`);
  return { rows: birds.length, unlabeled };
}

const PIPELINE = `name: messy-penguins
seed: 7
data:
  source: { type: csv, path: penguins-messy.csv }
  features:
    - { name: tag_id, type: numeric }
    - { columns: 'beak_*', type: numeric, missing: mean }
    - { name: flipper, type: numeric, missing: mean, missingValues: ['-1', NA] }
    - { columns: '*', type: numeric, missing: mean, exclude: [island, tag_id] }
    - { name: island, type: category, lowercase: true }
  target: { name: species, type: multiclass }
model:
  layers:
    - { type: dense, units: 8, activation: relu }
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam, learningRate: 0.01 }
  epochs: 2
  batchSize: 32
  metrics: [accuracy]
`;

const { rows, unlabeled } = writeMessyPenguins();

describe('kiln train on a messy CSV', () => {
  it('trains with missing markers, case-folded categories, column groups and unlabeled rows dropped, and says so', () => {
    writeFileSync(join(dir, 'messy.yaml'), PIPELINE);
    const store = join(dir, 'runs.db');
    const r = kiln(['train', 'messy.yaml', '--store', store], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const dropped = `dropped ${unlabeled} rows of ${rows} whose target "species" is missing (data.target.missing: drop)`;
    const idLike = `data.features[0] "tag_id" looks like a row id (${rows - unlabeled} distinct whole numbers in ${rows - unlabeled} rows, and its name says id)`;
    // the warnings come before training starts, not only in the summary
    expect(r.stderr).toContain(`warning: ${dropped}\nwarning: ${idLike}`);
    expect(r.stderr.indexOf(`warning: ${dropped}`)).toBeLessThan(r.stderr.indexOf('epoch'));
    const runId = /\nrun +(\S+)/.exec(r.stdout + r.stderr)?.[1] ?? 'no run id printed';

    const show = kiln(['show', runId, '--store', store, '--json'], { cwd: dir });
    expect(show.code, show.stderr).toBe(0);
    const run = JSON.parse(show.stdout) as { params: Record<string, unknown>; tags: Record<string, string> };
    // the groups' columns are on the run: beak_* took both beak columns, "*" what no other entry or the target uses
    expect(run.params['data.features[1].selected']).toEqual(['beak_length', 'beak_depth']);
    expect(run.params['data.features[3].selected']).toEqual(['body_mass']);
    expect(run.tags['kiln.warning']).toContain(`${dropped}; ${idLike}`);

    // predict reads new messy rows with the run's markers, spellings and groups: row 3 (NA, NA, -1, NA) and row 1
    // ("TORGERSEN") get a prediction like any other
    const rowsIn = readFileSync(join(dir, 'penguins-messy.csv'), 'utf8').split('\r\n').slice(0, 5).join('\r\n');
    writeFileSync(join(dir, 'new.csv'), `${rowsIn}\r\n`);
    const p = kiln(['predict', runId, 'new.csv', '--store', store], { cwd: dir });
    expect(p.code, p.stderr).toBe(0);
    const predictions = p.stdout.trim().split('\n').map((l) => JSON.parse(l) as { row: number; class: string });
    expect(predictions.map((x) => x.row)).toEqual([0, 1, 2, 3]);
    expect(predictions.every((x) => ['Adelie', 'Chinstrap', 'Gentoo'].includes(x.class))).toBe(true);
  });

  it('refuses a group that matches no column at its place in the pipeline, exit 2 and no stack trace', () => {
    writeFileSync(join(dir, 'nomatch.yaml'), PIPELINE.replace("columns: 'beak_*'", "columns: 'bill_*'"));
    const r = kiln(['train', 'nomatch.yaml', '--store', join(dir, 'runs.db')], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[data\/columns-no-match\] nomatch\.yaml:7:18 {2}data\.features\[1\]\.columns/);
    expect(r.stderr).toContain('columns "bill_*" matches no column');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
