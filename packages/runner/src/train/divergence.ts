/** The train.divergence policy: a train loss that grows far above its lowest epoch value is flagged, or fails the run. */
import type { TrainSpec } from '@kiln/core';

export type DivergenceSpec = TrainSpec['divergence'];

/** What the watch found at one epoch: nothing, or a warning to record (and, with action fail, the reason to stop). */
export type DivergenceVerdict = { kind: 'ok' } | { kind: 'warn' | 'fail'; message: string };

/**
 * Follows the epochs' train loss against the lowest seen so far, starting from the untrained
 * model's first batch loss (a loss that explodes within epoch 1 never has a good epoch to compare
 * with). An epoch diverges when its loss is over `lossIncrease` x that lowest and also above the
 * untrained model's: a late spike of a near-zero loss is noise, a model worse than untrained is not.
 * The first such epoch gives a verdict, later ones none (one per run).
 */
export class DivergenceWatch {
  private lowest = Number.POSITIVE_INFINITY;
  private lowestAt = '';
  private initial = Number.NEGATIVE_INFINITY;
  private flagged = false;

  constructor(private readonly spec: DivergenceSpec) {}

  /** Records the loss of the first training step (the untrained model's). */
  start(loss: number): void {
    if (!Number.isFinite(loss)) return;
    this.initial = loss;
    if (loss < this.lowest) [this.lowest, this.lowestAt] = [loss, 'the first step'];
  }

  /** Records an epoch's train loss and says whether the run now counts as diverging. */
  observe(epoch: number, loss: number): DivergenceVerdict {
    if (!Number.isFinite(loss)) return { kind: 'ok' };
    const factor = loss / this.lowest;
    if (!this.flagged && this.lowest > 0 && factor > this.spec.lossIncrease && loss > this.initial) {
      this.flagged = true;
      const message = `train loss diverged: ${fmt(loss)} at epoch ${epoch} is ${factor.toFixed(1)}x its lowest (${fmt(this.lowest)} at ${this.lowestAt}); train.divergence.lossIncrease is ${this.spec.lossIncrease}`;
      return { kind: this.spec.action, message };
    }
    if (loss < this.lowest) [this.lowest, this.lowestAt] = [loss, `epoch ${epoch}`];
    return { kind: 'ok' };
  }
}

const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
