import { KilnFailure } from '@kiln/core/errors';
import { loadPipelineFile, locateInPipeline } from '@kiln/core/spec';
import { formatWarnings } from '../../terminal/errors.ts';
import { EXIT } from '../exit.ts';
import { DEFAULT_PIPELINE, type Args } from '../options.ts';

/**
 * `kiln train [FILE]`: validate, then train and track one run (the default pipeline when no file
 * is given). `--set a=1,2` (Hydra's shorthand) turns it into a grid sweep over those values.
 */
export async function run(args: Args<'train'>): Promise<number> {
  const file = args.positionals[0] ?? DEFAULT_PIPELINE;
  const { set: overrides, store, quiet, json } = args.options;
  const out = { store, quiet, json };
  const { commaGridFromOverrides } = await import('../../sweep/shorthand.ts');
  const shorthand = commaGridFromOverrides(overrides);
  if (shorthand) {
    const sweep = await import('../../sweep/index.ts');
    const summary = await sweep.runSweep({ file, overrides: shorthand.rest, grid: shorthand.grid }, out);
    return sweep.sweepExitCode(summary);
  }
  const loaded = loadPipelineFile(file, { overrides });
  if (!loaded.ok) throw new KilnFailure(loaded.errors);
  if (loaded.warnings.length > 0 && !out.quiet) process.stderr.write(`${formatWarnings(loaded.warnings)}\n`);
  // A pipeline with data.split.folds trains its folds under one parent run.
  const { trainPipelineOrFolds } = await import('../../run/kfold/index.ts');
  const result = await trainPipelineOrFolds(loaded.pipeline, out).catch((e: unknown) => {
    // Data and model errors name a spec field; point at it in the file, like validation does.
    throw e instanceof KilnFailure ? new KilnFailure(locateInPipeline(loaded.pipeline, e.errors)) : e;
  });
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.status === 'finished' ? EXIT.ok : EXIT.failed;
}
