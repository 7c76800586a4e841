/**
 * Class weights and the per-class report end to end, on a real imbalanced dataset: Seattle weather (vega-datasets,
 * 1,461 days; rain and sun about 44 % and 49 %, fog 7 %, drizzle 4 %, snow 2 %).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kiln, REPO } from './run-cli.ts';

const CSV = join(REPO, 'pipelines/node_modules/vega-datasets/data/seattle-weather.csv');
const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

const pipeline = `name: seattle-weather
seed: 3
data:
  source: { type: csv, path: ${JSON.stringify(CSV)} }
  features:
    - { name: precipitation, type: numeric }
    - { name: temp_max, type: numeric }
    - { name: temp_min, type: numeric }
    - { name: wind, type: numeric }
  target: { name: weather, type: multiclass }
  split: { train: 0.6, val: 0.2, test: 0.2 }
model:
  layers:
    - { type: dense, units: 32, activation: relu }
    - { type: dense, units: 5, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam, learningRate: 0.02 }
  epochs: 15
  batchSize: 64
  metrics: [accuracy, f1, f1Weighted]
`;

type Result = { runId: string; artifactsDir: string; metrics: { test: Record<string, number> }; classReports?: { report: { classes: { class: string; support: number }[] } }[] };

describe('train.classWeights on seattle-weather.csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-class-weights-'));
  const file = join(dir, 'weather.yaml');
  writeFileSync(file, pipeline);
  const env = { KILN_STORE: join(dir, 'kiln.db') };

  it('weighting the rare classes raises the test macro F1; the weights are params; the per-class report is printed and saved', () => {
    const plain = kiln(['train', file, '--json'], { env });
    expect(plain.code).toBe(0);
    const before = JSON.parse(plain.stdout) as Result;
    const weighted = kiln(['train', file, '--set', 'train.classWeights={drizzle: 3, fog: 2, snow: 3}'], { env });
    expect(weighted.stderr).not.toMatch(STACK_FRAME);
    expect(weighted.code).toBe(0);
    const testF1 = Number(/^f1 +\S+ +(\S+)$/m.exec(weighted.stdout)?.[1]);
    expect(testF1).toBeGreaterThan((before.metrics.test.f1 ?? 1) + 0.03);

    // the report: one row per class with its support, then the averages; its macro F1 is the f1 metric
    expect(weighted.stdout).toMatch(/test per class:\nclass +precision +recall +f1 +support\n[- ]+\n(\w+ +[\d.]+ +[\d.]+ +[\d.]+ +\d+\n){5}\nmacro avg +[\d.]+ +[\d.]+ +([\d.]+) +292\nweighted avg/);
    expect(Number(/^macro avg +[\d.]+ +[\d.]+ +([\d.]+)/m.exec(weighted.stdout)?.[1])).toBeCloseTo(testF1, 3);
    const runId = /^run +(\S+)$/m.exec(weighted.stdout)?.[1] ?? '';
    const artifacts = /^artifacts +(.+)$/m.exec(weighted.stdout)?.[1] ?? '';
    const saved = JSON.parse(readFileSync(join(artifacts, 'class-report.json'), 'utf8')) as { heads: { report: { classes: { class: string; support: number }[] } }[] };
    expect(saved.heads[0]?.report.classes.map((c) => c.class)).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    expect(saved.heads[0]?.report.classes.reduce((s, c) => s + c.support, 0)).toBe(292);
    expect(before.classReports?.[0]?.report.classes).toHaveLength(5);

    const show = kiln(['show', runId, '--json'], { env });
    const params = (JSON.parse(show.stdout) as { params: Record<string, unknown> }).params;
    expect([params['train.classWeight.drizzle'], params['train.classWeight.rain'], params['train.classWeight.snow']]).toEqual([3, 1, 3]);
    // kiln compare puts each class's test F1 side by side
    expect(kiln(['compare', before.runId, runId], { env }).stdout).toMatch(/\ntest\.f1 \[snow\] +[\d.]+ +[\d.]+\n/);
    // kiln show prints the saved report
    expect(kiln(['show', runId], { env }).stdout).toMatch(/\ntest per class:\nclass +precision +recall +f1 +support\n[\s\S]*\nsnow +[\d.]+ +[\d.]+ +[\d.]+ +\d+\n/);
    expect(existsSync(join(before.artifactsDir, 'class-report.json'))).toBe(true);
  }, 120_000);

  it('balanced weights are n / (k * count) of the train split, recorded per class', () => {
    const r = kiln(['train', file, '--set', 'train.classWeights=balanced', '--set', 'train.epochs=1', '--json'], { env });
    expect(r.code).toBe(0);
    const { runId } = JSON.parse(r.stdout) as Result;
    const params = (JSON.parse(kiln(['show', runId, '--json'], { env }).stdout) as { params: Record<string, number> }).params;
    const weights = ['drizzle', 'fog', 'rain', 'snow', 'sun'].map((c) => params[`train.classWeight.${c}`] ?? Number.NaN);
    // rarer classes weigh more: snow < drizzle < fog < rain, sun
    expect(weights[3]).toBeGreaterThan(weights[0] ?? Infinity);
    expect(weights[0]).toBeGreaterThan(weights[1] ?? Infinity);
    expect(weights[4]).toBeLessThan(1);
    // w = n / (5 * count) with n = 1461 - 292 - 292 train rows: every count a whole number, the counts summing to n
    const counts = weights.map((w) => 877 / (5 * w));
    counts.forEach((c) => expect(c).toBeCloseTo(Math.round(c), 6));
    expect(counts.reduce((a, b) => a + b, 0)).toBeCloseTo(877, 6);
  }, 120_000);

  it('a class the data does not have is a located error listing the classes, before any run is recorded', () => {
    const runsBefore = kiln(['runs', '--json'], { env }).stdout;
    writeFileSync(join(dir, 'typo.yaml'), pipeline.replace('  metrics:', '  classWeights: { snwo: 4 }\n  metrics:'));
    const r = kiln(['train', join(dir, 'typo.yaml')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).toMatch(/error\[train\/class-weights\] .*typo\.yaml:\d+:\d+ +train\.classWeights\.snwo/);
    expect(r.stderr).toContain('its classes: drizzle, fog, rain, snow, sun');
    expect(r.stderr).toContain('did you mean "snow"');
    expect(kiln(['runs', '--json'], { env }).stdout).toBe(runsBefore);
  }, 120_000);
});
