/** The group-by and band selects; they sit inside a page's GET form, so the grouping lives in the URL. */
import { BANDS, groupParam, type Grouping } from './grouping.ts';

/** Choices: none, k-fold folds, every param but the seed, then each field offered (params that differ, tags). */
export function GroupControls(props: { grouping: Grouping | null; fields: string[] }) {
  const current = props.grouping === null ? '' : groupParam(props.grouping);
  const choices: [string, string][] = [
    ['', 'no grouping'],
    ['folds', 'k-fold folds'],
    ['-params.seed', 'everything but the seed'],
    ...props.fields.map((f): [string, string] => [f, f]),
  ];
  // A grouping typed into the URL that is none of the choices stays selected.
  if (!choices.some(([v]) => v === current)) choices.push([current, current]);
  return (
    <>
      <label>
        Group by{' '}
        <select name="group" id="group-by" data-autosubmit="true">
          {choices.map(([value, label]) => (
            <option value={value} selected={value === current}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Band{' '}
        <select name="band" id="group-band" data-autosubmit="true">
          {BANDS.map((b) => (
            <option value={b} selected={b === (props.grouping?.band ?? 'minmax')}>
              {b === 'minmax' ? 'min–max' : '± std'}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
