import { targetsOf, type DataSpec } from '@kiln/core';
import { missingMarkers, missingTest } from '@kiln/core/catalog';
import { parseDecimal } from '../preprocess/number.ts';
import { RAW_PLAN, type ColumnPlan, type PlanOf } from './columns.ts';

/** What the plan needs of a data.features entry: one column by name or a group by pattern, its type and markers. */
interface FeatureLike {
  type: string;
  name?: string;
  columns?: string;
  missingValues?: readonly string[];
}

/** What the plan needs of a data spec. */
export interface PlanSpec {
  source: { missingValues?: readonly string[] };
  features: readonly FeatureLike[];
  targets: readonly { name: string; type: string }[];
  /** Columns read as text whatever else uses them: the split and filter columns. */
  textColumns: readonly (string | undefined)[];
}

/** A column stored as numbers with these markers; `undefined` markers are the defaults. */
function numericPlan(markers: readonly string[]): ColumnPlan {
  return { numeric: true, missing: missingTest(markers), numericMarkers: markers.some((m) => parseDecimal(m) !== undefined) };
}

/**
 * Which columns a reader may store as numbers: those only numeric features and regression targets use
 * (and unused ones); everything a category, text, date or image feature, a classification target, the split or
 * the filter reads keeps its raw text ("01234" stays "01234"). A column two numeric features read with different
 * missing markers stays raw too, so each feature applies its own.
 */
export function columnPlan(spec: PlanSpec): PlanOf {
  const source = spec.source.missingValues;
  const uses = new Map<string, (readonly string[] | null)[]>(); // null: needs the raw text
  const use = (name: string | undefined, markers: readonly string[] | null) => {
    if (name !== undefined) uses.set(name, [...(uses.get(name) ?? []), markers]);
  };
  for (const f of spec.features) if (f.name !== undefined) use(f.name, f.type === 'numeric' ? missingMarkers(f.missingValues, source) : null);
  for (const t of spec.targets) use(t.name, t.type === 'regression' ? missingMarkers(source) : null);
  for (const c of spec.textColumns) use(c, null);
  const groups = spec.features.filter((f) => f.name === undefined);
  const groupUses = groups.map((f) => (f.type === 'numeric' ? missingMarkers(f.missingValues, source) : null));
  const decide = (all: (readonly string[] | null)[]): ColumnPlan => {
    const [first] = all;
    if (all.length === 0) return numericPlan(missingMarkers(source));
    if (!first || all.some((m) => m === null || m.join('\u0000') !== first.join('\u0000'))) return RAW_PLAN('');
    return numericPlan(first);
  };
  const other = decide(groupUses);
  const plans = new Map([...uses].map(([name, all]) => [name, decide(all)]));
  return (name) => plans.get(name) ?? other;
}

/** The plan for a pipeline's data block: its features, targets, split and filter columns, and the source's markers. */
export function planOfData(data: DataSpec): PlanOf {
  const source = 'missingValues' in data.source ? data.source : {};
  const split = data.split as { column?: string; by?: string };
  return columnPlan({ source, features: data.features, targets: targetsOf(data), textColumns: [split.column, split.by, data.filter?.column] });
}
