import { getRun } from '@kiln/core/store';
import { isSystemKey } from '@kiln/core/catalog';
import { fmtDuration, fmtNum, fmtTime } from '../../terminal/format.ts';
import { renderTable } from '../../terminal/table.ts';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';
import { resolveRunId, withStore } from '../store.ts';
import { lineageLines } from './show-lineage.ts';
import { foldSection } from './folds.ts';
import { classReportLines } from './show-class-report.ts';

/** `kiln show RUN`: everything recorded about one run. */
export async function run(args: Args<'show'>): Promise<number> {
  const id = args.positionals[0];
  if (!id) throw usageError('cli/missing-argument', '', 'kiln show needs a run id', 'kiln runs lists them');
  const [r, foldLines, perClass] = await withStore(args, async (store) => {
    const got = await getRun(store, await resolveRunId(store, id));
    return [got, got ? await foldSection(store, got) : [], got ? await classReportLines(store, got.artifacts) : []] as const;
  });
  if (!r) return EXIT.failed;
  if (args.options.json) {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    return EXIT.ok;
  }
  const out: string[] = [
    `run ${r.id}  ${r.name}  (pipeline ${r.pipeline ?? '?'}, experiment ${r.experiment})`,
    `status    ${r.status}${r.failureReason ? `: ${r.failureReason}` : ''}`,
    ...(r.tags['kiln.warning'] ? [`warning   ${r.tags['kiln.warning']}`] : []),
    `kept      ${r.keptEpoch !== null ? `the model of epoch ${r.keptEpoch}: final = its val.* and train.*, and test.* of that model` : foldLines.length > 0 ? 'no model of its own (k-fold parent): final = the mean over its folds, <metric>.std their standard deviation' : 'no model: final is empty, last is the last logged point'}`,
    `started   ${fmtTime(r.startedAt)}   duration ${fmtDuration(r.durationMs)}`,
    `config    ${r.configHash.slice(0, 12)}   data ${(r.dataFingerprint ?? '').slice(0, 12)}   seed ${r.seed ?? ''}`,
    `code      git ${r.gitCommit?.slice(0, 10) ?? 'none'}${r.gitDirty ? ' (dirty)' : ''}   kiln ${r.kilnVersion ?? ''}${r.tags['kiln.source'] ? `   source ${r.tags['kiln.source']}` : ''}`,
    `machine   ${r.host ?? ''} ${r.os ?? ''}   node ${r.nodeVersion ?? ''}   tfjs ${r.tfjsVersion ?? ''} on ${r.tfjsBackend ?? ''}`,
    // the wasm backend's matrix products: the BLAS library, its path and threads (the tags table would cut the path)
    ...(r.tags.blas ? [`blas      ${r.tags.blas}`] : []),
  ];
  if (r.sweepId) out.push(`sweep     ${r.sweepId} trial ${r.trialNumber}`);
  out.push(...lineageLines(r));
  if (r.foldParentId !== null) out.push(`fold      ${r.fold ?? '?'} of k-fold parent ${r.foldParentId}`);
  out.push(...foldLines);
  const metrics = Object.entries(r.metrics).sort(([a], [b]) => a.localeCompare(b));
  if (metrics.length) out.push('', renderTable(['metric', 'final', 'last', 'min', 'max', 'best step', 'points'], metrics.map(([k, m]) => [k, m.final === null ? '-' : fmtNum(m.final), fmtNum(m.last), fmtNum(m.min), fmtNum(m.max), isSystemKey(k) ? '-' : fmtNum(m.bestStep), String(m.count)])));
  out.push(...perClass);
  const tags = Object.entries(r.tags);
  if (tags.length) out.push('', renderTable(['tag', 'value'], tags));
  if (r.artifacts.length) out.push('', renderTable(['artifact', 'kind', 'bytes'], r.artifacts.map((a) => [a.path, a.kind, String(a.size)])));
  out.push('', `${Object.keys(r.params).length} params recorded (kiln show ${r.id} --json prints them all)`);
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
