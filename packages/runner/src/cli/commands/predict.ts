import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

/** `kiln predict RUN FILE`: predictions of a trained run for new rows (JSONL or CSV), as JSONL. */
export async function run(args: Args<'predict'>): Promise<number> {
  const [runArg, input] = args.positionals;
  if (!runArg || !input) throw usageError('cli/missing-argument', '', 'kiln predict needs a run id and an input file', 'kiln predict 1a2b3c new-rows.jsonl');
  const { store, out } = args.options;
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
  const { count } = await predictRun(runId, input, { store, out });
  if (out !== undefined) process.stderr.write(`wrote ${count} prediction(s) to ${out}\n`);
  return EXIT.ok;
}
