/** Helpers for the sampler tests: a space shaped like a real sweep, and the check that proposals fit it. */
import { expect } from 'vitest';
import { optimize } from './study.ts';
import { contains, type Params, type SearchSpace } from './space.ts';
import type { Sampler } from './sampler.ts';

/** Every kind of parameter at once: a choice, a parameter that exists only for one choice, log, stepped, log-int and int ranges. */
export const MIXED_SPACE: SearchSpace = {
  opt: { type: 'values', values: ['adam', 'sgd'] },
  momentum: { type: 'uniform', low: 0, high: 0.99, when: { opt: 'sgd' } },
  lr: { type: 'logUniform', low: 1e-5, high: 1e-1 },
  drop: { type: 'uniform', low: 0, high: 0.5, step: 0.05 },
  units: { type: 'intLog', low: 4, high: 512 },
  layers: { type: 'int', low: 1, high: 6 },
};

/** An objective over MIXED_SPACE with its best at lr 1e-3, no dropout, one layer and sgd with momentum 0.9. */
export function mixedObjective(p: Params): number {
  return (Math.log10(Number(p.lr)) + 3) ** 2 + Number(p.drop) + Number(p.layers) + (p.opt === 'sgd' ? (Number(p.momentum) - 0.9) ** 2 : 0.5);
}

/** Each proposal holds a valid value for every active parameter of MIXED_SPACE and none for an inactive one. */
export function expectValidMixed(proposals: readonly Params[]): void {
  for (const p of proposals) {
    for (const [name, d] of Object.entries(MIXED_SPACE)) {
      const active = name !== 'momentum' || p.opt === 'sgd';
      expect(active ? contains(d, p[name]) : p[name] === undefined, `${name}=${String(p[name])}`).toBe(true);
    }
  }
}

/** A 40-trial study of mixedObjective with a fresh sampler, run twice with one seed: same proposals, all valid. */
export async function expectReproducibleMixed(makeSampler: () => Sampler, seed: number): Promise<void> {
  const run = async () => (await optimize(mixedObjective, MIXED_SPACE, { sampler: makeSampler(), nTrials: 40, seed })).trials.map((t) => t.params);
  const proposals = await run();
  expect(proposals).toEqual(await run());
  expectValidMixed(proposals);
}
