import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

/** `kiln export-model RUN|NAME@ALIAS --out DIR`: the run's model, preprocessing and a dependency-free ES module, for the browser and plain tfjs. */
export async function run(args: Args<'export-model'>): Promise<number> {
  const [runArg, extra] = args.positionals;
  const { store, out, force } = args.options;
  if (!runArg) throw usageError('cli/missing-argument', '', 'kiln export-model needs a run id (or a registered model, NAME@ALIAS)', 'kiln export-model 1a2b3c --out penguins-web, or kiln export-model penguins@production --out penguins-web');
  if (extra !== undefined) throw usageError('cli/extra-argument', '', `kiln export-model takes one run, but got "${extra}" too`, 'name the folder with --out: kiln export-model 1a2b3c --out penguins-web');
  if (out === undefined || out.trim() === '') throw usageError('cli/missing-option', 'out', 'kiln export-model needs --out DIR, the folder to write', `kiln export-model ${runArg} --out model-web`);
  const { openStore, getRun, resolveModelRef, formatVersionRef } = await import('@kiln/core/store');
  const s = await openStore(store, { mode: 'read' });
  let runId: string;
  let runName: string;
  try {
    // a run id (or prefix), or a registered model: NAME@ALIAS, NAME@VERSION, NAME (its latest version)
    const ref = await resolveModelRef(s, runArg);
    runId = ref.runId;
    if (ref.model !== null) process.stderr.write(`${formatVersionRef(ref.model)}: run ${runId}\n`);
    runName = (await getRun(s, runId))?.name ?? runId;
  } finally {
    s.close();
  }
  const { exportModel } = await import('../../export/export.ts');
  const result = await exportModel(runId, runName, out, { store, force });
  process.stderr.write(`exported run ${runId} to ${result.dir}\n`);
  for (const f of result.files) process.stderr.write(`  ${f}\n`);
  for (const l of result.layers) process.stderr.write(`layer ${l.layer} (${l.kilnClass}): ${l.replacedBy ? `replaced by tfjs' ${l.replacedBy}` : 'shipped in kiln-layers.js'}: ${l.why}\n`);
  process.stderr.write(`inputs: ${result.columns.join(', ')}\n`);
  return EXIT.ok;
}
