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

/**
 * Which classes count in a macro average: those with true rows or predictions, as scikit-learn's default labels
 * (unique_labels(y_true, y_pred)); a class absent from both would add a 0 that says nothing about the model.
 */
export function presentClasses(matrix: readonly (readonly number[])[]): boolean[] {
  return matrix.map((row, c) => row.some((v) => v > 0) || matrix.some((r) => (r[c] ?? 0) > 0));
}

function averages(rows: Omit<ClassRow, 'class'>[], weight: (r: Omit<ClassRow, 'class'>, c: number) => number): ClassAverages {
  const total = rows.reduce((s, r, c) => s + weight(r, c), 0);
  const mean = (pick: (r: Omit<ClassRow, 'class'>) => number) => safeDiv(rows.reduce((s, r, c) => s + pick(r) * weight(r, c), 0), total);
  return { precision: mean((r) => r.precision), recall: mean((r) => r.recall), f1: mean((r) => r.f1) };
}

/** The report of a confusion matrix whose rows and columns are `labels` (a missing label is the class index). */
export function classReport(matrix: readonly (readonly number[])[], labels: readonly string[]): ClassReport {
  const stats = perClassStats(matrix);
  const present = presentClasses(matrix);
  const support = stats.reduce((s, r) => s + r.support, 0);
  const correct = matrix.reduce((s, row, c) => s + (row[c] ?? 0), 0);
  return {
    classes: stats.map((r, c) => ({ class: labels[c] ?? String(c), ...r })),
    macro: averages(stats, (_r, c) => (present[c] ? 1 : 0)),
    weighted: averages(stats, (r) => r.support),
    accuracy: safeDiv(correct, support),
    support,
  };
}
