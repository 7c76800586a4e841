/**
 * The patch matrix of an NHWC convolution (row (n, oy, ox), columns (ky, kx, ci): the HWIO filter's order) and its
 * adjoint, as wasm SIMD loops on the heap: each filter tap copies (or adds back) the ci floats of one input pixel,
 * four at a time, zeros where the window hangs over the padding. blas/im2col.ts writes the same matrix in JS, one
 * float at a time.
 */
import { f32, forRange, FunctionBuilder, get, i32, ifThen, select, set, type Code, v128 } from './asm.ts';
import type { RawFunction } from '../fused-optimizers/wasm-writer.ts';

/** Parameter order of `im2col` and `col2imAdd` (all i32; x and cols are byte offsets on the heap). */
export const PATCH_PARAMS = ['x', 'cols', 'batch', 'inH', 'inW', 'channels', 'outH', 'outW', 'filterH', 'filterW', 'strideH', 'strideW', 'dilationH', 'dilationW', 'top', 'left'] as const;

/** `a <u b` as one unsigned compare: also false for a negative a. */
const below = (a: Code, b: Code): Code => [...a, ...b, 0x49];

/**
 * One traversal of every (image, output pixel, tap) with `pixelAt` the input pixel's byte offset and `colAt` the
 * patch matrix's: `inside` runs for taps on the input, `outside` for taps on the padding.
 */
function patchFunction(name: string, inside: (f: FunctionBuilder, ids: Ids) => Code, outside: (f: FunctionBuilder, ids: Ids) => Code): RawFunction {
  const f = new FunctionBuilder(name, PATCH_PARAMS.length);
  const p = Object.fromEntries(PATCH_PARAMS.map((n, i) => [n, f.param(i)])) as Record<(typeof PATCH_PARAMS)[number], number>;
  const { b, oy, ox, ky, kx, iy, ix, pixel, row, image, pixelAt, colAt, c, vectorEnd } = f.i32s(['b', 'oy', 'ox', 'ky', 'kx', 'iy', 'ix', 'pixel', 'row', 'image', 'pixelAt', 'colAt', 'c', 'vectorEnd']);
  const ids: Ids = { pixelAt, colAt, c, vectorEnd, channels: p.channels };
  const tap = [
    ...get(ox), ...get(p.strideW), ...i32.mul, ...get(kx), ...get(p.dilationW), ...i32.mul, ...i32.add, ...get(p.left), ...i32.sub, ...set(ix),
    ...ifThen([...below(get(iy), get(p.inH)), ...below(get(ix), get(p.inW)), ...i32.and], [
      ...get(image), ...get(iy), ...get(row), ...i32.mul, ...i32.add, ...get(ix), ...get(pixel), ...i32.mul, ...i32.add, ...set(pixelAt),
      ...inside(f, ids),
    ], outside(f, ids)),
    ...get(colAt), ...get(pixel), ...i32.add, ...set(colAt),
  ];
  const pixelLoop = forRange(ky, i32.const(0), get(p.filterH), i32.const(1), [
    ...get(oy), ...get(p.strideH), ...i32.mul, ...get(ky), ...get(p.dilationH), ...i32.mul, ...i32.add, ...get(p.top), ...i32.sub, ...set(iy),
    ...forRange(kx, i32.const(0), get(p.filterW), i32.const(1), tap),
  ]);
  return f.build([
    ...get(p.channels), ...i32.const(2), ...i32.shl, ...set(pixel),
    ...get(p.inW), ...get(pixel), ...i32.mul, ...set(row),
    ...get(p.channels), ...i32.const(-4), ...i32.and, ...set(vectorEnd),
    ...get(p.cols), ...set(colAt),
    ...forRange(b, i32.const(0), get(p.batch), i32.const(1), [
      ...get(b), ...get(p.inH), ...i32.mul, ...get(row), ...i32.mul, ...get(p.x), ...i32.add, ...set(image),
      ...forRange(oy, i32.const(0), get(p.outH), i32.const(1), forRange(ox, i32.const(0), get(p.outW), i32.const(1), pixelLoop)),
    ]),
  ]);
}

interface Ids {
  pixelAt: number;
  colAt: number;
  c: number;
  vectorEnd: number;
  channels: number;
}

/** Runs over the ci floats of one tap: `vector` four at a time, then `scalar` on the tail, with the byte offset c·4 in `c4`. */
function eachChannel(ids: Ids, vector: (c4: Code) => Code, scalar: (c4: Code) => Code): Code {
  const c4: Code = [...get(ids.c), ...i32.const(2), ...i32.shl];
  return [
    ...forRange(ids.c, i32.const(0), get(ids.vectorEnd), i32.const(4), vector(c4)),
    ...forRange(ids.c, get(ids.vectorEnd), get(ids.channels), i32.const(1), scalar(c4)),
  ];
}

const at = (base: number, c4: Code): Code => [...get(base), ...c4, ...i32.add];

/** `im2col(x, cols, ...)`: fills cols [batch·outH·outW, filterH·filterW·channels]. */
export function im2colFunction(): RawFunction {
  return patchFunction(
    'im2col',
    (_f, ids) => eachChannel(ids, (c4) => [...at(ids.colAt, c4), ...at(ids.pixelAt, c4), ...v128.load, ...v128.store], (c4) => [...at(ids.colAt, c4), ...at(ids.pixelAt, c4), ...f32.load, ...f32.store]),
    (_f, ids) => eachChannel(ids, (c4) => [...at(ids.colAt, c4), ...f32.const(0), ...v128.splat, ...v128.store], (c4) => [...at(ids.colAt, c4), ...f32.const(0), ...f32.store]),
  );
}

