import { describe, expect, it } from 'vitest';
import { validate as generated } from './generated/pipeline-validator.js';
import { Pipeline } from './schema/pipeline.ts';
import { createAjv } from './standalone.ts';

describe('precompiled pipeline validator', () => {
  it('agrees with a freshly compiled one, errors included', () => {
    const fresh = createAjv().compile(Pipeline);
    const samples: unknown[] = [
      {},
      { name: 'x', seed: 1.5, bogus: true },
      { name: 'x', seed: 1, runtime: { backend: 'gpu', threads: 'auto' }, data: { source: { type: 'csv' } }, model: { layers: [{ type: 'dense', units: 0 }] }, train: {} },
    ];
    for (const s of samples) {
      expect(generated(s)).toBe(fresh(s));
      expect(generated.errors).toEqual(fresh.errors);
    }
  });
});
