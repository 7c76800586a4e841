/**
 * The fused update rules, one kernel per optimizer: array 0 is the variable, array 1 its gradient,
 * the rest its slots. Each follows tfjs-core 4.22's own optimizer expression for expression (same
 * f32 operations in the same order), so a fused step matches tfjs' ten-odd kernels to the bit;
 * the scalar factors (1 - beta, bias corrections, -lr) are computed by the caller once per step.
 * Adam alone multiplies by its bias corrections' reciprocals instead of dividing by them: its update
 * is bound by f32x4 divisions, and two of its three go (the result then differs from tfjs' by an ulp).
 */
import type { BinaryOp, Expr, KernelDef, Stmt } from './wasm-writer.ts';

const array = (index: number): Expr => ({ k: 'array', index });
const param = (index: number): Expr => ({ k: 'param', index });
const temp = (index: number): Expr => ({ k: 'temp', index });
const bin = (op: BinaryOp) => (a: Expr, b: Expr): Expr => ({ k: 'binary', op, a, b });
const add = bin('add');
const sub = bin('sub');
const mul = bin('mul');
const div = bin('div');
const max = bin('max');
const sqrt = (a: Expr): Expr => ({ k: 'unary', op: 'sqrt', a });
const abs = (a: Expr): Expr => ({ k: 'unary', op: 'abs', a });
const store = (index: number, e: Expr): Stmt => ({ k: 'store', array: index, e });
const keep = (index: number, e: Expr): Stmt => ({ k: 'let', temp: index, e });

const [P, G, S1, S2] = [0, 1, 2, 3].map(array) as [Expr, Expr, Expr, Expr];

/** The scalar parameters each kernel takes, in order (named for the optimizers that fill them). */
export const KERNEL_PARAMS = {
  // p = p * decay + (m * stepScale) / (sqrt(v * secondScale) + eps), with stepScale = -lr / (1 - beta1^t),
  // secondScale = 1 / (1 - beta2^t), and decay = 1 - lr * weightDecay (1 for Adam; AdamW's decoupled decay).
  adam: ['beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'stepScale', 'secondScale', 'epsilon', 'decay'],
  sgd: ['negLr'],
  momentum: ['momentum', 'negLr'],
  nesterov: ['momentum', 'negLr'],
  rmsprop: ['rho', 'oneMinusRho', 'momentum', 'lr', 'epsilon'],
  adagrad: ['epsilon', 'negLr'],
  adamax: ['beta1', 'oneMinusBeta1', 'beta2', 'epsilon', 'stepFactor'],
  adadelta: ['rho', 'oneMinusRho', 'epsilon', 'lr'],
} as const;

export type FusedKernelName = keyof typeof KERNEL_PARAMS;

/** How many slot arrays each kernel updates besides the variable. */
export const KERNEL_SLOTS: Record<FusedKernelName, number> = { adam: 2, sgd: 0, momentum: 1, nesterov: 1, rmsprop: 2, adagrad: 1, adamax: 2, adadelta: 2 };

type Body = (p: (name: string) => Expr) => Stmt[];

const BODIES: Record<FusedKernelName, Body> = {
  adam: (p) => [
    keep(0, add(mul(S1, p('beta1')), mul(G, p('oneMinusBeta1')))),
    keep(1, add(mul(S2, p('beta2')), mul(mul(G, G), p('oneMinusBeta2')))),
    store(2, temp(0)),
    store(3, temp(1)),
    store(0, add(div(mul(temp(0), p('stepScale')), add(sqrt(mul(temp(1), p('secondScale'))), p('epsilon'))), mul(P, p('decay')))),
  ],
  sgd: (p) => [store(0, add(mul(p('negLr'), G), P))],
  momentum: (p) => [keep(0, add(mul(p('momentum'), S1), G)), store(2, temp(0)), store(0, add(mul(p('negLr'), temp(0)), P))],
  nesterov: (p) => [keep(0, add(mul(p('momentum'), S1), G)), store(2, temp(0)), store(0, add(mul(p('negLr'), add(G, mul(temp(0), p('momentum')))), P))],
  rmsprop: (p) => [
    keep(0, add(mul(S1, p('rho')), mul(mul(G, G), p('oneMinusRho')))),
    keep(1, add(mul(S2, p('momentum')), div(mul(G, p('lr')), sqrt(add(temp(0), p('epsilon')))))),
    store(2, temp(0)),
    store(3, temp(1)),
    store(0, sub(P, temp(1))),
  ],
  adagrad: (p) => [keep(0, add(S1, mul(G, G))), store(2, temp(0)), store(0, add(mul(div(G, sqrt(add(temp(0), p('epsilon')))), p('negLr')), P))],
  adamax: (p) => [
    keep(0, add(mul(S1, p('beta1')), mul(G, p('oneMinusBeta1')))),
    keep(1, max(mul(S2, p('beta2')), abs(G))),
    store(2, temp(0)),
    store(3, temp(1)),
    store(0, add(mul(p('stepFactor'), div(temp(0), add(temp(1), p('epsilon')))), P)),
  ],
  adadelta: (p) => [
    keep(0, add(mul(S1, p('rho')), mul(mul(G, G), p('oneMinusRho')))),
    keep(1, mul(div(sqrt(add(S2, p('epsilon'))), sqrt(add(temp(0), p('epsilon')))), G)),
    store(3, add(mul(S2, p('rho')), mul(mul(temp(1), temp(1)), p('oneMinusRho')))),
    store(2, temp(0)),
    store(0, sub(P, mul(temp(1), p('lr')))),
  ],
};

/** Every kernel as the writer takes it. */
export function kernelDefs(): KernelDef[] {
  return (Object.keys(BODIES) as FusedKernelName[]).map((name) => {
    const names: readonly string[] = KERNEL_PARAMS[name];
    const byName = (n: string) => {
      const index = names.indexOf(n);
      if (index < 0) throw new Error(`kernel ${name} has no parameter ${n}`);
      return param(index);
    };
    const body = BODIES[name](byName);
    const temps = 1 + Math.max(-1, ...body.flatMap((s) => (s.k === 'let' ? [s.temp] : [])));
    return { name, arrays: 2 + KERNEL_SLOTS[name], params: names.length, temps, body };
  });
}
