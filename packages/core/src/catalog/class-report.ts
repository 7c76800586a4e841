/**
 * The per-class report of a classifier from its confusion matrix: precision, recall, F1 and support per class,
 * with macro and support-weighted averages. The runner's metrics (f1, f1Weighted, ...), its test report and the
 * UI's table all compute it here, so they agree.
 */

/** One class's row. */
export interface ClassRow {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  /** True rows of the class. */
  support: number;
}

/** Averages over the classes: macro (unweighted) and weighted by support. */
export interface ClassAverages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassReport {
  classes: ClassRow[];
  macro: ClassAverages;
  weighted: ClassAverages;
  accuracy: number;
  support: number;
}

const safeDiv = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Per-class precision, recall, F1 and support of matrix[actual][predicted] (0 where undefined, as scikit-learn's zero_division=0). */
export function perClassStats(matrix: readonly (readonly number[])[]): Omit<ClassRow, 'class'>[] {
  return matrix.map((row, c) => {
    const tp = row[c] ?? 0;
    const predicted = matrix.reduce((s, r) => s + (r[c] ?? 0), 0);
    const support = row.reduce((s, v) => s + v, 0);
    const precision = safeDiv(tp, predicted);
    const recall = safeDiv(tp, support);
    return { precision, recall, f1: safeDiv(2 * precision * recall, precision + recall), support };
  });
}

function averages(rows: Omit<ClassRow, 'class'>[], weight: (r: Omit<ClassRow, 'class'>) => number): ClassAverages {
  const total = rows.reduce((s, r) => s + weight(r), 0);
  const mean = (pick: (r: Omit<ClassRow, 'class'>) => number) => safeDiv(rows.reduce((s, r) => s + pick(r) * weight(r), 0), total);
  return { precision: mean((r) => r.precision), recall: mean((r) => r.recall), f1: mean((r) => r.f1) };
}

/** The report of a confusion matrix whose rows and columns are `labels` (a missing label is the class index). */
export function classReport(matrix: readonly (readonly number[])[], labels: readonly string[]): ClassReport {
  const stats = perClassStats(matrix);
  const support = stats.reduce((s, r) => s + r.support, 0);
  const correct = matrix.reduce((s, row, c) => s + (row[c] ?? 0), 0);
  return {
    classes: stats.map((r, c) => ({ class: labels[c] ?? String(c), ...r })),
    macro: averages(stats, () => 1),
    weighted: averages(stats, (r) => r.support),
    accuracy: safeDiv(correct, support),
    support,
  };
}
