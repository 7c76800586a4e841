import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.ts';
import { DivergenceWatch } from './divergence.ts';
import { trainLoop, type LoopOptions } from './loop.ts';
import { syntheticData } from './synthetic.ts';
import { layer, trainSpec, useWasm } from './test-support.ts';

beforeAll(useWasm);

/** A classifier on synthetic data with Adam at `lr`; at 10 its loss explodes within epoch 1 and sits far above the untrained model's. */
function classifier(lr: number, train: Record<string, unknown> = {}): LoopOptions {
  const data = syntheticData('multiclass', 200);
  const model = buildModel({ layers: [layer({ type: 'dense', units: 16, activation: 'relu' }), layer({ type: 'dense', units: 3, activation: 'softmax' })] }, data, 11);
  const spec = trainSpec({ loss: 'sparseCategoricalCrossentropy', optimizer: { name: 'adam', learningRate: lr }, epochs: 3, batchSize: 16, metrics: ['accuracy'], ...train });
  return { model, spec, data: { ...data, task: 'multiclass' }, seed: 5 };
}

describe('divergence watch', () => {
  it('flags, once, an epoch loss over lossIncrease x the lowest that is also above the untrained model', () => {
    const w = new DivergenceWatch({ action: 'warn', lossIncrease: 5 });
    w.start(1.1);
    expect(w.observe(1, 0.8)).toEqual({ kind: 'ok' });
    expect(w.observe(2, 0.2)).toEqual({ kind: 'ok' });
    const v = w.observe(3, 1.5);
    expect(v).toEqual({ kind: 'warn', message: 'train loss diverged: 1.5000 at epoch 3 is 7.5x its lowest (0.2000 at epoch 2); train.divergence.lossIncrease is 5' });
    expect(w.observe(4, 9)).toEqual({ kind: 'ok' });
  });

  it('leaves a noisy near-zero loss alone, and fails with action fail', () => {
    const quiet = new DivergenceWatch({ action: 'fail', lossIncrease: 5 });
    quiet.start(1.1);
    for (const [e, loss] of [[1, 0.01], [2, 0.002], [3, 0.05]] as const) expect(quiet.observe(e, loss)).toEqual({ kind: 'ok' });
    const loud = new DivergenceWatch({ action: 'fail', lossIncrease: 5 });
    loud.start(0.7);
    expect(loud.observe(1, 10.5).kind).toBe('fail');
  });
});

describe('training loop divergence', () => {
  it('a loss that explodes is finished with a warning by default, and failed after that epoch with action fail', async () => {
    const warned = await trainLoop(classifier(10));
    expect(warned.status).toBe('finished');
    expect(warned.warnings).toEqual([expect.stringMatching(/^train loss diverged: \S+ at epoch 1 is \S+x its lowest \(\S+ at the first step\)/)]);
    const failed = await trainLoop(classifier(10, { divergence: { action: 'fail' } }));
    expect([failed.status, failed.epochs]).toEqual(['diverged', 1]);
    expect(failed.reason).toBe(warned.warnings[0]);
    const healthy = await trainLoop(classifier(0.02));
    expect(healthy.warnings).toEqual([]);
  });

  it('a NaN loss keeps the finite batch losses before it, step by step', async () => {
    const data = syntheticData('regression', 200);
    const model = buildModel({ layers: [layer({ type: 'dense', units: 8, activation: 'relu' }), layer({ type: 'dense', units: 1 })] }, data, 11);
    const spec = trainSpec({ loss: 'mse', optimizer: { name: 'sgd', learningRate: 0.01 }, epochs: 2, batchSize: 10, shuffle: false });
    data.train.x[45 * 4 + 1] = Number.NaN; // row 45 sits in batch 5 of epoch 1
    const seen: [number, number][] = [];
    const r = await trainLoop({ model, spec, data: { ...data, task: 'regression' }, seed: 5, hooks: { onBatch: (step, loss) => void seen.push([step, loss]) } });
    expect(r.reason).toBe('diverged at epoch 1 step 5');
    expect(seen.map(([step]) => step)).toEqual([1, 2, 3, 4]);
    expect(seen.every(([, loss]) => Number.isFinite(loss) && loss > 0)).toBe(true);
  });
});
