/**
 * The fused rules by optimizer, with the scalar factors each step needs computed as tfjs computes
 * them: its running powers of beta are float32 tensors, so they are rounded to float32 here too.
 */
import type { FusedRule } from './optimizer.ts';

const f32 = Math.fround;

/** Running beta^t in float32, as tfjs keeps it in a scalar variable starting at beta. */
class BetaPower {
  value: number;
  constructor(private readonly beta: number) {
    this.value = f32(beta);
  }
  /** 1 - beta^t, rounded as tfjs' sub(1, accBeta). */
  get oneMinus(): number {
    return f32(1 - this.value);
  }
  next(): void {
    this.value = f32(this.value * f32(this.beta));
  }
}

/** Adam, or AdamW with decoupled weight decay (the variable is scaled by 1 - lr * weightDecay before the Adam step). */
export function adamRule(o: { beta1: number; beta2: number; epsilon: number; weightDecay?: number }): FusedRule {
  const acc1 = new BetaPower(o.beta1);
  const acc2 = new BetaPower(o.beta2);
  const wd = o.weightDecay ?? 0;
  return {
    kernel: 'adam',
    slots: [{ suffix: 'm', init: 0 }, { suffix: 'v', init: 0 }],
    params: (lr) => [o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, -lr / acc1.oneMinus, 1 / acc2.oneMinus, o.epsilon, 1 - lr * wd],
    advance: () => {
      acc1.next();
      acc2.next();
    },
    config: { beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, weightDecay: wd },
  };
}

/** Plain SGD, or with (Nesterov) momentum: tfjs' SGDOptimizer and MomentumOptimizer. */
export function sgdRule(o: { momentum: number; nesterov: boolean }): FusedRule {
  if (o.momentum === 0) return { kernel: 'sgd', slots: [], params: (lr) => [-lr], config: {} };
  return {
    kernel: o.nesterov ? 'nesterov' : 'momentum',
    slots: [{ suffix: 'momentum', init: 0 }],
    params: (lr) => [o.momentum, -lr],
    config: { momentum: o.momentum, useNesterov: o.nesterov },
  };
}

/** RMSprop (not centered), with its momentum slot, as tfjs' RMSPropOptimizer. */
export function rmspropRule(o: { rho: number; momentum: number; epsilon: number }): FusedRule {
  return {
    kernel: 'rmsprop',
    slots: [{ suffix: 'rms', init: 0 }, { suffix: 'momentum', init: 0 }],
    params: (lr) => [o.rho, 1 - o.rho, o.momentum, lr, o.epsilon],
    config: { decay: o.rho, momentum: o.momentum, epsilon: o.epsilon },
  };
}

/** Adagrad; `epsilon` is the backend's (1e-7 on wasm), as tfjs' AdagradOptimizer reads it. */
export function adagradRule(o: { initialAccumulatorValue: number; epsilon: number }): FusedRule {
  return { kernel: 'adagrad', slots: [{ suffix: 'accumulator', init: o.initialAccumulatorValue }], params: (lr) => [o.epsilon, -lr], config: { initialAccumulatorValue: o.initialAccumulatorValue } };
}

/** Adamax (decay 0, as Kiln builds it). */
export function adamaxRule(o: { beta1: number; beta2: number; epsilon: number }): FusedRule {
  const acc1 = new BetaPower(o.beta1);
  return {
    kernel: 'adamax',
    slots: [{ suffix: 'm', init: 0 }, { suffix: 'v', init: 0 }],
    params: (lr) => [o.beta1, 1 - o.beta1, o.beta2, o.epsilon, f32(f32(-lr) / acc1.oneMinus)],
    advance: () => acc1.next(),
    config: { beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon },
  };
}

/** Adadelta as Kiln's own (train/adadelta.ts: Zeiler's order, the current gradient in the denominator). */
export function adadeltaRule(o: { rho: number; epsilon: number }): FusedRule {
  return { kernel: 'adadelta', slots: [{ suffix: 'accum_grad', init: 0 }, { suffix: 'accum_var', init: 0 }], params: (lr) => [o.rho, 1 - o.rho, o.epsilon, lr], config: { rho: o.rho, epsilon: o.epsilon } };
}
