/**
 * MaxPoolGrad as a wasm SIMD kernel, four channels at a time, with no argmax: for each window, the maximum taken the
 * way tfjs' cpu backend does (a value replaces the best only when strictly greater, starting from -Infinity:
 * f32x4.pmax; tiling windows read it from the forward output), then one pass adds dy at the first position
 * (row-major) holding that maximum and masks the positions after it. Windows whose values are all -Infinity or NaN
 * send their gradient nowhere, as on cpu. With `overwrite` (windows that tile: stride = size) each dx value is
 * written once, so dx needs no zeroing but where no window covers it; otherwise dx must be zeroed first and
 * overlapping windows (stride < size) accumulate.
 */
import { f32, forRange, FunctionBuilder, get, i32, ifThen, select, set, tee, v128, type Code } from './asm.ts';
import type { RawFunction } from '../fused-optimizers/wasm-writer.ts';

/** Parameter order of `maxPoolGrad` (all i32; x, dy, dx and y, the forward output, are byte offsets on the heap). */
export const MAX_POOL_GRAD_PARAMS = ['x', 'dy', 'dx', 'batch', 'inH', 'inW', 'channels', 'outH', 'outW', 'filterH', 'filterW', 'strideH', 'strideW', 'top', 'left', 'overwrite', 'y'] as const;

const max = (a: Code, b: Code): Code => [...a, ...b, ...a, ...b, ...i32.gtS, ...select];
const min = (a: Code, b: Code): Code => [...a, ...b, ...a, ...b, ...i32.ltS, ...select];

