import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineFile } from '@kiln/core';
import { dataInputs, dataTargets } from '../data/inputs.ts';
import { prepareData } from '../data/prepare.ts';
import { buildModel } from '../model/build.ts';
import { loopHeads } from './heads.ts';
import { LogitOutputs } from './logits.ts';
import { trainLoop } from './loop.ts';
import { expectSameHistory, useWasm } from './test-support.ts';

beforeAll(useWasm);

const PIPELINE = fileURLToPath(new URL('../../../../pipelines/penguins-multitask.yaml', import.meta.url));

describe('training on logits, real data', () => {
  it('penguins-multitask (a softmax head beside a regression head) reports the losses and metrics of training on probabilities', async () => {
    const loaded = loadPipelineFile(PIPELINE, { overrides: ['train.epochs=4'] });
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const { spec, baseDir } = loaded.pipeline;
    const data = await prepareData(spec, { baseDir });
    const heads = loopHeads(spec, dataTargets(data));
    const run = async (fuseOutputs: boolean) => {
      const model = buildModel(spec.model, data, spec.seed);
      expect(new LogitOutputs(model, heads).activations).toEqual(['softmax', undefined]);
      const r = await trainLoop({ model, spec: spec.train, data: { ...data, task: data.target.type, inputs: dataInputs(data), heads }, seed: spec.seed, fuseOutputs });
      model.dispose();
      return r.history;
    };
    const [fused, probability] = [await run(true), await run(false)];
    expect(fused).toHaveLength(4);
    // Relative: body mass's loss is in squared grams.
    expectSameHistory(fused, probability, (value, expected, label) => expect(Math.abs(value - expected), label).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(value))));
    expect(Object.keys(fused[0]?.val ?? {})).toContain('species.accuracy');
  });
});
