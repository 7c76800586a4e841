/**
 * Kernels over a [rows, cols] matrix and one row vector of cols, four columns at a time: the bias gradient (the sum
 * of every row: tfjs' Sum over all axes but the last, which tfjs-backend-wasm runs as a transpose and then a sum) and
 * the bias addition (x + a vector along the last axis, which it runs through its general broadcasting loop).
 */
import { f32, forRange, FunctionBuilder, get, i32, set, tee, v128, type Code } from './asm.ts';
import type { RawFunction } from '../fused-optimizers/wasm-writer.ts';

/** Walks every row, with `at` the byte offset of column c (vector steps, then the scalar tail) in the row. */
export function overColumns(f: FunctionBuilder, cols: number, vector: (c: number) => Code, scalar: (c: number) => Code): Code {
  const [c, end] = [f.i32(), f.i32()];
  return [
    ...get(cols), ...i32.const(-4), ...i32.and, ...set(end),
    ...forRange(c, i32.const(0), get(end), i32.const(4), vector(c)),
    ...forRange(c, get(end), get(cols), i32.const(1), scalar(c)),
  ];
}

/** Byte offset of float c (an index local) from the byte offset in local `base`. */
export const offset = (base: number, c: number): Code => [...get(base), ...get(c), ...i32.const(2), ...i32.shl, ...i32.add];

/**
 * `columnSums(x, out, rows, cols)`: out[c] = Σ_r x[r, c], each column summed in row order (as the cpu backend
 * does, in f32 here) into out, which the kernel zeroes first.
 */
export function columnSumsFunction(): RawFunction {
  const f = new FunctionBuilder('columnSums', 4);
  const [x, out, rows, cols] = [0, 1, 2, 3];
  const [r, at] = [f.i32(), f.i32()];
  const zero = overColumns(f, cols, (c) => [...offset(out, c), ...f32.const(0), ...v128.splat, ...v128.store], (c) => [...offset(out, c), ...f32.const(0), ...f32.store]);
  const addRow = overColumns(
    f, cols,
    (c) => [...offset(out, c), ...tee(at), ...get(at), ...v128.load, ...offset(x, c), ...v128.load, ...v128.add, ...v128.store],
    (c) => [...offset(out, c), ...tee(at), ...get(at), ...f32.load, ...offset(x, c), ...f32.load, ...f32.add, ...f32.store],
  );
  const nextRow = [...get(x), ...get(cols), ...i32.const(2), ...i32.shl, ...i32.add, ...set(x)];
  return f.build([...zero, ...forRange(r, i32.const(0), get(rows), i32.const(1), [...addRow, ...nextRow])]);
}

/** `addRowVector(x, bias, out, rows, cols)`: out[r, c] = x[r, c] + bias[c] (out may be x). */
export function addRowVectorFunction(): RawFunction {
  const f = new FunctionBuilder('addRowVector', 5);
  const [x, bias, out, rows, cols] = [0, 1, 2, 3, 4];
  const r = f.i32();
  const addRow = overColumns(
    f, cols,
    (c) => [...offset(out, c), ...offset(x, c), ...v128.load, ...offset(bias, c), ...v128.load, ...v128.add, ...v128.store],
    (c) => [...offset(out, c), ...offset(x, c), ...f32.load, ...offset(bias, c), ...f32.load, ...f32.add, ...f32.store],
  );
  const rowBytes = [...get(cols), ...i32.const(2), ...i32.shl];
  const nextRow = [...get(x), ...rowBytes, ...i32.add, ...set(x), ...get(out), ...rowBytes, ...i32.add, ...set(out)];
  return f.build(forRange(r, i32.const(0), get(rows), i32.const(1), [...addRow, ...nextRow]));
}
