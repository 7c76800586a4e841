/** A standardized regression target end to end: trained scaled, reported and predicted in its own units (cars, miles per gallon). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kiln } from './run-cli.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
const CARS = 'pipelines/cars-regression.yaml';

type Result = { runId: string; artifactsDir: string; metrics: { val: Record<string, number>; test: Record<string, number> } };
type Summary = { max: number; final: number | null };

describe('data.target.scale', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-target-scale-'));
  const env = { KILN_STORE: join(dir, 'kiln.db') };
  const rows = join(dir, 'cars.jsonl');
  writeFileSync(
    rows,
    [
      { Cylinders: 4, Displacement: 97, Horsepower: 88, Weight_in_lbs: 2130, Acceleration: 14.5, Year: 1971 },
      { Cylinders: 8, Displacement: 350, Horsepower: 165, Weight_in_lbs: 3693, Acceleration: 11.5, Year: 1970 },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );

  it('standard (the default): losses, metrics, stored values and kiln predict are in miles per gallon', () => {
    const train = kiln(['train', CARS, '--set', 'train.epochs=4', '--json'], { env });
    expect(train.stderr).not.toMatch(STACK_FRAME);
    expect(train.code).toBe(0);
    const r = JSON.parse(train.stdout) as Result;
    // mse reported as loss * std²: the val loss is the square of the val RMSE, both in mpg
    expect(r.metrics.val.loss).toBeCloseTo((r.metrics.val.rmse ?? Number.NaN) ** 2, 2);
    expect(r.metrics.test.rmse).toBeGreaterThan(1);
    const state = JSON.parse(readFileSync(join(r.artifactsDir, 'preprocess.json'), 'utf8')) as { target: { scale?: { kind: string; mean: number; std: number } } };
    expect(state.target.scale?.kind).toBe('standard');
    expect(state.target.scale?.mean).toBeGreaterThan(20);
    expect(state.target.scale?.std).toBeGreaterThan(5);

    const show = JSON.parse(kiln(['show', r.runId, '--json'], { env }).stdout) as { metrics: Record<string, Summary> };
    // the untrained model's batch loss is about the variance of mpg (~60), not ~1 as on the scaled target
    expect(show.metrics['train.batch_loss']?.max).toBeGreaterThan(15);
    expect(show.metrics['test.rmse']?.final).toBeCloseTo(r.metrics.test.rmse ?? Number.NaN, 6);

    const predict = kiln(['predict', r.runId, rows], { env });
    expect(predict.code).toBe(0);
    const values = predict.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { value: number }).value);
    expect(values).toHaveLength(2);
    // a light 4-cylinder car does more miles per gallon than a heavy V8, both in mpg's range
    values.forEach((v) => expect(v).toBeGreaterThan(5));
    values.forEach((v) => expect(v).toBeLessThan(60));
    expect(values[0]).toBeGreaterThan(values[1] ?? Infinity);
  }, 120_000);

  it('log trains on log1p(y) and predicts in the target units; a value at or below -1 is a located error', () => {
    const train = kiln(['train', CARS, '--set', 'data.target.scale=log', '--set', 'train.epochs=4', '--json'], { env });
    expect(train.code).toBe(0);
    const { runId } = JSON.parse(train.stdout) as Result;
    const values = kiln(['predict', runId, rows], { env }).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { value: number }).value);
    values.forEach((v) => expect(v).toBeGreaterThan(5));

    const csv = join(dir, 'shift.csv');
    writeFileSync(csv, ['x,y', ...Array.from({ length: 30 }, (_, i) => `${i},${i === 17 ? -4 : i * 2}`)].join('\n'));
    const spec = join(dir, 'shift.yaml');
    writeFileSync(
      spec,
      `name: shift
data:
  source: { type: csv, path: shift.csv }
  features: [{ name: x, type: numeric }]
  target: { name: y, type: regression, scale: log }
  split: { train: 1, val: 0, test: 0 }
model: { layers: [{ type: dense, units: 1 }] }
train: { loss: mse, optimizer: { name: adam }, epochs: 1 }
`,
    );
    const bad = kiln(['train', spec], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(STACK_FRAME);
    expect(bad.stderr).toMatch(/error\[data\/log-target\] .*shift\.yaml:\d+:\d+ +data\.target\.name/);
    expect(bad.stderr).toContain('line 19');
    expect(bad.stderr).toContain('scale: log takes log1p, which needs values above -1');
  }, 120_000);
});
