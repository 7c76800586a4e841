import { loadPipelineFile } from '@kiln/core/spec';
import { formatWarnings } from '../../terminal/errors.ts';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

/** Says what the sweep will score when that is not what the file seems to ask (errors are left to the sweep's own load). */
function printWarnings(file: string, overrides: string[]): void {
  const loaded = loadPipelineFile(file, { overrides });
  if (loaded.ok && loaded.warnings.length > 0) process.stderr.write(`${formatWarnings(loaded.warnings)}\n`);
}

function positiveInt(name: string, v: number | undefined): number | undefined {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw usageError('cli/bad-option', `--${name}`, `--${name} expects a whole number of at least 1, got ${v}`);
  return v;
}

/** `kiln sweep FILE | --resume ID | show ID`: search the sweep: section's parameters (or a --set a=1,2 grid) with parallel workers. */
export async function run(args: Args<'sweep'>): Promise<number> {
  const o = args.options;
  const sweep = await import('../../sweep/index.ts');
  const out = { store: o.store, quiet: o.quiet, json: o.json };
  if (o.worker !== undefined) return sweep.runWorker(o.worker, o.store);
  const [first, second] = args.positionals;
  if (first === 'show') {
    if (second === undefined) throw usageError('cli/missing-argument', '', 'kiln sweep show needs a sweep id', 'kiln sweep show SWEEP_ID');
    await sweep.showSweep(second, out);
    return EXIT.ok;
  }
  const maxMinutes = o['max-minutes'];
  if (maxMinutes !== undefined && !(maxMinutes > 0)) throw usageError('cli/bad-option', '--max-minutes', `--max-minutes expects a positive number, got ${maxMinutes}`);
  const budget = { parallel: positiveInt('parallel', o.parallel), trials: positiveInt('trials', o.trials), maxMinutes };
  const { resume, join } = o;
  if (join !== undefined) {
    if (first !== undefined || resume !== undefined || budget.trials !== undefined || maxMinutes !== undefined || o.set.length > 0) {
      throw usageError('cli/bad-option', '--join', '--join adds workers to a sweep as it was started; it takes only --parallel, --store, --quiet and --json', `kiln sweep --join ${join} --store postgres://...`);
    }
    return sweep.sweepExitCode(await sweep.runSweep({ join, parallel: budget.parallel }, out));
  }
  if (resume === undefined && first === undefined) throw usageError('cli/missing-argument', '', 'kiln sweep needs a pipeline file or --resume SWEEP_ID', 'kiln sweep pipelines/mnist-mlp-sweep.yaml');
  const shorthand = sweep.commaGridFromOverrides(o.set);
  const overrides = shorthand?.rest ?? o.set;
  if (first !== undefined && !out.quiet) printWarnings(first, overrides);
  const summary = await sweep.runSweep({ ...budget, resume, file: first, overrides, grid: shorthand?.grid }, out);
  return sweep.sweepExitCode(summary);
}
