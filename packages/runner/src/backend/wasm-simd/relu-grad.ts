/**
 * The ReLU gradient in one pass: dx = dy · step(x), with tfjs' step (1 above 0, else 0, NaN for NaN), where tfjs
 * runs Step, Cast and Multiply, three passes and two temporaries over the layer's whole activation.
 */
import { f32, forRange, FunctionBuilder, get, i32, select, set, v128, type Code } from './asm.ts';
import type { RawFunction } from '../fused-optimizers/wasm-writer.ts';

/** `reluGrad(dy, x, out, n)`: out[i] = dy[i] · step(x[i]) for n floats (byte offsets; out may be dy). */
export function reluGradFunction(): RawFunction {
  const f = new FunctionBuilder('reluGrad', 4);
  const [dy, x, out, n] = [0, 1, 2, 3];
  const [i, end, bytes] = [f.i32(), f.i32(), f.i32()];
  const [xv, one] = [f.v128(), f.v128()];
  const xs = f.f32();
  const at = (base: number): Code => [...get(base), ...get(i), ...i32.add];
  // step = (x > 0 ? 1 : 0) | (x is NaN ? x : 0), bitwise
  const vectorStep: Code = [...get(xv), ...f32.const(0), ...v128.splat, ...v128.gt, ...get(one), ...v128.and, ...get(xv), ...get(xv), ...v128.ne, ...get(xv), ...v128.and, ...v128.or];
  const scalarStep: Code = [...f32.const(1), ...get(xs), ...f32.const(0), ...get(xs), ...get(xs), ...f32.ne, ...select, ...get(xs), ...f32.const(0), ...f32.gt, ...select];
  return f.build([
    ...f32.const(1), ...v128.splat, ...set(one),
    ...get(n), ...i32.const(2), ...i32.shl, ...set(bytes),
    ...get(n), ...i32.const(-4), ...i32.and, ...i32.const(2), ...i32.shl, ...set(end),
    ...forRange(i, i32.const(0), get(end), i32.const(16), [...at(out), ...at(x), ...v128.load, ...set(xv), ...at(dy), ...v128.load, ...vectorStep, ...v128.mul, ...v128.store]),
    ...forRange(i, get(end), get(bytes), i32.const(4), [...at(out), ...at(x), ...f32.load, ...set(xs), ...at(dy), ...f32.load, ...scalarStep, ...f32.mul, ...f32.store]),
  ]);
}
