/** The three reference recipes the training benchmark runs: which pipeline, which reference split, which PyTorch task. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SplitIndices } from '../data/split.ts';

export interface BenchTask {
  /** Name on the command line (--tasks mlp,cnn,lstm). */
  name: string;
  /** Example pipeline (relative to the repository root) mirroring the reference recipe. */
  pipeline: string;
  /** Dataset key in the reference's splits.json. */
  dataset: string;
  /** Task name for torch_bench.py --tasks. */
  torchTask: string;
  /** The reference recipe's epochs. */
  epochs: number;
}

export const BENCH_TASKS: readonly BenchTask[] = [
  { name: 'mlp', pipeline: 'pipelines/mnist-mlp.yaml', dataset: 'mnist', torchTask: 'mnist_mlp', epochs: 5 },
  { name: 'cnn', pipeline: 'pipelines/mnist-cnn.yaml', dataset: 'mnist', torchTask: 'mnist_cnn', epochs: 5 },
  { name: 'lstm', pipeline: 'pipelines/spam-lstm.yaml', dataset: 'spam', torchTask: 'spam_lstm', epochs: 3 },
];

/** The reference's fixed train/val/test row indices for one dataset. */
export function referenceSplit(referenceDir: string, dataset: string): SplitIndices {
  const all = JSON.parse(readFileSync(join(referenceDir, 'data', 'splits.json'), 'utf8')) as { datasets: Record<string, Record<'train' | 'val' | 'test', number[]>> };
  const s = all.datasets[dataset];
  if (!s) throw new Error(`splits.json has no dataset ${dataset}`);
  return { train: Int32Array.from(s.train), val: Int32Array.from(s.val), test: Int32Array.from(s.test) };
}

/** Median of epochs 2..n (all of them when there is one), as torch_bench.py reports. */
export function medianAfterFirst(times: readonly number[]): number {
  return median(times.length > 1 ? times.slice(1) : times);
}

/** The median (NaN for no values). */
export function median(values: readonly number[]): number {
  const t = [...values].sort((a, b) => a - b);
  if (t.length === 0) return Number.NaN;
  const mid = Math.floor(t.length / 2);
  const upper = t[mid] ?? Number.NaN;
  const lower = t.length % 2 === 1 ? upper : (t[mid - 1] ?? Number.NaN);
  return (lower + upper) / 2;
}
