import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kiln } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiln-dates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Readings from three offices, stamped in each office's own local time and zone, so the file's order (and the
 * wall-clock order) is not time order: within a day 08:15-05:00, 09:15Z and 10:15+02:00 happen in reverse.
 * A second column has the same moment written DD/MM/YYYY HH:mm in UTC, a third has missing markers.
 */
function writeCsv(): { file: string; instants: number[] } {
  const zones = ['-05:00', 'Z', '+02:00'];
  const lines = ['when,logged,closed,load,busy'];
  const instants: number[] = [];
  for (let i = 0; i < 62; i++) {
    const zone = zones[i % 3] ?? 'Z';
    const offset = zone === 'Z' ? 0 : Number(zone.slice(0, 3)) * 60;
    const day = 1 + Math.floor(i / 3);
    const hour = 8 + (i % 3);
    const wall = `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:15:00${zone}`;
    const instant = Date.UTC(2024, 2, day, hour, 15) - offset * 60_000;
    instants.push(instant);
    const utc = new Date(instant);
    const logged = `${String(utc.getUTCDate()).padStart(2, '0')}/03/2024 ${String(utc.getUTCHours()).padStart(2, '0')}:15`;
    lines.push(`${wall},${logged},${i % 7 === 0 ? 'NA' : `2024-04-${String(day).padStart(2, '0')}`},${(i * 37) % 100},${i % 2 === 0 ? 'yes' : 'no'}`);
  }
  const file = join(dir, 'offices.csv');
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return { file, instants };
}

const pipeline = (extra = '') => `name: offices
data:
  source: { type: csv, path: offices.csv }
  features:
    - { name: when, type: date, encodings: [elapsed, hour, dayOfWeek] }
    - { name: logged, type: date, format: DD/MM/YYYY HH:mm, encodings: [elapsed] }
    - { name: closed, type: date, missing: mean }
    - { name: load, type: numeric }
  target: { name: busy, type: binary }
  split: { by: when, train: 0.6, val: 0.2, test: 0.2${extra} }
model:
  layers:
    - { type: dense, units: 4, activation: relu }
    - { type: dense, units: 1, activation: sigmoid }
train:
  loss: binaryCrossentropy
  optimizer: { name: adam, learningRate: 0.01 }
  epochs: 1
  batchSize: 8
  metrics: [accuracy]
`;

describe('dates and the time-ordered split through kiln train', () => {
  it('trains on dates with zones and formats, and no train row is newer than any test row', () => {
    const { instants } = writeCsv();
    writeFileSync(join(dir, 'offices.yaml'), pipeline());
    const r = kiln(['train', 'offices.yaml', '--store', join(dir, 'runs.db'), '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { status: string; artifactsDir: string };
    expect(result.status).toBe('finished');
    const split = JSON.parse(readFileSync(join(result.artifactsDir, 'split.json'), 'utf8')) as Record<'train' | 'val' | 'test', number[]>;
    expect([split.train.length, split.val.length, split.test.length]).toEqual([38, 12, 12]);
    const t = (rows: number[]) => rows.map((i) => instants[i] ?? NaN);
    expect(Math.max(...t(split.train))).toBeLessThan(Math.min(...t(split.val)));
    expect(Math.max(...t(split.val))).toBeLessThan(Math.min(...t(split.test)));
    // the cut falls inside day 13 (rows 36-38): the two earliest instants train, though they come last in the file
    expect(split.train).toContain(37);
    expect(split.train).toContain(38);
    expect(split.val).toContain(36);
    const order = [...instants.keys()].sort((a, b) => (instants[a] ?? 0) - (instants[b] ?? 0));
    expect(order.slice(0, 3)).toEqual([2, 1, 0]);
    expect(split.test).toEqual(order.slice(50).sort((a, b) => a - b));
  });

  it('refuses split.by with split.column at the key, and a date that does not match its format with the row and the format', () => {
    writeFileSync(join(dir, 'both.yaml'), pipeline(', column: part'));
    const both = kiln(['validate', 'both.yaml'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/error\[check\/split-by\] both\.yaml:\d+:\d+ {2}data\.split\.by/);
    expect(both.stderr).toContain('cannot be combined with data.split.column');
    writeFileSync(join(dir, 'folds.yaml'), pipeline().replace('split: { by: when, train: 0.6, val: 0.2, test: 0.2 }', 'split: { by: when, folds: 3, test: 0.2 }'));
    const folds = kiln(['validate', 'folds.yaml'], { cwd: dir });
    expect(folds.code).toBe(2);
    expect(folds.stderr).toMatch(/folds\.yaml:\d+:\d+ {2}data\.split\.by\n {2}data\.split\.by cannot be combined with data\.split\.folds/);

    writeFileSync(join(dir, 'bad.yaml'), pipeline().replace('format: DD/MM/YYYY HH:mm', 'format: MM/DD/YYYY HH:mm'));
    const bad = kiln(['train', 'bad.yaml', '--store', join(dir, 'runs.db')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[data/bad-date]');
    expect(bad.stderr).toContain('data.features[1]');
    expect(bad.stderr).toMatch(/row \d+ \(line \d+\) has "\d\d\/03\/2024 \d\d:15" in date column "logged", which does not match format "MM\/DD\/YYYY HH:mm"/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
