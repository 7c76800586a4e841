/** The per-class test report of each classification head: computed from its confusion matrix, printed after training and saved with the run. */
import { classReport, type ClassReport } from '@kiln/core/catalog';

/** One classification head's report; `output` names the head of a multi-output model. */
export interface HeadClassReport {
  output?: string;
  report: ClassReport;
}

/** A head's report from its test confusion matrix and class labels. */
export function headClassReport(matrix: number[][], classes: readonly string[], output?: string): HeadClassReport {
  return { ...(output ? { output } : {}), report: classReport(matrix, classes) };
}

// Class names come from the data: control characters (a terminal escape, a newline) are shown escaped, long names cut.
const MAX_NAME = 40;
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

/** A class name safe to print in a terminal table: control characters as \uXXXX, at most 40 characters. */
export function printableClass(name: string): string {
  const safe = [...name].map((c) => (isControl(c.codePointAt(0) ?? 0) ? `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : c)).join('');
  return safe.length > MAX_NAME ? `${safe.slice(0, MAX_NAME - 1)}…` : safe;
}

const num = (v: number) => v.toFixed(4);

/** The report as a text table: one row per class, then the macro and weighted averages (scikit-learn's classification_report layout). */
export function classReportText({ output, report }: HeadClassReport): string {
  const rows = [
    ['class', 'precision', 'recall', 'f1', 'support'],
    ...report.classes.map((c) => [printableClass(c.class), num(c.precision), num(c.recall), num(c.f1), String(c.support)]),
    ['macro avg', num(report.macro.precision), num(report.macro.recall), num(report.macro.f1), String(report.support)],
    ['weighted avg', num(report.weighted.precision), num(report.weighted.recall), num(report.weighted.f1), String(report.support)],
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].length))) ?? [];
  const pad = (cell: string, c: number) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0));
  const lines = rows.map((r) => r.map(pad).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.splice(lines.length - 2, 0, '');
  return `test per class${output ? ` (${printableClass(output)})` : ''}:\n${lines.join('\n')}`;
}