/** The kernel function. */
export function maxPoolGradFunction(): RawFunction {
  const f = new FunctionBuilder('maxPoolGrad', MAX_POOL_GRAD_PARAMS.length);
  const p = Object.fromEntries(MAX_POOL_GRAD_PARAMS.map((name, i) => [name, f.param(i)])) as Record<(typeof MAX_POOL_GRAD_PARAMS)[number], number>;
  const { b, oy, ox, h, w, c, hFrom, hTo, wFrom, wTo, pixel, row, image, dyAt, at, vectorEnd, bestAt } = f.i32s(['b', 'oy', 'ox', 'h', 'w', 'c', 'hFrom', 'hTo', 'wFrom', 'wTo', 'pixel', 'row', 'image', 'dyAt', 'at', 'vectorEnd', 'bestAt']);
  const [best, found, grad, hit] = [f.v128(), f.v128(), f.v128(), f.v128()];
  const [bestValue, value] = [f.f32(), f.f32()];
  const c4 = (n: number): Code => i32.const(n);

  // Byte offset of (h, w, c) in the current image: image + h·row + w·pixel + c·4.
  const address = (base: number): Code => [...get(base), ...get(image), ...i32.add, ...get(h), ...get(row), ...i32.mul, ...i32.add, ...get(w), ...get(pixel), ...i32.mul, ...i32.add, ...get(c), ...c4(2), ...i32.shl, ...i32.add];
  const window = (body: Code): Code => forRange(h, get(hFrom), get(hTo), c4(1), forRange(w, get(wFrom), get(wTo), c4(1), body));

  // Tiling windows read each window's maximum from the forward output instead of taking it in a pass of their own.
  // tfjs-backend-wasm's MaxPool can give a window holding NaN a lower maximum than cpu's (which skips NaN), so the
  // hit pass notes NaN and such a window runs again the cpu's way; its dx values are written, not added, so the
  // second run overwrites the first. Overlapping windows accumulate into dx: they always take the maximum first.
  const [xv, nan] = [f.v128(), f.v128()];
  const yAt: Code = [...get(dyAt), ...get(p.dy), ...i32.sub, ...get(p.y), ...i32.add, ...get(c), ...c4(2), ...i32.shl, ...i32.add];
  const maxPass: Code = [
    ...f32.const(-Infinity), ...v128.splat, ...set(best),
    ...window([...get(best), ...address(p.x), ...v128.load, ...v128.pmax, ...set(best)]),
  ];
  const hitPass: Code = [
    ...get(best), ...f32.const(-Infinity), ...v128.splat, ...v128.eq, ...set(found),
    ...f32.const(0), ...v128.splat, ...set(nan),
    ...window([
      // hit = (x == best) and not found; found |= hit; dx += grad where hit; nan |= (x != x)
      ...address(p.x), ...tee(at), ...v128.load, ...tee(xv), ...get(best), ...v128.eq, ...get(found), ...v128.andnot, ...tee(hit),
      ...get(found), ...v128.or, ...set(found),
      ...get(nan), ...get(xv), ...get(xv), ...v128.ne, ...v128.or, ...set(nan),
      // dx sits at the same offset from dx as x from x
      ...get(at), ...get(p.x), ...i32.sub, ...get(p.dx), ...i32.add, ...set(at),
      ...ifThen(get(p.overwrite), [...get(at), ...get(grad), ...get(hit), ...v128.and, ...v128.store], [...get(at), ...get(at), ...v128.load, ...get(grad), ...get(hit), ...v128.and, ...v128.add, ...v128.store]),
    ]),
  ];
  const vectorPart = forRange(c, c4(0), get(vectorEnd), c4(4), [
    ...get(dyAt), ...get(c), ...c4(2), ...i32.shl, ...i32.add, ...v128.load, ...set(grad),
    ...ifThen(get(p.overwrite), [...yAt, ...v128.load, ...set(best)], maxPass),
    ...hitPass,
    ...ifThen([...get(p.overwrite), ...get(nan), ...v128.anyTrue, ...i32.and], [...maxPass, ...hitPass]),
  ]);
  const scalarPart = forRange(c, get(vectorEnd), get(p.channels), c4(1), [
    ...f32.const(-Infinity), ...set(bestValue), ...c4(-1), ...set(bestAt),
    ...window([
      ...address(p.x), ...tee(at), ...f32.load, ...tee(value), ...get(bestValue), ...f32.gt,
      ...ifThen([], [...get(value), ...set(bestValue), ...get(at), ...set(bestAt)]),
      ...ifThen(get(p.overwrite), [...address(p.dx), ...f32.const(0), ...f32.store]),
    ]),
    ...ifThen([...get(bestAt), ...c4(0), ...i32.geS], [
      // dx sits at the same offset from dx as the maximum from x
      ...get(bestAt), ...get(p.x), ...i32.sub, ...get(p.dx), ...i32.add, ...tee(at),
      ...get(at), ...f32.load, ...get(dyAt), ...get(c), ...c4(2), ...i32.shl, ...i32.add, ...f32.load, ...f32.add, ...f32.store,
    ]),
  ]);
  const code: Code = [
    ...get(p.channels), ...c4(2), ...i32.shl, ...set(pixel),
    ...get(p.inW), ...get(pixel), ...i32.mul, ...set(row),
    ...get(p.channels), ...c4(-4), ...i32.and, ...set(vectorEnd),
    ...get(p.dy), ...set(dyAt),
    ...forRange(b, c4(0), get(p.batch), c4(1), [
      ...get(b), ...get(p.inH), ...i32.mul, ...get(row), ...i32.mul, ...set(image),
      ...forRange(oy, c4(0), get(p.outH), c4(1), [
        ...get(oy), ...get(p.strideH), ...i32.mul, ...get(p.top), ...i32.sub, ...set(hFrom),
        ...min([...get(hFrom), ...get(p.filterH), ...i32.add], get(p.inH)), ...set(hTo),
        ...max(get(hFrom), c4(0)), ...set(hFrom),
        ...forRange(ox, c4(0), get(p.outW), c4(1), [
          ...get(ox), ...get(p.strideW), ...i32.mul, ...get(p.left), ...i32.sub, ...set(wFrom),
          ...min([...get(wFrom), ...get(p.filterW), ...i32.add], get(p.inW)), ...set(wTo),
          ...max(get(wFrom), c4(0)), ...set(wFrom),
          ...vectorPart,
          ...scalarPart,
          ...get(dyAt), ...get(pixel), ...i32.add, ...set(dyAt),
        ]),
      ]),
    ]),
  ];
  return f.build(code);
}

