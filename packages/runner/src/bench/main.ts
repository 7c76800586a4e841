// `pnpm bench <name> [args]`: benchmarks are scripts that print numbers, one module per benchmark.
import { fileURLToPath } from 'node:url';

type Bench = { main: (args: string[]) => Promise<void> };

/** Every benchmark, by the name given to `pnpm bench`. */
export const BENCHES: Record<string, { describe: string; load: () => Promise<Bench> }> = {
  cli: { describe: 'kiln --help start-up and 200-layer validation time', load: () => import('./cli.ts') },
  store: { describe: 'store ingest rate, 10k-run listing, 1M-point downsampling (libsql file)', load: () => import('./store.ts') },
  'store-pg': { describe: 'PostgreSQL ingest rate (starts a throwaway cluster)', load: () => import('./store-pg.ts') },
  ui: { describe: 'runs page on 10k runs, compare render in Chromium, 50-connection load test', load: () => import('./ui.ts') },
  asha: { describe: 'MNIST MLP sweep: ASHA vs no pruning (best val accuracy, epochs used)', load: () => import('./asha.ts') },
  train: { describe: 'seconds per epoch: Kiln (runner, tracking on) vs plain tfjs vs PyTorch on MLP, CNN, LSTM', load: () => import('./train.ts') },
  tracking: { describe: 'tracking overhead: runner with a real store vs the bare training loop (mnist-mlp)', load: () => import('./tracking.ts') },
  tpe: { describe: "Kiln's TPE and random search vs Optuna on Branin and Hartmann6", load: () => import('./tpe.ts') },
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
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(await main(process.argv.slice(2)));
