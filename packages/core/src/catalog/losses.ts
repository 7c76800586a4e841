/** Every loss a spec can name, with the target types it fits; the schema enum, the checks and the runner's loss functions key on it. */
import type { TargetSpec } from '../spec/schema/data.ts';
import { keysOf } from './keys.ts';

type TargetType = TargetSpec['type'];

/** The losses of train.loss and an output's loss; key order is the schema enum's order. A new one needs its LOSS_FNS entry in runner/src/train/losses.ts (the compiler says so). */
export const LOSS_TABLE = {
  mse: { targets: ['regression'] },
  mae: { targets: ['regression'] },
  huber: { targets: ['regression'] },
  binaryCrossentropy: { targets: ['binary'] },
  categoricalCrossentropy: { targets: ['multiclass'] },
  sparseCategoricalCrossentropy: { targets: ['multiclass'] },
} as const satisfies Record<string, { targets: readonly TargetType[] }>;

export type LossName = keyof typeof LOSS_TABLE;

/** The loss names, in table order. */
export const LOSSES = keysOf(LOSS_TABLE);

/** The losses that fit a target type, in table order. */
export function lossesFor(task: TargetType): LossName[] {
  return LOSSES.filter((l) => (LOSS_TABLE[l].targets as readonly TargetType[]).includes(task));
}
