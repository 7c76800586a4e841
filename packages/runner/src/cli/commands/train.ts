import { KilnFailure } from '@kiln/core/errors';
import { loadPipelineFile, locateInPipeline } from '@kiln/core/spec';
import { EXIT } from '../main.ts';
import { DEFAULT_PIPELINE, type ParsedArgs } from '../options.ts';
import { formatWarnings } from '../report.ts';

/**
 * `kiln train [FILE]`: validate, then train and track one run (the default pipeline when no file
 * is given). `--set a=1,2` (Hydra's shorthand) turns it into a grid sweep over those values.
 */
export async function run(args: ParsedArgs): Promise<number> {
  const file = args.positionals[0] ?? DEFAULT_PIPELINE;
  const overrides = (args.options.set as string[] | undefined) ?? [];
  const out = { store: args.options.store as string | undefined, quiet: args.options.quiet === true, json: args.options.json === true };
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
  const { trainPipeline } = await import('../../run/train-pipeline.ts');
  const result = await trainPipeline(loaded.pipeline, out).catch((e: unknown) => {
    // Data and model errors name a spec field; point at it in the file, like validation does.
    throw e instanceof KilnFailure ? new KilnFailure(locateInPipeline(loaded.pipeline, e.errors)) : e;
  });
  if (args.options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.status === 'finished' ? EXIT.ok : EXIT.failed;
}
