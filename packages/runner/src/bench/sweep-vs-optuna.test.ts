import { describe, expect, it } from 'vitest';
import { loadPipelineText } from '@kiln/core/spec';
import { benchPipeline, parseOptions } from './sweep-vs-optuna.ts';

describe('sweep-vs-optuna bench', () => {
  it('sweeps learning rate, width and dropout of a valid pipeline, the ranges optuna_sweep.py uses', () => {
    const r = loadPipelineText('mnist-mlp-tune.yaml', benchPipeline());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const { sweep, model } = r.pipeline.spec;
    expect(Object.keys(sweep?.parameters ?? {}).sort()).toEqual(['model.layers[1].units', 'model.layers[2].rate', 'train.optimizer.learningRate']);
    expect(model.layers?.[2]).toMatchObject({ type: 'dropout' });
  });

  it('runs 24 trials 4 at a time over 3 seeds, or a small quick run', () => {
    expect(parseOptions([])).toEqual({ seeds: [0, 1, 2], methods: ['tpe', 'gp'], trials: 24, parallel: 4, sets: [] });
    expect(parseOptions(['--quick', '--set', 'train.batchSize=32'])).toEqual({ seeds: [0], methods: ['tpe', 'gp'], trials: 6, parallel: 2, sets: ['train.epochs=2', 'data.source.limit=2000', 'train.batchSize=32'] });
    expect(parseOptions(['--seeds', '3-4', '--trials', '8']).seeds).toEqual([3, 4]);
    expect(parseOptions(['--methods', 'gp']).methods).toEqual(['gp']);
  });
});
