/**
 * A tiny WebAssembly binary writer for element-wise f32 kernels: each kernel is a list of
 * statements over "lanes" (one element of every array at a time), emitted twice, once as an
 * f32x4 SIMD loop over the multiple-of-4 part and once as a scalar loop over the tail. The module
 * imports its memory ("env"."memory"), so the kernels read and write another module's heap in place.
 * Generated at load time: no toolchain, and nothing binary in the repository. writeRawModule writes
 * the same kind of module from hand-assembled functions (wasm-simd/asm.ts: pooling, bias, patch kernels).
 */

/** An expression over one lane: an array element, a scalar parameter, a temporary, or an operation. */
export type Expr =
  | { k: 'array'; index: number }
  | { k: 'param'; index: number }
  | { k: 'temp'; index: number }
  | { k: 'binary'; op: BinaryOp; a: Expr; b: Expr }
  | { k: 'unary'; op: UnaryOp; a: Expr };

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max';
export type UnaryOp = 'sqrt' | 'abs';

/** A statement: keep a value in a temporary, or write it to an array (at the same lane). */
export type Stmt = { k: 'let'; temp: number; e: Expr } | { k: 'store'; array: number; e: Expr };

/** One exported kernel: `name(ptr_0 .. ptr_{arrays-1}: i32, n: i32, param_0 .. param_{params-1}: f32)`. */
export interface KernelDef {
  name: string;
  arrays: number;
  params: number;
  temps: number;
  body: Stmt[];
}

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
const SIMD = 0xfd;

/** Opcodes: [scalar f32 opcode, SIMD f32x4 sub-opcode]. */
const BINARY: Record<BinaryOp, [number, number]> = { add: [0x92, 0xe4], sub: [0x93, 0xe5], mul: [0x94, 0xe6], div: [0x95, 0xe7], max: [0x97, 0xe9] };
const UNARY: Record<UnaryOp, [number, number]> = { sqrt: [0x91, 0xe3], abs: [0x8b, 0xe0] };

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const utf8 = (s: string) => [...new TextEncoder().encode(s)];
const name = (s: string) => [...uleb(utf8(s).length), ...utf8(s)];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

/** Local variable layout of one kernel: parameters first, then the declared locals. */
class Locals {
  readonly n: number;
  readonly i: number;
  readonly endVector: number;
  readonly endAll: number;
  readonly splat0: number;
  readonly vtemp0: number;
  readonly ftemp0: number;
  constructor(readonly def: KernelDef) {
    this.n = def.arrays;
    this.i = def.arrays + 1 + def.params;
    this.endVector = this.i + 1;
    this.endAll = this.i + 2;
    this.splat0 = this.i + 3;
    this.vtemp0 = this.splat0 + def.params;
    this.ftemp0 = this.vtemp0 + def.temps;
  }
  param(index: number): number {
    return this.def.arrays + 1 + index;
  }
  declarations(): number[][] {
    return [
      [...uleb(3), I32],
      [...uleb(this.def.params + this.def.temps), V128],
      [...uleb(this.def.temps), F32],
    ];
  }
}

const get = (local: number) => [0x20, ...uleb(local)];
const set = (local: number) => [0x21, ...uleb(local)];
const simd = (op: number) => [SIMD, ...uleb(op)];
/** The lane's address in array `index`: its pointer plus the running byte offset. */
const address = (l: Locals, index: number) => [...get(index), ...get(l.i), 0x6a];

function expr(l: Locals, e: Expr, vector: boolean): number[] {
  switch (e.k) {
    case 'array':
      // Memory argument: alignment exponent 2 (4 bytes: tensors are float-aligned, not 16-byte aligned), offset 0.
      return [...address(l, e.index), ...(vector ? simd(0x00) : [0x2a]), 2, 0];
    case 'param':
      return get(vector ? l.splat0 + e.index : l.param(e.index));
    case 'temp':
      return get((vector ? l.vtemp0 : l.ftemp0) + e.index);
    case 'binary': {
      const [scalar, lanes] = BINARY[e.op];
      return [...expr(l, e.a, vector), ...expr(l, e.b, vector), ...(vector ? simd(lanes) : [scalar])];
    }
    case 'unary': {
      const [scalar, lanes] = UNARY[e.op];
      return [...expr(l, e.a, vector), ...(vector ? simd(lanes) : [scalar])];
    }
  }
}

function stmt(l: Locals, s: Stmt, vector: boolean): number[] {
  if (s.k === 'let') return [...expr(l, s.e, vector), ...set((vector ? l.vtemp0 : l.ftemp0) + s.temp)];
  return [...address(l, s.array), ...expr(l, s.e, vector), ...(vector ? simd(0x0b) : [0x38]), 2, 0];
}

/** `block loop (exit when i >= end) body; i += step; continue end end`. */
function loop(l: Locals, end: number, step: number, body: number[]): number[] {
  const exit = [...get(l.i), ...get(end), 0x4f, 0x0d, 1];
  const advance = [...get(l.i), 0x41, ...sleb(step), 0x6a, ...set(l.i)];
  return [0x02, 0x40, 0x03, 0x40, ...exit, ...body, ...advance, 0x0c, 0, 0x0b, 0x0b];
}

function functionBody(def: KernelDef): RawFunction {
  const l = new Locals(def);
  const prologue = [
    ...get(l.n), 0x41, ...sleb(2), 0x74, ...set(l.endAll),
    ...get(l.n), 0x41, ...sleb(-4), 0x71, 0x41, ...sleb(2), 0x74, ...set(l.endVector),
    ...Array.from({ length: def.params }, (_, p) => [...get(l.param(p)), ...simd(0x13), ...set(l.splat0 + p)]).flat(),
  ];
  const vectorBody = def.body.flatMap((s) => stmt(l, s, true));
  const scalarBody = def.body.flatMap((s) => stmt(l, s, false));
  const params = [...Array<number>(def.arrays + 1).fill(I32), ...Array<number>(def.params).fill(F32)];
  return { name: def.name, params, locals: l.declarations(), code: [...prologue, ...loop(l, l.endVector, 16, vectorBody), ...loop(l, l.endAll, 4, scalarBody)] };
}

/** The module's bytes: one exported function per kernel, all over the imported "env"."memory". */
export function writeModule(kernels: readonly KernelDef[]): Uint8Array<ArrayBuffer> {
  return writeRawModule(kernels.map(functionBody));
}

/** One exported function given as code: its parameter types, its extra locals ([count, type] runs) and its body (without the final `end`). */
export interface RawFunction {
  name: string;
  params: readonly number[];
  locals: readonly number[][];
  code: readonly number[];
}

/** A module of raw functions (no results) over the imported "env"."memory": the writer of both the optimizers and the wasm-simd kernels. */
export function writeRawModule(functions: readonly RawFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  // A memory import with limits flag 0 and minimum 0 pages: it accepts the backend's memory whatever its size.
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, 0x00];
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const code = [...vec(f.locals.map((l) => [...l])), ...f.code, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([memoryImport])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
