import { KilnFailure } from '@kiln/core/errors';
import { loadPipelineFile } from '@kiln/core/spec';
import { EXIT } from '../main.ts';
import { DEFAULT_PIPELINE, type ParsedArgs } from '../options.ts';

/** `kiln train [FILE]`: validate, then train and track one run (the default pipeline when no file is given). */
export async function run(args: ParsedArgs): Promise<number> {
  const file = args.positionals[0] ?? DEFAULT_PIPELINE;
  const overrides = (args.options.set as string[] | undefined) ?? [];
  const loaded = loadPipelineFile(file, { overrides });
  if (!loaded.ok) throw new KilnFailure(loaded.errors);
  const { trainPipeline } = await import('../../run/train-pipeline.ts');
  const result = await trainPipeline(loaded.pipeline, {
    store: args.options.store as string | undefined,
    quiet: args.options.quiet === true,
    json: args.options.json === true,
  });
  if (args.options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.status === 'finished' ? EXIT.ok : EXIT.failed;
}
