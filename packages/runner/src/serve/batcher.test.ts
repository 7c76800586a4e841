import { beforeAll, describe, expect, it } from 'vitest';
import { KilnFailure } from '@kiln/core/errors';
import { predictRows } from '../predict/predict.ts';
import { useWasm } from '../train/test-support.ts';
import { createBatcher } from './batcher.ts';
import { retire } from './slot.ts';
import { sampleRows, sampleSlot } from './test-support.ts';

beforeAll(useWasm);

describe('micro-batching', () => {
  it('requests arriving together share one model call; each gets its own rows back, numbered from 0', async () => {
    const slot = sampleSlot();
    const batcher = createBatcher(256, 20);
    const requests = Array.from({ length: 12 }, (_, i) => sampleRows(1 + (i % 3), i * 3));
    const answers = await Promise.all(requests.map((rows) => batcher.predict(slot, rows)));
    expect(batcher.stats).toEqual({ requests: 12, rows: 24, modelCalls: 1, largestCall: 24 });
    answers.forEach((got, i) => {
      const alone = predictRows(slot.loaded, requests[i] ?? []);
      expect(got.map((p) => p.row)).toEqual(alone.map((p) => p.row));
      got.forEach((p, k) => {
        const want = alone[k];
        if (!('probabilities' in p) || !want || !('probabilities' in want)) throw new Error('expected class predictions');
        expect(p.class).toBe(want.class);
        for (const [c, v] of Object.entries(want.probabilities)) expect(p.probabilities[c]).toBeCloseTo(v, 6);
      });
    });
  });

  it('caps a call at maxBatch rows: later requests wait for the next call; a larger request is split', async () => {
    const slot = sampleSlot();
    const batcher = createBatcher(4, 5);
    await Promise.all([batcher.predict(slot, sampleRows(3)), batcher.predict(slot, sampleRows(3)), batcher.predict(slot, sampleRows(1))]);
    expect(batcher.stats).toMatchObject({ modelCalls: 2, largestCall: 4 });
    const big = await batcher.predict(slot, sampleRows(10));
    expect(big.map((p) => p.row)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batcher.stats).toMatchObject({ modelCalls: 5, largestCall: 4 });
  });

  it('a request the preprocessing refuses fails alone; the others of its call are answered', async () => {
    const slot = sampleSlot();
    const batcher = createBatcher(256, 20);
    const [good, bad, other] = await Promise.allSettled([batcher.predict(slot, sampleRows(2)), batcher.predict(slot, [{ a: 1, c: 'x', d: 'not a date' }]), batcher.predict(slot, sampleRows(1))]);
    expect([good?.status, bad?.status, other?.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(bad?.status === 'rejected' && bad.reason instanceof KilnFailure && bad.reason.errors[0]?.code).toBe('data/bad-date');
    await batcher.drain();
  });

  it('a retired slot keeps its model until the requests pinned to it are answered', async () => {
    const slot = sampleSlot();
    const batcher = createBatcher(256, 20);
    const answer = batcher.predict(slot, sampleRows(2));
    retire(slot);
    expect(slot.pending).toBe(1);
    await expect(answer).resolves.toHaveLength(2);
    expect(slot.pending).toBe(0);
    // disposed now: the model's weights are gone
    expect(() => predictRows(slot.loaded, sampleRows(1))).toThrow();
  });
});
