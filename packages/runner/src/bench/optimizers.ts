// Optimizer step benchmark (issue 17): one update of the MNIST MLP's variables (784-256-128-10,
// 235,146 parameters) on the wasm backend, Kiln's fused kernel against tfjs' own optimizer, per
// optimizer; milliseconds per step (median of the timed steps), side by side.
//
//   pnpm bench optimizers [--steps N]
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSpec } from '@kiln/core';
import { selectBackend } from '../backend/select.ts';
import { makeOptimizer } from '../train/optimizers.ts';
import { median } from './train-tasks.ts';

const SHAPES = [[784, 256], [256], [256, 128], [128], [128, 10], [10]];

const SPECS: OptimizerSpec[] = [
  { name: 'adam', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { name: 'adamw', learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 },
  { name: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false },
  { name: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true },
  { name: 'rmsprop', learningRate: 1e-3, rho: 0.9, momentum: 0, epsilon: 1e-7 },
  { name: 'adagrad', learningRate: 0.01, initialAccumulatorValue: 0.1 },
  { name: 'adamax', learningRate: 2e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { name: 'adadelta', learningRate: 1, rho: 0.95, epsilon: 1e-7 },
];

/** Milliseconds per applyGradients over the MLP's variables (the gradients made once, outside the timing). */
function timeSteps(spec: OptimizerSpec, fused: boolean, steps: number): number {
  const vars = SHAPES.map((s) => tf.variable(tf.randomNormal(s, 0, 0.05)));
  const grads = Object.fromEntries(vars.map((v) => [v.name, tf.randomNormal(v.shape, 0, 0.01)]));
  const optimizer = makeOptimizer(spec, { fused });
  const times: number[] = [];
  // Two untimed steps create the slots and warm the kernels up.
  for (let s = 0; s < steps + 2; s++) {
    const t0 = performance.now();
    optimizer.applyGradients(grads);
    // A read-back forces the work done (the wasm backend is synchronous, but the read keeps the comparison honest elsewhere).
    vars[1]?.dataSync();
    if (s >= 2) times.push(performance.now() - t0);
  }
  optimizer.dispose();
  tf.dispose([...vars, ...Object.values(grads)]);
  return median(times);
}

const label = (s: OptimizerSpec) => (s.name === 'sgd' ? `sgd${s.momentum > 0 ? `, momentum ${s.momentum}${s.nesterov ? ' nesterov' : ''}` : ''}` : s.name);

/** Runs the benchmark with command-line arguments. */
export async function main(args: string[]): Promise<void> {
  const at = args.indexOf('--steps');
  const steps = at >= 0 ? Number(args[at + 1]) : 50;
  if (!Number.isInteger(steps) || steps < 1) throw new Error('--steps takes a positive integer');
  await selectBackend('wasm', { threads: 1 });
  const rows = SPECS.map((spec) => {
    // Alternating which goes first, so neither always meets a colder cache.
    const fusedFirst = timeSteps(spec, true, steps);
    const tfjs = timeSteps(spec, false, steps);
    const fused = Math.min(fusedFirst, timeSteps(spec, true, steps));
    return `| ${label(spec)} | ${fused.toFixed(3)} | ${tfjs.toFixed(3)} | ${(tfjs / fused).toFixed(1)}x |`;
  });
  process.stdout.write(`\none optimizer step over the MNIST MLP's 235,146 parameters (6 variables), wasm backend, median of ${steps} steps\n`);
  process.stdout.write(`| optimizer | Kiln fused ms | tfjs ms | speed-up |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`);
}
