import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.ts';
import { syntheticData } from './synthetic.ts';
import { trainLoop, type LoopOptions } from './loop.ts';
import { layer, trainSpec, useWasm } from './test-support.ts';

beforeAll(useWasm);

/** A 3-layer MLP whose first layer is frozen, as transfer learning leaves it. */
function frozenSetup(epochs: number, schedule: Record<string, unknown> = {}): LoopOptions {
  const data = syntheticData('multiclass', 200);
  const model = buildModel({ layers: [layer({ type: 'dense', units: 16, activation: 'relu', name: 'kept' }), layer({ type: 'dense', units: 8, activation: 'relu' }), layer({ type: 'dense', units: 3, activation: 'softmax' })] }, data, 3);
  model.getLayer('kept').trainable = false;
  const spec = trainSpec({ loss: 'sparseCategoricalCrossentropy', optimizer: { name: 'adam', learningRate: 0.01 }, epochs, batchSize: 16, metrics: ['accuracy'], ...schedule });
  return { model, spec, data: { ...data, task: 'multiclass' }, seed: 7 };
}

const kernelOf = (opts: LoopOptions, name: string) => Array.from(opts.model.getLayer(name).getWeights()[0]?.dataSync() ?? []);
const maxChange = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? Number.NaN))));

describe('unfreezing frozen layers later (model.from.unfreeze)', () => {
  it('keeps them fixed before the epoch and trains them from its start', async () => {
    const opts = frozenSetup(4);
    const start = kernelOf(opts, 'kept');
    const seen: number[][] = [];
    await trainLoop({ ...opts, unfreeze: { epoch: 3, learningRate: 0.01 }, hooks: { onEpoch: () => void seen.push(kernelOf(opts, 'kept')) } });
    expect(seen[0]).toEqual(start);
    expect(seen[1]).toEqual(start);
    const [, , second = [], third = []] = seen;
    expect(maxChange(second, start)).toBeGreaterThan(1e-3);
    expect(maxChange(third, second)).toBeGreaterThan(1e-4);
  });

  it('never trains them without unfreeze', async () => {
    const opts = frozenSetup(3);
    const start = kernelOf(opts, 'kept');
    await trainLoop(opts);
    expect(kernelOf(opts, 'kept')).toEqual(start);
  });

  it('updates them with their own learning rate while the new layers keep the main one', async () => {
    const change = async (learningRate: number) => {
      const opts = frozenSetup(3);
      const [kept, head] = [kernelOf(opts, 'kept'), kernelOf(opts, opts.model.layers.at(-1)!.name)];
      await trainLoop({ ...opts, unfreeze: { epoch: 2, learningRate } });
      return { kept: maxChange(kernelOf(opts, 'kept'), kept), head: maxChange(kernelOf(opts, opts.model.layers.at(-1)!.name), head) };
    };
    const [slow, fast] = [await change(1e-5), await change(1e-2)];
    // Adam's step is about the learning rate per update, so the kept layer moves ~1000x less.
    expect(slow.kept).toBeLessThan(fast.kept / 100);
    expect(slow.kept).toBeGreaterThan(0);
    expect(slow.head).toBeGreaterThan(fast.head / 10);
  });
});
