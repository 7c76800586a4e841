/** The train.divergence policy: a train loss that grows far above its lowest epoch value is flagged, or fails the run. */
import type { TrainSpec } from '@kiln/core';

export type DivergenceSpec = TrainSpec['divergence'];

/** What the watch found at one epoch: nothing, or a warning to record (and, with action fail, the reason to stop). */
export type DivergenceVerdict = { kind: 'ok' } | { kind: 'warn' | 'fail'; message: string };

/** Follows the epochs' train loss; the first epoch over `lossIncrease` x the lowest so far gives a verdict, later ones none (one warning per run). */
export class DivergenceWatch {
  private lowest = Number.POSITIVE_INFINITY;
  private lowestEpoch = 0;
  private flagged = false;

  constructor(private readonly spec: DivergenceSpec) {}

  /** Records an epoch's train loss and says whether the run now counts as diverging. */
  observe(epoch: number, loss: number): DivergenceVerdict {
    if (!Number.isFinite(loss)) return { kind: 'ok' };
    const factor = loss / this.lowest;
    if (!this.flagged && this.lowest > 0 && factor > this.spec.lossIncrease) {
      this.flagged = true;
      const message = `train loss diverged: ${fmt(loss)} at epoch ${epoch} is ${factor.toFixed(1)}x its lowest (${fmt(this.lowest)} at epoch ${this.lowestEpoch}); train.divergence.lossIncrease is ${this.spec.lossIncrease}`;
      return { kind: this.spec.action, message };
    }
    if (loss < this.lowest) [this.lowest, this.lowestEpoch] = [loss, epoch];
    return { kind: 'ok' };
  }
}

const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
