/** The filter search box, with a parse/compile error shown in place under the offending column. */
import type { RunsState } from './state.ts';

export interface FilterProblem {
  message: string;
  hint?: string;
  /** 1-based column in the filter text. */
  col?: number;
  /** Which input the problem is in. */
  field: 'filter' | 'sort';
}

/** The GET form that reloads the runs page with a new filter (keeping experiment, columns, selection). */
export function FilterBox(props: { state: RunsState; problem: FilterProblem | null }) {
  const { state, problem } = props;
  const keep: [string, string][] = [
    ['experiment', state.experiment],
    ['sort', state.sort],
    ['cols', state.cols.join(',')],
    ['sel', state.sel.join(',')],
    ['group', (state.group ?? []).join(',')],
    ['band', state.band ?? ''],
  ];
  const inFilter = problem?.field === 'filter';
  return (
    <form method="get" action="/runs" class="filter" id="filter-form">
      {keep.filter(([, v]) => v !== '').map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <label for="filter">Filter</label>
      <input
        id="filter"
        name="filter"
        type="search"
        value={state.filter}
        placeholder='metrics.val.accuracy > 0.9 and params.train.optimizer.name = "adam"'
        spellcheck={false}
        autocomplete="off"
        aria-invalid={inFilter ? 'true' : undefined}
        aria-describedby={problem ? 'filter-error' : undefined}
      />
      <button type="submit">Apply</button>
      {problem ? (
        <div class="filter-error" id="filter-error" role="alert" data-col={problem.col}>
          {inFilter && problem.col !== undefined ? (
            <pre class="caret">
              {state.filter}
              {'\n'}
              {' '.repeat(Math.max(0, problem.col - 1))}^
            </pre>
          ) : null}
          <span class="message">
            {problem.field === 'sort' ? `Sort: ` : ''}
            {problem.message}
          </span>
          {problem.hint ? <span class="hint"> {problem.hint}</span> : null}
        </div>
      ) : null}
    </form>
  );
}
