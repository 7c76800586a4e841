/** k-fold parents in `kiln runs`, `show` and `compare`: their fold runs, the per-fold table and mean ± std. */
import { foldRuns, foldValues, STD_SUFFIX, summaryValue, type MetricSummary, type RunRow, type Store } from '@kiln/core/store';
import { meanStdText, renderFoldTable } from '../../run/kfold/table.ts';

/** The tag a k-fold parent carries: its number of folds. */
export const FOLDS_TAG = 'kiln.folds';

/** Whether a run is a k-fold parent. */
export const isFoldParent = (r: { tags: Record<string, string> }): boolean => r.tags[FOLDS_TAG] !== undefined;

/** A run's name as listed: a parent says how many folds it has, a fold run which fold it is. */
export function foldName(r: Pick<RunRow, 'name' | 'tags' | 'fold'>): string {
  if (r.fold !== null) return `  └ fold ${r.fold}: ${r.name}`;
  return isFoldParent(r) ? `${r.name} (${r.tags[FOLDS_TAG]}-fold)` : r.name;
}

/** The listed runs with each k-fold parent's fold runs right under it (for `kiln runs --folds`). */
export async function withFoldRows(store: Store, runs: RunRow[]): Promise<RunRow[]> {
  const out: RunRow[] = [];
  for (const r of runs) {
    out.push(r);
    if (isFoldParent(r)) out.push(...(await foldRuns(store, r.id)));
  }
  return out;
}

/** The parent's recorded summary values (mean under the key, std under key.std). */
function parentSummary(metrics: Record<string, MetricSummary>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, m] of Object.entries(metrics)) {
    const { value } = summaryValue(m);
    if (value !== null) out[key] = value;
  }
  return out;
}

/** `kiln show PARENT`'s k-fold section: a row per fold run, then the mean ± std the parent recorded. */
export async function foldSection(store: Store, parent: { id: string; tags: Record<string, string>; metrics: Record<string, MetricSummary> }): Promise<string[]> {
  if (!isFoldParent(parent)) return [];
  const folds = await foldRuns(store, parent.id);
  const lines = folds.map((f) => ({ fold: f.fold ?? 0, run: f.id, status: f.status, values: foldValues(f) }));
  return ['', `${parent.tags[FOLDS_TAG]}-fold cross-validation (kiln show FOLD_RUN for one fold)`, renderFoldTable(lines, parentSummary(parent.metrics))];
}

/** A compare cell for a k-fold parent: `mean ± std` (the std from the parent's `<key>.std`). */
export function meanStdCell(r: { metrics: Record<string, MetricSummary> }, key: string): string | undefined {
  const std = summaryValue(r.metrics[`${key}${STD_SUFFIX}`]).value;
  const mean = summaryValue(r.metrics[key]);
  if (std === null || mean.value === null) return undefined;
  return `${meanStdText(mean.value, std)}${mean.label === 'last' ? '*' : ''}`;
}
