/** The per-fold table and the mean ± std line of a k-fold parent, for `kiln train` and `kiln show`. */
import { fmtNum } from '@kiln/core/format';
import { STD_SUFFIX } from '@kiln/core/store';
import { renderTable } from '../../terminal/table.ts';
import type { RunResult } from '../result.ts';

/** One fold's row: its number, run, status and the values of its kept model (`val.accuracy`, ...). */
export interface FoldLine {
  fold: number;
  run: string;
  status: string;
  values: Record<string, number>;
}

/** `0.9512 ± 0.0123`; the mean alone when there is no std. */
export function meanStdText(mean: number | undefined, std: number | undefined): string {
  if (mean === undefined) return '';
  return std === undefined ? fmtNum(mean) : `${fmtNum(mean)} ± ${fmtNum(std)}`;
}

/** The metrics a fold table shows: val.* then test.* (train.* only when nothing else was measured), without the .std keys. */
export function foldKeys(summary: Record<string, number>): string[] {
  const keys = Object.keys(summary).filter((k) => !k.endsWith(STD_SUFFIX));
  const pick = (split: string) => keys.filter((k) => k.startsWith(`${split}.`)).sort();
  const shown = [...pick('val'), ...pick('test')];
  return shown.length > 0 ? shown : pick('train');
}

/** A row per fold, then the mean ± std of each metric over the folds that finished. */
export function renderFoldTable(lines: FoldLine[], summary: Record<string, number>): string {
  const keys = foldKeys(summary);
  const rows = lines.map((l) => [String(l.fold), l.run, l.status, ...keys.map((k) => fmtNum(l.values[k]))]);
  rows.push(['mean ± std', '', '', ...keys.map((k) => meanStdText(summary[k], summary[`${k}${STD_SUFFIX}`]))]);
  return renderTable(['fold', 'run', 'status', ...keys], rows);
}

/** What `kiln train` prints after the folds: the table, the parent's status and its run id. */
export function foldReport(result: RunResult, k: number): string {
  const summary: Record<string, number> = {};
  for (const [split, values] of Object.entries(result.metrics)) for (const [key, v] of Object.entries(values)) summary[`${split}.${key}`] = v;
  const lines = (result.folds ?? []).map((f) => {
    const values: Record<string, number> = {};
    for (const [split, vs] of Object.entries(f.metrics)) for (const [key, v] of Object.entries(vs)) values[`${split}.${key}`] = v;
    return { fold: f.fold, run: f.runId, status: f.status, values };
  });
  const status = result.status === 'finished' ? '' : `status      ${result.status}${result.reason ? ` (${result.reason})` : ''}\n`;
  return `${k}-fold cross-validation\n${renderFoldTable(lines, summary)}\n\n${status}run         ${result.runId} (parent of ${lines.length} fold run${lines.length === 1 ? '' : 's'})`;
}
