/** Best-so-far over trial numbers for a sweep's goal. */
import type { Goal } from '@kiln/core/catalog';

/** For each trial (in number order) the best value seen up to it; null until the first value. */
export function bestSoFar(values: (number | null)[], goal: Goal): (number | null)[] {
  let best: number | null = null;
  return values.map((v) => {
    if (v !== null && Number.isFinite(v) && (best === null || (goal === 'minimize' ? v < best : v > best))) best = v;
    return best;
  });
}
