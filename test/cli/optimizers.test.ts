import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kiln } from './run-cli.ts';

interface Result {
  runId: string;
  status: string;
  metrics: { train: { loss: number }; test: { loss: number; accuracy: number } };
}

/** Trains penguins-mlp for 3 epochs through the real CLI with the given overrides. */
function train(store: string, set: string[]): Result {
  const run = kiln(['train', 'pipelines/penguins-mlp.yaml', '--json', ...['train.epochs=3', ...set].flatMap((s) => ['--set', s])], { env: { KILN_STORE: store } });
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Result;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('optimizers as a user names them', () => {
  it('adamw trains the same on wasm (fused update in place) as on cpu (tfjs ops), and its decay acts', () => {
    const store = join(mkdtempSync(join(tmpdir(), 'kiln-optim-')), 'kiln.db');
    const adamw = ['train.optimizer.name=adamw', 'train.optimizer.weightDecay=0.05'];
    const wasm = train(store, [...adamw, 'runtime.backend=wasm']);
    const cpu = train(store, [...adamw, 'runtime.backend=cpu']);
    const adam = train(store, ['train.optimizer.name=adam', 'runtime.backend=wasm']);
    expect(wasm.status).toBe('finished');
    expect(wasm.metrics.test.accuracy).toBeGreaterThan(0.9);
    // Same seed, data and update rule; only the backends' float32 products and sums differ (~1e-7 relative per op,
    // measured 5e-8 (train) and 1.2e-6 (test) on the loss after these 45 steps). A missing, doubled or wrongly scaled update moves it by >1e-2.
    expect(relative(wasm.metrics.train.loss, cpu.metrics.train.loss)).toBeLessThan(1e-5);
    expect(relative(wasm.metrics.test.loss, cpu.metrics.test.loss)).toBeLessThan(1e-5);
    // The decay is applied: plain Adam from the same start ends elsewhere.
    expect(relative(wasm.metrics.train.loss, adam.metrics.train.loss)).toBeGreaterThan(1e-3);
    const show = kiln(['show', wasm.runId, '--json'], { env: { KILN_STORE: store } });
    expect(JSON.parse(show.stdout)).toMatchObject({ params: { 'train.optimizer.name': 'adamw', 'train.optimizer.weightDecay': 0.05 } });
  });

  it('refuses a negative weight decay: exit 2, located at the override, no stack trace', () => {
    const run = kiln(['train', 'pipelines/penguins-mlp.yaml', '--set', 'train.optimizer.name=adamw', '--set', 'train.optimizer.weightDecay=-1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('train.optimizer.weightDecay');
    expect(run.stderr).toContain('hint: ');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
