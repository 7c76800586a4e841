import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.ts';
import { fitJoint, sampleJoint } from './joint.ts';
import { narrowJoint, narrowParzen } from './local.ts';
import { fitParzen, sampleParzen } from './parzen.ts';
import { TPE_DEFAULTS, tpeSampler } from './tpe.ts';
import type { Trial } from './trial.ts';
import { expectReproducibleMixed } from './test-support.ts';

const unit = { type: 'uniform', low: 0, high: 1 } as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

describe('local candidates', () => {
  it("keep l's observation kernels only, narrowed, their weights renormalised", () => {
    const pe = fitParzen(unit, [0.2, 0.5, 0.9], TPE_DEFAULTS);
    const narrow = narrowParzen(pe, 3, 0.25);
    expect(pe.weights).toHaveLength(4);
    expect(narrow.weights).toEqual([1 / 3, 1 / 3, 1 / 3]);
    if (pe.kernels.kind !== 'numeric' || narrow.kernels.kind !== 'numeric') throw new Error('numeric kernels expected');
    expect(narrow.kernels.mus).toEqual([0.2, 0.5, 0.9]);
    narrow.kernels.sigmas.forEach((s, i) => expect(s).toBeCloseTo(0.25 * (pe.kernels.kind === 'numeric' ? (pe.kernels.sigmas[i] ?? 0) : 0), 12));
    // Categorical dimensions keep each observation's probabilities, the prior's row dropped.
    const cat = narrowParzen(fitParzen({ type: 'values', values: ['a', 'b'] }, [0, 1], TPE_DEFAULTS), 2, 0.25);
    expect(cat.kernels.kind === 'categorical' && cat.kernels.probs).toHaveLength(2);
  });

  it('draw close to the good trials, in every dimension jointly, and stay inside the bounds', () => {
    const rows = [[0.3, 0.7], [0.32, 0.68]];
    const je = fitJoint([unit, unit], rows, TPE_DEFAULTS);
    const near = (pts: number[][]) => median(pts.map(([x = 0, y = 0]) => Math.min(...rows.map(([a = 0, b = 0]) => Math.hypot(x - a, y - b)))));
    const local = sampleJoint(narrowJoint(je, rows.length, 0.1), createRng(1), 200);
    const wide = sampleJoint(je, createRng(1), 200);
    expect(near(local)).toBeLessThan(near(wide) / 4);
    for (const p of local) for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    expect(sampleParzen(narrowParzen(fitParzen(unit, [0.99], TPE_DEFAULTS), 1, 0.5), createRng(2), 100).every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('refine around the good trials: on a smooth 1-D bowl proposals land nearer its minimum than without them', () => {
    const f = (x: number) => (x - 0.4) ** 2;
    const history: Trial[] = Array.from({ length: 30 }, (_, i) => ({ params: { x: (i * 0.618) % 1 }, state: 'complete', value: f((i * 0.618) % 1), number: i }));
    const gap = (localCandidates: number) => median(Array.from({ length: 40 }, (_, s) => Math.abs(Number(tpeSampler({ localCandidates, localScale: 0.1 }).suggest({ x: unit }, history, createRng(s))?.x) - 0.4)));
    expect(gap(64)).toBeLessThan(0.9 * gap(0));
  });

  it('are reproducible by seed and keep int, log, stepped, categorical and conditional parameters valid', async () => {
    await expectReproducibleMixed(() => tpeSampler({ localCandidates: 32, localScale: 0.1 }), 4);
  });
});
