import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.ts';
import { activeOnly, conditionGroups, dependencyOrder, isActive, validateSpace } from './conditions.ts';
import { gridPoints, gridSize } from './grid.ts';
import { randomSampler } from './random.ts';
import type { SearchSpace } from './space.ts';
import { optimize } from './study.ts';
import { tpeSampler } from './tpe.ts';

// momentum declared before the optimizer it depends on: samplers must still draw the optimizer first.
const space: SearchSpace = {
  momentum: { type: 'uniform', low: 0, high: 0.9, when: { opt: 'sgd' } },
  opt: { type: 'values', values: ['adam', 'sgd', 'rmsprop'] },
  lr: { type: 'logUniform', low: 1e-4, high: 1e-1 },
  nesterov: { type: 'values', values: [true, false], when: { opt: ['sgd'] } },
  rho: { type: 'uniform', low: 0.8, high: 0.99, when: { opt: 'rmsprop' } },
};

describe('conditional parameters', () => {
  it('orders parameters after the ones their condition names, and groups those that share a condition', () => {
    expect(dependencyOrder(space)).toEqual(['opt', 'momentum', 'lr', 'nesterov', 'rho']);
    expect(conditionGroups(space)).toEqual([['opt', 'lr'], ['momentum', 'nesterov'], ['rho']]);
    expect(isActive(space, 'momentum', { opt: 'sgd' })).toBe(true);
    expect(isActive(space, 'momentum', { opt: 'adam' })).toBe(false);
    expect(isActive(space, 'momentum', {})).toBe(false);
    expect(activeOnly(space, { opt: 'adam', momentum: 0.5, lr: 0.01, nesterov: true, rho: 0.9 })).toEqual({ opt: 'adam', lr: 0.01 });
  });

  it('reports an unknown parameter, an impossible value, a self-reference and a circle, each at its condition', () => {
    const bad: SearchSpace = {
      a: { type: 'values', values: ['x', 'y'] },
      b: { type: 'uniform', low: 0, high: 1, when: { c: 1 } },
      d: { type: 'uniform', low: 0, high: 1, when: { a: ['x', 'z'] } },
      e: { type: 'int', low: 0, high: 3, when: { e: 1 } },
      f: { type: 'int', low: 0, high: 3, when: { a: 'q' } },
    };
    expect(validateSpace(bad).map((e) => [e.path, e.message])).toEqual([
      ['b.when.c', "'b' depends on 'c', which is not a parameter of this sweep"],
      ['d.when.a', `'a' can never be "z", so 'd' would wait on an impossible value`],
      ['e.when.e', "'e' cannot depend on itself"],
      ['f.when.a', `'a' can never be "q", so 'f' would never exist`],
    ]);
    const circle: SearchSpace = { a: { type: 'int', low: 0, high: 2, when: { b: 1 } }, b: { type: 'int', low: 0, high: 2, when: { a: 1 } } };
    expect(validateSpace(circle).map((e) => e.message)).toEqual(['conditions go round in a circle: a -> b -> a']);
    expect(() => tpeSampler().suggest(bad, [], createRng(0))).toThrow(/not a parameter of this sweep/);
  });

  it('random search draws a conditional parameter exactly when its condition holds', () => {
    const rng = createRng(4);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const p = randomSampler().suggest(space, [], rng);
      if (p === null) throw new Error('random search always proposes');
      seen.add(String(p.opt));
      expect('momentum' in p).toBe(p.opt === 'sgd');
      expect('nesterov' in p).toBe(p.opt === 'sgd');
      expect('rho' in p).toBe(p.opt === 'rmsprop');
    }
    expect(seen.size).toBe(3);
  });

  it('a grid enumerates each conditional point once, without the parameters it switches off', () => {
    const small: SearchSpace = { opt: { type: 'values', values: ['adam', 'sgd'] }, m: { type: 'values', values: [0, 0.9], when: { opt: 'sgd' } } };
    const points = gridPoints(small);
    expect(points.ok && points.value).toEqual([{ opt: 'adam' }, { opt: 'sgd', m: 0 }, { opt: 'sgd', m: 0.9 }]);
    expect(gridSize(small)).toEqual({ ok: true, value: 3 });
  });

  for (const multivariate of [false, true]) {
    it(`TPE (${multivariate ? 'multivariate' : 'univariate'}) keeps conditions and models each subspace with the trials where it existed`, async () => {
      // Best: sgd with momentum near 0.8; rmsprop is mediocre whatever rho, adam worse.
      const objective = (p: Record<string, unknown>) => {
        const base = (Math.log10(Number(p.lr)) + 2) ** 2;
        if (p.opt === 'sgd') return base + (Number(p.momentum) - 0.8) ** 2 * 10 + (p.nesterov ? 0 : 0.1);
        return base + (p.opt === 'rmsprop' ? 1 + Number(p.rho) : 3);
      };
      const { trials, best } = await optimize(objective, space, { sampler: tpeSampler({ multivariate }), nTrials: 60, seed: 1 });
      for (const t of trials) expect(Object.keys(t.params).sort()).toEqual(Object.keys(activeOnly(space, t.params)).sort());
      expect(trials.slice(30).filter((t) => t.params.opt === 'sgd').length).toBeGreaterThan(15);
      expect(best?.params.opt).toBe('sgd');
      expect(Math.abs(Number(best?.params.momentum) - 0.8)).toBeLessThan(0.15);
    });
  }
});
