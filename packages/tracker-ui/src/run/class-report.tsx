/** The per-class table of the run page: precision, recall, F1 and support per class, from a head's test confusion matrix. */
import { classReport } from '@kiln/core/catalog';
import type { Confusion } from './confusion.ts';

const num = (v: number) => v.toFixed(4);

/** One row per class, then the macro and support-weighted averages; class names are text (the JSX renderer escapes them). */
export function ClassReportTable(props: { confusion: Confusion; id: string }) {
  const report = classReport(props.confusion.matrix, props.confusion.labels);
  const averages = [
    ['macro avg', report.macro],
    ['weighted avg', report.weighted],
  ] as const;
  return (
    <table class="class-report" id={props.id}>
      <thead>
        <tr>
          <th>class</th>
          <th>precision</th>
          <th>recall</th>
          <th>F1</th>
          <th>support</th>
        </tr>
      </thead>
      <tbody>
        {report.classes.map((c) => (
          <tr>
            <th>{c.class}</th>
            <td class="num">{num(c.precision)}</td>
            <td class="num">{num(c.recall)}</td>
            <td class="num">{num(c.f1)}</td>
            <td class="num">{c.support}</td>
          </tr>
        ))}
        {averages.map(([name, a]) => (
          <tr class="average">
            <th>{name}</th>
            <td class="num">{num(a.precision)}</td>
            <td class="num">{num(a.recall)}</td>
            <td class="num">{num(a.f1)}</td>
            <td class="num">{report.support}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
