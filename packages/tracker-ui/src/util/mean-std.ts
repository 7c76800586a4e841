/** A k-fold parent's `<key>.std` belongs beside its mean (`mean ± std`), never in a row, column or chart of its own. */
import { STD_SUFFIX, summaryValue, type MetricSummary } from '../data/store.ts';
import { fmtNum } from './format.ts';

/** Metric keys without the `.std` keys whose mean is among them (a metric someone named `x.std` on its own stays). */
export function withoutStdKeys(keys: string[]): string[] {
  const all = new Set(keys);
  return keys.filter((k) => !(k.endsWith(STD_SUFFIX) && all.has(k.slice(0, -STD_SUFFIX.length))));
}

/** ` ± std` for a metric whose `.std` the run recorded (a k-fold parent), else ''. */
export function stdSuffix(metrics: Record<string, MetricSummary>, key: string): string {
  const std = summaryValue(metrics[`${key}${STD_SUFFIX}`]).value;
  return std === null ? '' : ` ± ${fmtNum(std)}`;
}
