/** Params side by side; differing rows are highlighted and equal rows can be hidden. */
import { fmtValue } from '../util/format.ts';
import type { CompareModel } from './data.ts';
import { runLabels } from './charts.ts';

/** The param table; `hideEqual` starts it with equal rows hidden (the client toggles the class). */
export function ParamTable(props: { model: CompareModel; hideEqual: boolean }) {
  const { model } = props;
  const labels = runLabels(model.runs);
  return (
    <table class={props.hideEqual ? 'grid params hide-equal' : 'grid params'} id="param-table">
      <thead>
        <tr>
          <th>param</th>
          {model.runs.map((r, i) => (
            <th>
              <a href={`/runs/${encodeURIComponent(r.id)}`}>{labels[i]}</a>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {model.params.map((p) => (
          <tr class={p.differs ? 'differs' : 'equal'}>
            <th>{p.key}</th>
            {p.values.map((v) => (
              <td>{fmtValue(v)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
