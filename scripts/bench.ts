// `pnpm bench <name> [args]`: benchmarks are scripts that print numbers, one module per benchmark.
// It lives at the root, above the packages, because it gathers the benchmarks of all of them.
import { fileURLToPath } from 'node:url';

type Bench = { main: (args: string[]) => Promise<void> };

/** Every benchmark, by the name given to `pnpm bench`. */
export const BENCHES: Record<string, { describe: string; load: () => Promise<Bench> }> = {
  cli: { describe: 'start-up vs bare node: --version, validate, runs on 10k runs, first epoch; 200-layer validation', load: () => import('../packages/runner/src/bench/cli.ts') },
  store: { describe: 'store ingest rate; on 100k runs the listing, experiments and sweep pages; 10M-point downsampling (libsql file)', load: () => import('../packages/runner/src/bench/store.ts') },
  'store-pg': { describe: 'the same on PostgreSQL (starts a throwaway cluster)', load: () => import('../packages/runner/src/bench/store-pg.ts') },
  ui: { describe: 'runs page on 10k runs, compare render in Chromium, 50-connection load test', load: () => import('../packages/tracker-ui/src/bench/ui.ts') },
  asha: { describe: 'MNIST MLP sweep: ASHA vs no pruning (best val accuracy, epochs used)', load: () => import('../packages/runner/src/bench/asha.ts') },
  train: { describe: 'seconds per epoch: Kiln (runner, tracking on) vs plain tfjs vs PyTorch on MLP, CNN, LSTM', load: () => import('../packages/runner/src/bench/train.ts') },
  logits: { describe: "Kiln's training loop with the cross-entropy fused with the output softmax on logits vs on probabilities: wall and CPU ms per step, loss and accuracy", load: () => import('../packages/runner/src/bench/train-logits.ts') },
  'conv-fusion': { describe: 'MNIST CNN epoch with each convolution\'s bias and ReLU fused into the conv kernel and its gradient vs tfjs\' separate kernels: CPU and wall s/epoch, alternating', load: () => import('../packages/runner/src/bench/train-conv-fusion.ts') },
  kernels: { describe: 'matrix products and convolutions of one MLP/CNN step: Kiln wasm vs PyTorch, GFLOP/s', load: () => import('../packages/runner/src/bench/kernels.ts') },
  optimizers: { describe: "one optimizer step over the MNIST MLP's variables: Kiln's fused wasm kernel vs tfjs' optimizer, ms", load: () => import('../packages/runner/src/bench/optimizers.ts') },
  'sys-metrics': { describe: 'system metrics (sys/*): one sample, and the epoch store write with and without them', load: () => import('../packages/runner/src/bench/sys-metrics.ts') },
  tracking: { describe: 'tracking overhead: runner with a real store vs the bare training loop (mnist-mlp)', load: () => import('../packages/runner/src/bench/tracking.ts') },
  data: { describe: 'a generated 200 MB CSV: Kiln load and full prepare vs pandas read_csv, time and peak RSS', load: () => import('../packages/runner/src/bench/data.ts') },
  regression: { describe: 'test RMSE with the target raw vs standardized, beside scikit-learn ridge/OLS on the same split (cars, gapminder)', load: () => import('../packages/runner/src/bench/regression.ts') },
  tpe: { describe: "Kiln's TPE modes (univariate, multivariate, constant liar) and random search vs Optuna on Branin and Hartmann6", load: () => import('../packages/runner/src/bench/tpe.ts') },
  'tpe-tune': { describe: "tuning the TPE's defaults on held-out seeds (100..) and functions: candidate settings vs Optuna's modes, sequential and 4 workers", load: () => import('../packages/runner/src/bench/tpe-tune.ts') },
  'sweep-vs-optuna': { describe: 'mnist-mlp sweep (lr x width x dropout): kiln sweep vs Optuna driving kiln train, best val accuracy per seed', load: () => import('../packages/runner/src/bench/sweep-vs-optuna.ts') },
  serve: { describe: 'kiln serve POST /predict (1 and 64 rows a request, 20 connections): rows/s, p50/p99 latency, beside the same model called in process', load: () => import('../packages/runner/src/bench/serve.ts') },
  baseline: { describe: 'the date/time-split and kiln init examples: Kiln vs scikit-learn linear and random forest on the same rows (split.json)', load: () => import('../packages/runner/src/bench/baseline.ts') },
};

/** Runs the named benchmark, or lists them. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name ? BENCHES[name] : undefined;
  if (!bench) {
    process.stderr.write(`usage: pnpm bench <name> [args]\n\n${Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(8)} ${b.describe}`).join('\n')}\n`);
    return name ? 2 : 0;
  }
  await (await bench.load()).main(rest);
  // a bench reports a failed check or a bad option through process.exitCode, which process.exit(0) would override
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(await main(process.argv.slice(2)));
