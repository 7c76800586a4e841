import type { KilnError } from '@kiln/core/errors';
import { loadPipelineFile, targetsOf, type PipelineSpec } from '@kiln/core/spec';
import { formatErrors, formatWarnings } from '../../terminal/errors.ts';
import { EXIT, exitCodeFor } from '../exit.ts';
import type { Args } from '../options.ts';

/** A one-line description of a valid pipeline. */
export function summarize(spec: PipelineSpec): string {
  const src = spec.data.source;
  const from = src.type === 'builtin' ? `builtin ${src.name}` : src.path;
  const opt = spec.train.optimizer;
  const sweep = spec.sweep ? `, sweep ${spec.sweep.method} over ${Object.keys(spec.sweep.parameters).length} param(s)` : '';
  return `${spec.name}: ${from}, ${spec.data.features.length} feature(s) -> ${targetsOf(spec.data).map((t) => `${t.name} (${t.type})`).join(', ')}, ${spec.model.layers ? `${spec.model.layers.length} layers` : `a graph of ${spec.model.graph?.nodes.length ?? 0} nodes`}, ${opt.name} lr ${opt.learningRate}, ${spec.train.epochs} epochs${sweep}`;
}

/** One file's outcome, as printed and as --json gives it. */
type FileResult = { file: string; ok: true; hash: string; summary: string; warnings?: KilnError[] } | { file: string; ok: false; errors: KilnError[] };

/** `kiln validate FILE...`: exit 0 when every file is valid, 2 otherwise, errors on stderr. */
export async function run(args: Args<'validate'>): Promise<number> {
  const { set: overrides, json } = args.options;
  const results: FileResult[] = [];
  for (const file of args.positionals) {
    const r = loadPipelineFile(file, { overrides });
    results.push(r.ok ? { file, ok: true, hash: r.pipeline.hash, summary: summarize(r.pipeline.spec), ...(r.warnings.length > 0 ? { warnings: r.warnings } : {}) } : { file, ok: false, errors: r.errors });
  }
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  for (const r of results) {
    if (!r.ok) process.stderr.write(`${formatErrors(r.errors)}\n`);
    else if (!json) {
      process.stdout.write(`ok   ${r.file}  ${r.summary}  [${r.hash.slice(0, 12)}]\n`);
      if (r.warnings) process.stderr.write(`${formatWarnings(r.warnings)}\n`);
    }
  }
  const errors = results.flatMap((r) => (r.ok ? [] : r.errors));
  return results.every((r) => r.ok) ? EXIT.ok : exitCodeFor(errors);
}
