/**
 * A convolution's bias and ReLU as one pass over its output, and their gradients as one pass over dy: what tfjs
 * runs as Add, Relu (forward) and Step, Cast, Multiply, Sum (backward) while gradients are recorded, each over the
 * layer's whole activation. ReLU is the cpu backend's (x < 0 ? 0 : x: NaN and -0 pass), so its step from the
 * output y equals the step from the input: y > 0 exactly where x > 0, and NaN where x is NaN.
 */
import { f32, forRange, FunctionBuilder, get, i32, select, set, tee, v128, type Code } from './asm.ts';
import { offset, overColumns } from './rows.ts';
import type { RawFunction } from '../fused-optimizers/wasm-writer.ts';

/** relu(v) on the stack's f32x4: v where not v < 0, else 0 (andnot keeps NaN and -0 as the cpu backend does). */
const vectorRelu = (v: number): Code => [...get(v), ...get(v), ...f32.const(0), ...v128.splat, ...v128.lt, ...v128.andnot];
const scalarRelu = (v: number): Code => [...f32.const(0), ...get(v), ...get(v), ...f32.const(0), ...f32.lt, ...select];

/** `biasRelu(x, bias, out, rows, cols)`: out[r, c] = relu(x[r, c] + bias[c]) (out may be x). */
export function biasReluFunction(): RawFunction {
  const f = new FunctionBuilder('biasRelu', 5);
  const [x, bias, out, rows, cols] = [0, 1, 2, 3, 4];
  const r = f.i32();
  const [vv, sv] = [f.v128(), f.f32()];
  const perRow = overColumns(
    f, cols,
    (c) => [...offset(out, c), ...offset(x, c), ...v128.load, ...offset(bias, c), ...v128.load, ...v128.add, ...set(vv), ...vectorRelu(vv), ...v128.store],
    (c) => [...offset(out, c), ...offset(x, c), ...f32.load, ...offset(bias, c), ...f32.load, ...f32.add, ...set(sv), ...scalarRelu(sv), ...f32.store],
  );
  const rowBytes = [...get(cols), ...i32.const(2), ...i32.shl];
  const nextRow = [...get(x), ...rowBytes, ...i32.add, ...set(x), ...get(out), ...rowBytes, ...i32.add, ...set(out)];
  return f.build(forRange(r, i32.const(0), get(rows), i32.const(1), [...perRow, ...nextRow]));
}

/** `relu(x, out, n)`: out[i] = relu(x[i]) over n floats (a convolution without bias). */
export function reluFunction(): RawFunction {
  const f = new FunctionBuilder('relu', 3);
  const [x, out, n] = [0, 1, 2];
  const [vv, sv] = [f.v128(), f.f32()];
  const body = overColumns(
    f, n,
    (c) => [...offset(out, c), ...offset(x, c), ...v128.load, ...set(vv), ...vectorRelu(vv), ...v128.store],
    (c) => [...offset(out, c), ...offset(x, c), ...f32.load, ...set(sv), ...scalarRelu(sv), ...f32.store],
  );
  return f.build(body);
}

/**
 * `reluBiasGrad(dy, y, dx, dBias, rows, cols)`: dx = dy · step(y) (tfjs' step: 1 above 0, 0 at or below, NaN for
 * NaN) and dBias[c] = Σ_r dx[r, c] in row order (what Sum over the leading axes gives), in one pass; dBias is zeroed
 * first. dx may be dy.
 */
export function reluBiasGradFunction(): RawFunction {
  const f = new FunctionBuilder('reluBiasGrad', 6);
  const [dy, y, dx, dBias, rows, cols] = [0, 1, 2, 3, 4, 5];
  const r = f.i32();
  const at = f.i32();
  const [yv, one, gv] = [f.v128(), f.v128(), f.v128()];
  const [ys, gs] = [f.f32(), f.f32()];
  // step = (y > 0 ? 1 : 0) | (y is NaN ? y : 0), bitwise, as wasm-simd/relu-grad.ts
  const vectorStep: Code = [...get(yv), ...f32.const(0), ...v128.splat, ...v128.gt, ...get(one), ...v128.and, ...get(yv), ...get(yv), ...v128.ne, ...get(yv), ...v128.and, ...v128.or];
  const scalarStep: Code = [...f32.const(1), ...get(ys), ...f32.const(0), ...get(ys), ...get(ys), ...f32.ne, ...select, ...get(ys), ...f32.const(0), ...f32.gt, ...select];
  const zero = overColumns(f, cols, (c) => [...offset(dBias, c), ...f32.const(0), ...v128.splat, ...v128.store], (c) => [...offset(dBias, c), ...f32.const(0), ...f32.store]);
  const perRow = overColumns(
    f, cols,
    (c) => [
      ...offset(y, c), ...v128.load, ...set(yv),
      ...offset(dx, c), ...offset(dy, c), ...v128.load, ...vectorStep, ...v128.mul, ...tee(gv), ...v128.store,
      ...offset(dBias, c), ...tee(at), ...get(at), ...v128.load, ...get(gv), ...v128.add, ...v128.store,
    ],
    (c) => [
      ...offset(y, c), ...f32.load, ...set(ys),
      ...offset(dx, c), ...offset(dy, c), ...f32.load, ...scalarStep, ...f32.mul, ...tee(gs), ...f32.store,
      ...offset(dBias, c), ...tee(at), ...get(at), ...f32.load, ...get(gs), ...f32.add, ...f32.store,
    ],
  );
  const rowBytes = [...get(cols), ...i32.const(2), ...i32.shl];
  const nextRow = [dy, y, dx].flatMap((p) => [...get(p), ...rowBytes, ...i32.add, ...set(p)]);
  return f.build([...f32.const(1), ...v128.splat, ...set(one), ...zero, ...forRange(r, i32.const(0), get(rows), i32.const(1), [...perRow, ...nextRow])]);
}
