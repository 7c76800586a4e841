/** Params side by side; differing rows are highlighted and equal rows can be hidden. */
import { fmtValue } from '../util/format.ts';
import type { CompareModel } from './data.ts';
import { RunHeader } from './run-header.tsx';

/** The param table; `hideEqual` starts it with equal rows hidden (the client toggles the class). */
export function ParamTable(props: { model: CompareModel; hideEqual: boolean }) {
  const { model } = props;
  return (
    <table class={props.hideEqual ? 'grid params hide-equal' : 'grid params'} id="param-table">
      <RunHeader first="param" runs={model.runs} />
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
