import { KilnFailure, kilnError } from '@kiln/core/errors';
import { loadPipelineFile } from '@kiln/core/spec';
import { EXIT } from '../main.ts';
import type { ParsedArgs } from '../options.ts';
import { formatWarnings } from '../report.ts';

/** Says what the sweep will score when that is not what the file seems to ask (errors are left to the sweep's own load). */
function printWarnings(file: string, overrides: string[]): void {
  const loaded = loadPipelineFile(file, { overrides });
  if (loaded.ok && loaded.warnings.length > 0) process.stderr.write(`${formatWarnings(loaded.warnings)}\n`);
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function positiveInt(args: ParsedArgs, name: string): number | undefined {
  const v = num(args.options[name]);
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new KilnFailure(kilnError('cli/bad-option', `--${name}`, `--${name} expects a whole number of at least 1, got ${v}`));
  return v;
}

/** `kiln sweep FILE | --resume ID | show ID`: search the sweep: section's parameters (or a --set a=1,2 grid) with parallel workers. */
export async function run(args: ParsedArgs): Promise<number> {
  const sweep = await import('../../sweep/index.ts');
  const store = args.options.store as string | undefined;
  const out = { store, quiet: args.options.quiet === true, json: args.options.json === true };
  if (typeof args.options.worker === 'string') return sweep.runWorker(args.options.worker, store);
  const [first, second] = args.positionals;
  if (first === 'show') {
    if (second === undefined) throw new KilnFailure(kilnError('cli/missing-argument', '', 'kiln sweep show needs a sweep id', 'kiln sweep show SWEEP_ID'));
    await sweep.showSweep(second, out);
    return EXIT.ok;
  }
  const maxMinutes = num(args.options['max-minutes']);
  if (maxMinutes !== undefined && !(maxMinutes > 0)) throw new KilnFailure(kilnError('cli/bad-option', '--max-minutes', `--max-minutes expects a positive number, got ${maxMinutes}`));
  const budget = { parallel: positiveInt(args, 'parallel'), trials: positiveInt(args, 'trials'), maxMinutes };
  const resume = args.options.resume as string | undefined;
  const join = args.options.join as string | undefined;
  if (join !== undefined) {
    if (first !== undefined || resume !== undefined || budget.trials !== undefined || maxMinutes !== undefined || args.options.set !== undefined) {
      throw new KilnFailure(kilnError('cli/bad-option', '--join', '--join adds workers to a sweep as it was started; it takes only --parallel, --store, --quiet and --json', `kiln sweep --join ${join} --store postgres://...`));
    }
    return sweep.sweepExitCode(await sweep.runSweep({ join, parallel: budget.parallel }, out));
  }
  if (resume === undefined && first === undefined) throw new KilnFailure(kilnError('cli/missing-argument', '', 'kiln sweep needs a pipeline file or --resume SWEEP_ID', 'kiln sweep pipelines/mnist-mlp-sweep.yaml'));
  const overrides = (args.options.set as string[] | undefined) ?? [];
  const shorthand = sweep.commaGridFromOverrides(overrides);
  if (first !== undefined && !out.quiet) printWarnings(first, shorthand?.rest ?? overrides);
  const summary = await sweep.runSweep({ ...budget, resume, file: first, overrides: shorthand?.rest ?? overrides, grid: shorthand?.grid }, out);
  return sweep.sweepExitCode(summary);
}
