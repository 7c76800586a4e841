import { KilnFailure, kilnError } from '@kiln/core/errors';
import { EXIT } from '../main.ts';
import type { ParsedArgs } from '../options.ts';

/** `kiln predict RUN FILE`: predictions of a trained run for new rows (JSONL or CSV), as JSONL. */
export async function run(args: ParsedArgs): Promise<number> {
  const [runArg, input] = args.positionals;
  if (!runArg || !input) throw new KilnFailure(kilnError('cli/missing-argument', '', 'kiln predict needs a run id and an input file', 'kiln predict 1a2b3c new-rows.jsonl'));
  const store = args.options.store as string | undefined;
  const { openStore } = await import('@kiln/core/store');
  const { resolveRunId } = await import('../store.ts');
  const s = await openStore(store, { mode: 'read' });
  let runId: string;
  try {
    runId = await resolveRunId(s, runArg);
  } finally {
    s.close();
  }
  const { predictRun } = await import('../../predict/predict.ts');
  const { count } = await predictRun(runId, input, { store, out: args.options.out as string | undefined });
  if (args.options.out) process.stderr.write(`wrote ${count} prediction(s) to ${String(args.options.out)}\n`);
  return EXIT.ok;
}