/**
 * `maxPoolGrad2x2(x, dy, dx, batch, inH, inW, channels, outH, outW)`: the same gradient for 2x2 windows at stride 2
 * with no padding (a poolSize 2 layer's default) and channels a multiple of 4, the window unrolled: its four values
 * loaded once, the maximum taken from them as cpu does (pmax from -Infinity skips NaN), the first position holding it
 * gets dy, and every dx value of the window is written. Rows and columns no window covers are left to the caller.
 */
export function maxPoolGrad2x2Function(): RawFunction {
  const f = new FunctionBuilder('maxPoolGrad2x2', 9);
  const [x, dy, dx, batch, inH, inW, channels, outH, outW] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const { b, oy, ox, cb, pixel, row, at, dyAt, shift } = f.i32s(['b', 'oy', 'ox', 'cb', 'pixel', 'row', 'at', 'dyAt', 'shift']);
  const [v0, v1, v2, v3, best, found, grad] = [f.v128(), f.v128(), f.v128(), f.v128(), f.v128(), f.v128(), f.v128()];
  const hits = [f.v128(), f.v128(), f.v128(), f.v128()];
  const values = [v0, v1, v2, v3];
  // Byte offsets of the window's four positions from its corner: (0, 0), (0, 1), (1, 0), (1, 1).
  const corner = (k: number): Code => [...get(at), ...get(cb), ...i32.add, ...(k % 2 === 1 ? [...get(pixel), ...i32.add] : []), ...(k >= 2 ? [...get(row), ...i32.add] : [])];
  const group: Code = [
    ...values.flatMap((v, k) => [...corner(k), ...v128.load, ...set(v)]),
    ...f32.const(-Infinity), ...v128.splat, ...set(best),
    ...values.flatMap((v) => [...get(best), ...get(v), ...v128.pmax, ...set(best)]),
    ...get(best), ...f32.const(-Infinity), ...v128.splat, ...v128.eq, ...set(found),
    ...values.flatMap((v, k) => [...get(v), ...get(best), ...v128.eq, ...get(found), ...v128.andnot, ...tee(hits[k] ?? v), ...get(found), ...v128.or, ...set(found)]),
    ...get(dyAt), ...get(cb), ...i32.add, ...v128.load, ...set(grad),
    // dx sits at the same offset from dx as x from x
    ...hits.flatMap((h, k) => [...corner(k), ...get(shift), ...i32.add, ...get(grad), ...get(h), ...v128.and, ...v128.store]),
  ];
  return f.build([
    ...get(channels), ...i32.const(2), ...i32.shl, ...set(pixel),
    ...get(inW), ...get(pixel), ...i32.mul, ...set(row),
    ...get(dx), ...get(x), ...i32.sub, ...set(shift),
    ...get(dy), ...set(dyAt),
    ...forRange(b, i32.const(0), get(batch), i32.const(1), [
      ...forRange(oy, i32.const(0), get(outH), i32.const(1), [
        // the window row's corner: x + ((b·inH + 2·oy)·inW)·pixel
        ...get(x), ...get(b), ...get(inH), ...i32.mul, ...get(oy), ...i32.const(1), ...i32.shl, ...i32.add, ...get(row), ...i32.mul, ...i32.add, ...set(at),
        ...forRange(ox, i32.const(0), get(outW), i32.const(1), [
          ...forRange(cb, i32.const(0), get(pixel), i32.const(16), group),
          ...get(at), ...get(pixel), ...i32.const(1), ...i32.shl, ...i32.add, ...set(at),
          ...get(dyAt), ...get(pixel), ...i32.add, ...set(dyAt),
        ]),
      ]),
    ]),
  ]);
}
