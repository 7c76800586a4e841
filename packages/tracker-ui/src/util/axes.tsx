/**
 * Parallel-coordinates axes: which params get one by default (swept, else the most varying numeric/categorical ones,
 * never free text, ids or data source paths), which are log-scaled, and the small picker that keeps the user's choice
 * in the URL (`axes=a,b`).
 */
import { isLogScale, rankParams, statOf, type ParamStat } from './param-rank.ts';

export const MAX_DEFAULT_AXES = 6;

export interface AxisChoice {
  /** Every param a run of the set has, for the picker. */
  available: string[];
  /** The params drawn, in order. */
  chosen: string[];
  /** Those drawn on a log scale. */
  log: string[];
}

/**
 * The axes for runs whose params are `rows`: the URL's choice (unknown keys dropped) when given, else the swept
 * params, else the ranked varying ones, up to MAX_DEFAULT_AXES.
 */
export function chooseAxes(rows: Record<string, unknown>[], asked: string[], swept: Record<string, { log: boolean }> = {}): AxisChoice {
  const available = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  const stats = new Map<string, ParamStat>(available.map((k) => [k, statOf(k, rows.map((r) => r[k]))]));
  const known = asked.filter((k) => stats.has(k));
  const ranked = rankParams([...stats.values()], rows.length, swept).map((p) => p.key);
  const sweptVarying = ranked.filter((k) => k in swept);
  const chosen = known.length > 0 ? known : (sweptVarying.length > 0 ? sweptVarying : ranked).slice(0, MAX_DEFAULT_AXES);
  const log = available.filter((k) => {
    const s = stats.get(k);
    return s !== undefined && isLogScale(s, swept);
  });
  return { available, chosen, log };
}

/** A sweep's stored search space (`spec.space`) as key -> whether it is drawn in log space (logUniform, intLog). */
export function sweptSpace(spec: unknown): Record<string, { log: boolean }> {
  const space = typeof spec === 'object' && spec !== null && 'space' in spec ? (spec as { space: unknown }).space : undefined;
  if (typeof space !== 'object' || space === null) return {};
  const isLog = (d: unknown) => typeof d === 'object' && d !== null && 'type' in d && ['logUniform', 'intLog'].includes(String(d.type));
  return Object.fromEntries(Object.entries(space).map(([k, d]) => [k, { log: isLog(d) }]));
}

/** A param value as an axis value: numbers and strings as they are, others as JSON, absent as null (a gap). */
export function axisValue(v: unknown): number | string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);
}

/** The axis picker: a GET form to `action` keeping `keep` (name, value) and sending the checked `axes`. */
export function AxisPicker(props: { action: string; keep: [string, string][]; choice: AxisChoice }) {
  const chosen = new Set(props.choice.chosen);
  return (
    <details class="axis-picker" id="axis-picker">
      <summary>Axes ({props.choice.chosen.length} of {props.choice.available.length})</summary>
      <form method="get" action={props.action}>
        {props.keep.filter(([, v]) => v !== '').map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="choices">
          {props.choice.available.map((key) => (
            <label>
              <input type="checkbox" name="axes" value={key} checked={chosen.has(key)} /> {key}
              {props.choice.log.includes(key) ? <span class="muted"> (log)</span> : null}
            </label>
          ))}
        </div>
        <button type="submit">Show axes</button>
      </form>
    </details>
  );
}
