/** What data preparation found that a user should see on the run: its warnings, and the columns each column group took. */
import type { PreprocessState } from '../data/types.ts';

/** The warnings of data preparation, as the terminal shows them (before training starts). */
export function dataWarningLines(state: PreprocessState): string {
  return (state.warnings ?? []).map((w) => `warning: ${w}\n`).join('');
}

/** One param per column group: `data.features[i].selected` lists the columns its pattern took, so the run shows what it trained on. */
export function selectedColumnParams(state: PreprocessState): Record<string, string[]> {
  return Object.fromEntries((state.columnGroups ?? []).map((g) => [`data.features[${g.feature}].selected`, g.columns]));
}
