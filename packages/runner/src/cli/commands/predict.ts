import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

/** `kiln predict RUN|NAME@ALIAS FILE`: predictions of a trained run or registered model for new rows (JSONL or CSV), as JSONL. */
export async function run(args: Args<'predict'>): Promise<number> {
  const [runArg, input] = args.positionals;
  if (!runArg || !input) throw usageError('cli/missing-argument', '', 'kiln predict needs a run id (or a registered model, NAME@ALIAS) and an input file', 'kiln predict 1a2b3c new-rows.jsonl, or kiln predict penguins@production new-rows.jsonl');
  const { store, out } = args.options;
  const { openStore, resolveModelRef, formatVersionRef } = await import('@kiln/core/store');
  const s = await openStore(store, { mode: 'read' });
  let runId: string;
  try {
    // a run id (or prefix), or a registered model: NAME@ALIAS, NAME@VERSION, NAME (its latest version)
    const ref = await resolveModelRef(s, runArg);
    runId = ref.runId;
    if (ref.model !== null) process.stderr.write(`${formatVersionRef(ref.model)}: run ${runId}\n`);
  } finally {
    s.close();
  }
  const { predictRun } = await import('../../predict/predict.ts');
  const { count } = await predictRun(runId, input, { store, out });
  if (out !== undefined) process.stderr.write(`wrote ${count} prediction(s) to ${out}\n`);
  return EXIT.ok;
}
