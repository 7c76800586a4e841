/** The compare page's system section: one overlaid chart per system metric (sys/*), apart from the model's curves. */
import { Chart } from '../util/chart.tsx';
import { curveSpecs } from '../compare/charts.ts';
import type { CompareModel } from '../compare/data.ts';
import { SYSTEM_NOTE } from './keys.ts';

/** The curves of `model.systemKeys` drawn like the model's (same colours per run); nothing when no run recorded any. */
export function SystemCompare(props: { model: CompareModel }) {
  const { model } = props;
  if (model.systemKeys.length === 0) return null;
  return (
    <section id="system">
      <h2>System</h2>
      <p class="muted">{SYSTEM_NOTE}</p>
      <div class="charts">
        {curveSpecs({ ...model, metricKeys: model.systemKeys }).map((spec, i) => (
          <Chart id={`sys-curve-${i}`} spec={spec} />
        ))}
      </div>
    </section>
  );
}
