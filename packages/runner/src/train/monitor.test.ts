import { describe, expect, it } from 'vitest';
import { resolveMode, Watch } from './monitor.ts';

describe('monitor', () => {
  it('resolves auto through core catalog, as the store and compare do', () => {
    expect(resolveMode('val.loss', 'auto')).toBe('min');
    expect(resolveMode('val.species.rmse', 'auto')).toBe('min');
    expect(resolveMode('val.species.accuracy', 'auto')).toBe('max');
    // The old regex wanted the whole name after a dot to be `loss`, so the batch loss came out higher-is-better.
    expect(resolveMode('train.batch_loss', 'auto')).toBe('min');
    expect(resolveMode('val.loss', 'max')).toBe('max');
  });

  it('counts only improvements beyond minDelta in the resolved direction', () => {
    const w = new Watch('train.batch_loss', 'auto', 0.1);
    expect([w.observe(1, 1), w.observe(2, 0.95), w.observe(3, 0.5), w.observe(4, Number.NaN)]).toEqual([true, false, true, false]);
    expect([w.best, w.bestEpoch, w.wait]).toEqual([0.5, 3, 1]);
  });
});
