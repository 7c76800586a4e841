/**
 * A small assembler for hand-written WebAssembly kernels over the wasm backend's heap: instructions as byte arrays,
 * structured loops, and a function builder that hands out typed locals. The module itself is written by
 * fused-optimizers/wasm-writer.ts (writeRawModule), so the repository holds no binary and needs no toolchain.
 */
import { F32, I32, V128, sleb, uleb, type RawFunction } from '../fused-optimizers/wasm-writer.ts';

export type Code = readonly number[];

const SIMD = 0xfd;
const simd = (op: number): Code => [SIMD, ...uleb(op)];
/** Memory argument: alignment 2^2 (tensors are float-aligned, not 16-byte aligned), offset 0. */
const MEMARG = [2, 0];

export const get = (local: number): Code => [0x20, ...uleb(local)];
export const set = (local: number): Code => [0x21, ...uleb(local)];
export const tee = (local: number): Code => [0x22, ...uleb(local)];

/** i32 instructions (operands come first, as on the wasm stack). */
export const i32 = {
  const: (n: number): Code => [0x41, ...sleb(n)],
  add: [0x6a], sub: [0x6b], mul: [0x6c], and: [0x71], shl: [0x74],
  ltS: [0x48], gtS: [0x4a], geS: [0x4e],
} as const;

/** f32 scalar instructions. */
export const f32 = {
  const: (v: number): Code => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)],
  load: [0x2a, ...MEMARG], store: [0x38, ...MEMARG],
  add: [0x92], mul: [0x94], lt: [0x5d], gt: [0x5e], ne: [0x5c],
} as const;

/** 128-bit SIMD instructions (f32x4 unless named otherwise). */
export const v128 = {
  load: [...simd(0x00), ...MEMARG], store: [...simd(0x0b), ...MEMARG],
  splat: simd(0x13), eq: simd(0x41), ne: simd(0x42), lt: simd(0x43), gt: simd(0x44),
  and: simd(0x4e), andnot: simd(0x4f), or: simd(0x50), anyTrue: simd(0x53),
  add: simd(0xe4), mul: simd(0xe6), pmax: simd(0xeb),
} as const;

/** `select`: the first operand where the condition (last) is non-zero, else the second. */
export const select: Code = [0x1b];

/** `if cond then [else] end` with no result. */
export const ifThen = (cond: Code, then: Code, otherwise: Code = []): Code =>
  [...cond, 0x04, 0x40, ...then, ...(otherwise.length > 0 ? [0x05, ...otherwise] : []), 0x0b];

/** `for (i = from; i < end; i += step) body`, i and end as i32 code; body must not branch out of the loop. */
export function forRange(i: number, from: Code, end: Code, step: Code, body: Code): Code {
  const exit = [...get(i), ...end, ...i32.geS, 0x0d, 1];
  const advance = [...get(i), ...step, ...i32.add, ...set(i)];
  return [...from, ...set(i), 0x02, 0x40, 0x03, 0x40, ...exit, ...body, ...advance, 0x0c, 0, 0x0b, 0x0b];
}

/** Builds one function: parameters first (all i32: byte offsets and sizes), then locals taken as needed. */
export class FunctionBuilder {
  private readonly locals: number[] = [];
  constructor(
    readonly name: string,
    readonly params: number,
  ) {}

  /** The parameter at `index`. */
  param(index: number): number {
    if (index >= this.params) throw new Error(`${this.name} has ${this.params} parameters`);
    return index;
  }

  private take(type: number): number {
    this.locals.push(type);
    return this.params + this.locals.length - 1;
  }

  i32(): number {
    return this.take(I32);
  }
  f32(): number {
    return this.take(F32);
  }
  v128(): number {
    return this.take(V128);
  }
  /** One i32 local per name. */
  i32s<K extends string>(names: readonly K[]): Record<K, number> {
    return Object.fromEntries(names.map((n) => [n, this.i32()])) as Record<K, number>;
  }

  /** The finished function with this body. */
  build(code: Code): RawFunction {
    return { name: this.name, params: Array<number>(this.params).fill(I32), locals: this.locals.map((t) => [1, t]), code };
  }
}
