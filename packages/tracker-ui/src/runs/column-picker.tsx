/** A <details> menu of column checkboxes, submitted as a GET form so it works without script. */
import type { Column } from './columns.ts';
import type { RunsState } from './state.ts';

/** Lists every available column with the shown ones checked. */
export function ColumnPicker(props: { state: RunsState; available: Column[]; shown: Column[] }) {
  const { state } = props;
  const shown = new Set(props.shown.map((c) => c.field));
  const keep: [string, string][] = [
    ['experiment', state.experiment],
    ['filter', state.filter],
    ['sort', state.sort],
    ['sel', state.sel.join(',')],
    ['group', (state.group ?? []).join(',')],
    ['band', state.band ?? ''],
  ];
  return (
    <details class="column-picker">
      <summary>Columns ({props.shown.length})</summary>
      <form method="get" action="/runs">
        {keep.filter(([, v]) => v !== '').map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="choices">
          {props.available.map((col) => (
            <label>
              <input type="checkbox" name="cols" value={col.field} checked={shown.has(col.field)} /> {col.field}
            </label>
          ))}
        </div>
        <button type="submit">Show columns</button>
      </form>
    </details>
  );
}
