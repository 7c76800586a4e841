// Standard test functions for tuning the TPE's defaults away from the two functions of the target
// bench (Branin, Hartmann6): Rosenbrock, Styblinski-Tang, Ackley, Levy (Surjanovic & Bingham's
// "Virtual Library of Simulation Experiments" definitions and domains) and a mixed space shaped like
// a real ML sweep (log-scaled learning rate, integers, a categorical and a conditional parameter).
import type { Params, SearchSpace } from '../sweep/samplers/space.ts';
import type { ModeFunction } from './tpe-modes.ts';

const xs = (p: Params, d: number): number[] => Array.from({ length: d }, (_, i) => Number(p[`x${i + 1}`]));
const box = (d: number, low: number, high: number): SearchSpace => Object.fromEntries(Array.from({ length: d }, (_, i) => [`x${i + 1}`, { type: 'uniform', low, high }]));
const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);

/** Rosenbrock's valley; minimum 0 at (1, ..., 1). */
export function rosenbrock(x: readonly number[]): number {
  return sum(x.slice(1).map((xi, i) => 100 * (xi - (x[i] ?? 0) ** 2) ** 2 + (1 - (x[i] ?? 0)) ** 2));
}

/** Styblinski-Tang; minimum -39.16599 d at (-2.9035, ...). */
export function styblinskiTang(x: readonly number[]): number {
  return 0.5 * sum(x.map((v) => v ** 4 - 16 * v ** 2 + 5 * v));
}

/** Ackley; minimum 0 at the origin, many shallow local minima around it. */
export function ackley(x: readonly number[]): number {
  const d = x.length;
  const r = Math.sqrt(sum(x.map((v) => v * v)) / d);
  return -20 * Math.exp(-0.2 * r) - Math.exp(sum(x.map((v) => Math.cos(2 * Math.PI * v))) / d) + 20 + Math.E;
}

/** Levy; minimum 0 at (1, ..., 1). */
export function levy(x: readonly number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const first = w[0] ?? 1;
  const last = w[w.length - 1] ?? 1;
  const middle = sum(w.slice(0, -1).map((wi) => (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2)));
  return Math.sin(Math.PI * first) ** 2 + middle + (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
}

/** Best log10 learning rate of each optimizer in the mixed space, and the loss it adds. */
const OPTIMIZERS: Record<string, { lr: number; cost: number }> = { adam: { lr: -3, cost: 0 }, sgd: { lr: -1.5, cost: 0.05 }, rmsprop: { lr: -3.5, cost: 0.15 } };

/** A validation-loss-like surface over an ML sweep's space: smooth in log lr, log width, depth and dropout; sgd's momentum matters. */
export function mlSurface(p: Params): number {
  const opt = OPTIMIZERS[String(p.optimizer)] ?? { lr: -3, cost: 1 };
  const lr = Math.log10(Number(p.lr)) - opt.lr;
  const width = Math.log2(Number(p.units)) - 8;
  const momentum = p.optimizer === 'sgd' ? 2 * (Number(p.momentum) - 0.9) ** 2 : 0;
  // lr and width interact: wider layers want a smaller step, as they tend to in practice.
  return 0.3 + 0.4 * (lr + 0.3 * width) ** 2 + 0.03 * width ** 2 + 0.04 * (Number(p.layers) - 3) ** 2 + (Number(p.dropout) - 0.25) ** 2 + opt.cost + momentum;
}

/** The held-out functions (none of them in `pnpm bench tpe`). */
export const TUNING_FUNCTIONS: ModeFunction[] = [
  { name: 'rosenbrock4', space: box(4, -5, 10), fn: (p) => rosenbrock(xs(p, 4)) },
  { name: 'styblinski-tang4', space: box(4, -5, 5), fn: (p) => styblinskiTang(xs(p, 4)) },
  { name: 'ackley5', space: box(5, -32.768, 32.768), fn: (p) => ackley(xs(p, 5)) },
  { name: 'levy4', space: box(4, -10, 10), fn: (p) => levy(xs(p, 4)) },
  {
    name: 'ml-mixed',
    space: {
      lr: { type: 'logUniform', low: 1e-5, high: 1 },
      units: { type: 'intLog', low: 16, high: 1024 },
      layers: { type: 'int', low: 1, high: 6 },
      dropout: { type: 'uniform', low: 0, high: 0.7, step: 0.05 },
      optimizer: { type: 'values', values: ['adam', 'sgd', 'rmsprop'] },
      momentum: { type: 'uniform', low: 0, high: 0.99, when: { optimizer: 'sgd' } },
    },
    fn: mlSurface,
  },
];