/** `col2imAdd(dx, cols, ...)`: adds each patch value back onto the input value it was read from (dx zeroed by the caller). */
export function col2imAddFunction(): RawFunction {
  return patchFunction(
    'col2imAdd',
    (_f, ids) => eachChannel(
      ids,
      (c4) => [...at(ids.pixelAt, c4), ...at(ids.pixelAt, c4), ...v128.load, ...at(ids.colAt, c4), ...v128.load, ...v128.add, ...v128.store],
      (c4) => [...at(ids.pixelAt, c4), ...at(ids.pixelAt, c4), ...f32.load, ...at(ids.colAt, c4), ...f32.load, ...f32.add, ...f32.store],
    ),
    () => [],
  );
}

/**
 * `im2colT(x, cols, ...)` for one input channel and stride 1 along the width: the transposed patch matrix, rows
 * (ky, kx), columns (n, oy, ox). Each output row of a tap is a contiguous run of an input row, copied four floats
 * at a time, with zeros where it hangs over the padding (MNIST's first layer: 9 rows of 64·26·26).
 */
export function im2colTFunction(): RawFunction {
  const f = new FunctionBuilder('im2colT', PATCH_PARAMS.length);
  const p = Object.fromEntries(PATCH_PARAMS.map((n, i) => [n, f.param(i)])) as Record<(typeof PATCH_PARAMS)[number], number>;
  const { ky, kx, b, oy, iy, shift, lo, hi, rowAt, o, i, end, rowBytes } = f.i32s(['ky', 'kx', 'b', 'oy', 'iy', 'shift', 'lo', 'hi', 'rowAt', 'o', 'i', 'end', 'rowBytes']);
  const clamp = (v: Code): Code => {
    const t = f.i32();
    return [...v, ...set(t), ...get(t), ...i32.const(0), ...get(t), ...i32.const(0), ...i32.gtS, ...select, ...set(t), ...get(t), ...get(p.outW), ...get(t), ...get(p.outW), ...i32.ltS, ...select];
  };
  const bytes = (local: number): Code => [...get(local), ...i32.const(2), ...i32.shl];
  /** Fills cols[o + from .. o + to) (byte offsets) with `value(at)`: vectors while four floats fit, then scalars. */
  const run = (from: Code, to: Code, vector: Code, scalar: Code): Code => [
    ...to, ...set(end),
    ...forRange(i, from, [...get(end), ...i32.const(12), ...i32.sub], i32.const(16), vector),
    ...forRange(i, get(i), get(end), i32.const(4), scalar),
  ];
  const dst: Code = [...get(o), ...get(i), ...i32.add];
  const src: Code = [...get(rowAt), ...get(i), ...i32.add];
  const zeros = (from: Code, to: Code) => run(from, to, [...dst, ...f32.const(0), ...v128.splat, ...v128.store], [...dst, ...f32.const(0), ...f32.store]);
  const copy = (from: Code, to: Code) => run(from, to, [...dst, ...src, ...v128.load, ...v128.store], [...dst, ...src, ...f32.load, ...f32.store]);
  const outputRow = [
    ...get(oy), ...get(p.strideH), ...i32.mul, ...get(ky), ...get(p.dilationH), ...i32.mul, ...i32.add, ...get(p.top), ...i32.sub, ...set(iy),
    ...ifThen(below(get(iy), get(p.inH)), [
      // rowAt is set so that rowAt + 4·ox is the input value output ox reads (ix = ox + shift)
      ...get(b), ...get(p.inH), ...i32.mul, ...get(iy), ...i32.add, ...get(rowBytes), ...i32.mul, ...get(p.x), ...i32.add, ...get(shift), ...i32.const(2), ...i32.shl, ...i32.add, ...set(rowAt),
      ...zeros(i32.const(0), bytes(lo)),
      ...copy(bytes(lo), bytes(hi)),
      ...zeros(bytes(hi), bytes(p.outW)),
    ], zeros(i32.const(0), bytes(p.outW))),
    ...get(o), ...bytes(p.outW), ...i32.add, ...set(o),
  ];
  return f.build([
    ...get(p.inW), ...i32.const(2), ...i32.shl, ...set(rowBytes),
    ...get(p.cols), ...set(o),
    ...forRange(ky, i32.const(0), get(p.filterH), i32.const(1), forRange(kx, i32.const(0), get(p.filterW), i32.const(1), [
      ...get(kx), ...get(p.dilationW), ...i32.mul, ...get(p.left), ...i32.sub, ...set(shift),
      // outputs ox with 0 <= ox + shift < inW
      ...clamp([...i32.const(0), ...get(shift), ...i32.sub]), ...set(lo),
      ...clamp([...get(p.inW), ...get(shift), ...i32.sub]), ...set(hi),
      ...forRange(b, i32.const(0), get(p.batch), i32.const(1), forRange(oy, i32.const(0), get(p.outH), i32.const(1), outputRow)),
    ])),
  ]);
}
