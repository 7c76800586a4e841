import { describe, expect, it } from 'vitest';
import { tpeSampler } from '../sweep/samplers/tpe.ts';
import { optimize } from '../sweep/samplers/study.ts';
import type { Sampler } from '../sweep/samplers/sampler.ts';
import { median, parallelBest, parallelStudy, type ModeFunction } from './tpe-modes.ts';

const bowl: ModeFunction = { name: 'bowl', space: { x: { type: 'uniform', low: -5, high: 5 }, y: { type: 'uniform', low: -5, high: 5 } }, fn: (p) => Number(p.x) ** 2 + Number(p.y) ** 2 };

/** The tpe sampler, recording how many trials were still running at each proposal. */
function counting(seen: number[]): Sampler {
  const tpe = tpeSampler();
  return { ...tpe, suggest: (space, history, rng, direction) => (seen.push(history.filter((t) => t.state === 'running').length), tpe.suggest(space, history, rng, direction)) };
}

describe('parallel TPE simulation', () => {
  it('proposes every trial after the third while three are pending, and one worker is a plain sequential study', async () => {
    const seen: number[] = [];
    parallelBest(bowl, counting(seen), 0, 12, 4);
    expect(seen).toEqual([0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    const sequential = await optimize(bowl.fn, bowl.space, { sampler: tpeSampler(), nTrials: 15, seed: 2 });
    expect(parallelBest(bowl, tpeSampler(), 2, 15, 1)).toBe(sequential.best?.value);
  });

  it('liars spread proposals away from the trials still running', () => {
    const spread = (constantLiar: boolean) => median([0, 1, 2, 3].flatMap((seed) => parallelStudy(bowl, tpeSampler({ constantLiar }), seed, 30).nearestPending));
    expect(spread(true)).toBeGreaterThan(1.5 * spread(false));
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
