import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kiln } from './run-cli.ts';

const PIPELINE = 'pipelines/penguins-multitask.yaml';
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];

interface Summary {
  last: number;
  count: number;
}

describe('a multi-input, multi-output graph pipeline (as a user runs it)', () => {
  it('trains both heads, records per-head metrics, and predicts every head', () => {
    const store = join(mkdtempSync(join(tmpdir(), 'kiln-multitask-')), 'kiln.db');
    const env = { KILN_STORE: store };
    const train = kiln(['train', PIPELINE, '--set', 'train.epochs=3', '--json'], { env });
    expect(train.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(train.code).toBe(0);
    const result = JSON.parse(train.stdout) as { runId: string; status: string; metrics: { val: Record<string, number>; test: Record<string, number> } };
    expect(result.status).toBe('finished');
    expect(Object.keys(result.metrics.test).sort()).toEqual(
      ['loss', 'species.loss', 'species.accuracy', 'species.f1', 'body_mass.loss', 'body_mass.rmse', 'body_mass.mae', 'body_mass.r2'].sort(),
    );
    // the total is the weighted sum of the heads' losses (no weight penalties in this model)
    const t = result.metrics.test;
    expect(t.loss).toBeCloseTo(t['species.loss']! + 1e-6 * t['body_mass.loss']!, 4);

    const show = kiln(['show', result.runId, '--json'], { env });
    expect(show.code).toBe(0);
    const metrics = (JSON.parse(show.stdout) as { metrics: Record<string, Summary> }).metrics;
    for (const key of ['train.species.accuracy', 'val.species.accuracy', 'val.body_mass.rmse', 'train.body_mass.loss', 'val.loss']) expect(metrics[key]?.count).toBe(3);
    expect(metrics['test.species.accuracy']?.count).toBe(1);
    expect(metrics['val.accuracy']).toBeUndefined();

    const compare = kiln(['compare', result.runId, result.runId], { env });
    expect(compare.code).toBe(0);
    expect(compare.stdout).toContain('test.body_mass.rmse');

    const rows = join(tmpdir(), `kiln-multitask-${process.pid}.jsonl`);
    writeFileSync(
      rows,
      [
        { 'Beak Length (mm)': 39.1, 'Beak Depth (mm)': 18.7, 'Flipper Length (mm)': 181, Island: 'Torgersen', Sex: 'MALE' },
        { 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 14.2, 'Flipper Length (mm)': 209, Island: 'Biscoe', Sex: 'FEMALE' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const predict = kiln(['predict', result.runId, rows], { env });
    expect(predict.code).toBe(0);
    const lines = predict.stdout.trim().split('\n').map((l) => JSON.parse(l) as { row: number; outputs: { species: { class: string; probabilities: Record<string, number> }; body_mass: { value: number } } });
    expect(lines.map((l) => l.row)).toEqual([0, 1]);
    for (const l of lines) {
      expect(SPECIES).toContain(l.outputs.species.class);
      expect(Object.keys(l.outputs.species.probabilities).sort()).toEqual(SPECIES);
      expect(Number.isFinite(l.outputs.body_mass.value)).toBe(true);
    }
  }, 120_000);

  it('sweeps on one head\'s metric, each trial scored by that head', () => {
    const store = join(mkdtempSync(join(tmpdir(), 'kiln-multitask-sweep-')), 'kiln.db');
    const sweep = '{metric: val.species.accuracy, goal: maximize, method: grid, parallel: 1, parameters: {train.optimizer.learningRate: {type: values, values: [0.01, 0.0001]}}}';
    const r = kiln(['sweep', PIPELINE, '--set', `sweep=${sweep}`, '--set', 'train.epochs=4', '--json'], { env: { KILN_STORE: store } });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { metric: string; counts: { complete: number }; best: { value: number; runId: string } };
    expect(summary.metric).toBe('val.species.accuracy');
    expect(summary.counts.complete).toBe(2);
    const show = kiln(['show', summary.best.runId, '--json'], { env: { KILN_STORE: store } });
    const metrics = (JSON.parse(show.stdout) as { metrics: Record<string, { max: number }> }).metrics;
    // the trial's score is the best per-epoch value of that head's metric, not the total loss
    expect(summary.best.value).toBe(metrics['val.species.accuracy']!.max);
    expect(summary.best.value).toBeGreaterThan(0.5);
  }, 120_000);
});
