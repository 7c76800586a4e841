/** Finding and binding the platform BLAS (cblas_sgemm) through koffi: OpenBLAS, Accelerate or any CBLAS. */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { kilnError, type KilnError } from '@kiln/core/errors';

/** Row-major single-precision GEMM on raw float pointers: C = alpha·op(A)·op(B) + beta·C (CBLAS argument order). */
export type Sgemm = (
  order: number, transA: number, transB: number, m: number, n: number, k: number, alpha: number,
  a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number,
) => void;

/** A loaded BLAS: what provenance records about it, and its sgemm. */
export interface BlasLibrary {
  /** The library and its build where it says (OpenBLAS's config string), else Accelerate / CBLAS. */
  name: string;
  /** The file loaded (or the name the system loader resolved). */
  path: string;
  /** Threads it computes with: the library's own answer where it has one, else what was requested, else null (its default). */
  threads: number | null;
  sgemm: Sgemm;
  /**
   * OpenBLAS's out-of-place matrix copy (cblas_somatcopy: b = alpha·op(a), row-major with strides), where exported:
   * a transposing copy in C, several times faster than a JS loop for the convolutions' patch matrices (grid.ts).
   */
  omatcopy?: Omatcopy;
  /** Changes the thread count of the products that follow (openblas_set_num_threads), where the library has it. */
  setThreads?: (threads: number) => void;
}

/** cblas_somatcopy: b = alpha·op(a) for a rows x cols matrix a (CBLAS argument order). */
export type Omatcopy = (order: number, trans: number, rows: number, cols: number, alpha: number, a: Float32Array, lda: number, b: Float32Array, ldb: number) => void;

export const CBLAS = { rowMajor: 101, noTrans: 111, trans: 112 } as const;

const ACCELERATE = '/System/Library/Frameworks/Accelerate.framework/Accelerate';

/** Library file names `auto` tries, best first; generic BLAS files count only if they export cblas_sgemm. */
const NAMES: Record<string, readonly string[]> = {
  linux: ['libopenblas.so.0', 'libopenblas.so', 'libcblas.so.3', 'libcblas.so', 'libblas.so.3', 'libblas.so'],
  darwin: ['libopenblas.dylib', 'libopenblas.0.dylib', 'libcblas.dylib', 'libblas.dylib'],
  win32: ['libopenblas.dll', 'openblas.dll'],
};

const MULTIARCH: Record<string, string> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu', ppc64: 'powerpc64le-linux-gnu' };

/** Directories searched, in order: LD_LIBRARY_PATH / DYLD_LIBRARY_PATH first (as the loader would), then the usual system places. */
function searchDirs(): string[] {
  const env = process.env.LD_LIBRARY_PATH ?? process.env.DYLD_LIBRARY_PATH ?? '';
  const multiarch = MULTIARCH[process.arch];
  const system = [
    ...(multiarch ? [`/usr/lib/${multiarch}`, `/lib/${multiarch}`] : []),
    '/usr/lib64', '/usr/lib', '/usr/local/lib', '/opt/homebrew/opt/openblas/lib', '/usr/local/opt/openblas/lib', '/opt/homebrew/lib',
  ];
  return [...env.split(delimiter).filter((d) => d.length > 0), ...system];
}

/** Candidate files `auto` tries, best first: absolute paths that exist, then bare names for the system loader. */
export function blasCandidates(): string[] {
  const names = NAMES[process.platform] ?? NAMES.linux ?? [];
  const found = names.flatMap((name) => searchDirs().map((dir) => join(dir, name))).filter((p) => existsSync(p));
  const accelerate = process.platform === 'darwin' && existsSync(ACCELERATE) ? [ACCELERATE] : [];
  // OpenBLAS before Accelerate (it threads, and reports its build); a generic BLAS after both.
  const [openblas, generic] = [found.filter((p) => /openblas/i.test(p)), found.filter((p) => !/openblas/i.test(p))];
  return [...new Set([...openblas, ...accelerate, ...generic, ...names])];
}

type Koffi = typeof import('koffi').default;
type Lib = ReturnType<Koffi['load']>;

/** koffi, or null where its native module does not load (no prebuilt binary for this platform). */
async function loadKoffi(): Promise<Koffi | null> {
  try {
    return (await import('koffi')).default;
  } catch {
    return null;
  }
}

/** A function of the library, or null where it does not export that symbol. */
function symbol(lib: Lib, signature: string): ((...args: unknown[]) => unknown) | null {
  try {
    return lib.func(signature) as (...args: unknown[]) => unknown;
  } catch {
    return null;
  }
}

const OMATCOPY = 'void cblas_somatcopy(int order, int trans, int rows, int cols, float alpha, float *a, int lda, float *b, int ldb)';

const SGEMM = 'void cblas_sgemm(int order, int ta, int tb, int M, int N, int K, float alpha, float *A, int lda, float *B, int ldb, float beta, float *C, int ldc)';

// dlopen keeps a library loaded for the life of the process; so does this table (and the thread setting with it).
const loaded = new Map<string, BlasLibrary | string>();

/** Loads one library and binds cblas_sgemm; a reason string when it cannot. */
function bind(koffi: Koffi, path: string, threads: number | undefined): BlasLibrary | string {
  // Thread counts some libraries read only when they initialise, at load: set before it, for those without a setter.
  if (threads !== undefined) {
    process.env.OPENBLAS_NUM_THREADS = String(threads);
    if (path === ACCELERATE) process.env.VECLIB_MAXIMUM_THREADS = String(threads);
  }
  let lib: Lib;
  try {
    lib = koffi.load(path);
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
  }
  const sgemm = symbol(lib, SGEMM);
  if (sgemm === null) return 'it does not export cblas_sgemm (a Fortran-only BLAS?)';
  const setThreads = symbol(lib, 'void openblas_set_num_threads(int)');
  const getThreads = symbol(lib, 'int openblas_get_num_threads()');
  const config = symbol(lib, 'const char *openblas_get_config()');
  if (setThreads !== null && threads !== undefined) setThreads(threads);
  const reported = getThreads === null ? null : Number(getThreads());
  const name = config !== null ? String(config()).split(' ').slice(0, 2).join(' ') : path === ACCELERATE ? 'Accelerate' : 'CBLAS';
  const omatcopy = symbol(lib, OMATCOPY);
  const library: BlasLibrary = { name, path, threads: reported ?? threads ?? null, sgemm: sgemm as Sgemm };
  if (omatcopy !== null) library.omatcopy = omatcopy as Omatcopy;
  if (setThreads !== null) library.setThreads = (n: number) => void setThreads(n);
  return library;
}

/** Loads a library (once per process), applying the thread count where the library lets it change later. */
function bindCached(koffi: Koffi, path: string, threads: number | undefined): BlasLibrary | string {
  const cached = loaded.get(path);
  if (cached === undefined) {
    const result = bind(koffi, path, threads);
    loaded.set(path, result);
    return result;
  }
  if (typeof cached === 'string' || threads === undefined) return cached;
  // Loaded before: only a library with a setter can take a new count.
  const again = bind(koffi, path, threads);
  return typeof again === 'string' ? cached : again;
}

const HINT = 'install OpenBLAS (Debian/Ubuntu: apt-get install libopenblas0-pthread; macOS has Accelerate), point runtime.blas at a library exporting cblas_sgemm, or set runtime.blas: off to use XNNPACK';

/**
 * Finds the BLAS to use: `auto` the first candidate that loads (null when none does: XNNPACK then), a path exactly that
 * library (a located error when it cannot be used). `threads` sets its thread count where given.
 */
export async function findBlas(choice: string, threads?: number): Promise<{ ok: true; blas: BlasLibrary | null } | { ok: false; error: KilnError }> {
  const koffi = await loadKoffi();
  if (choice === 'auto') {
    if (koffi === null) return { ok: true, blas: null };
    for (const path of blasCandidates()) {
      const result = bindCached(koffi, path, threads);
      if (typeof result !== 'string') return { ok: true, blas: result };
    }
    return { ok: true, blas: null };
  }
  if (koffi === null) return { ok: false, error: kilnError('backend/blas', 'runtime.blas', `cannot load BLAS library '${choice}': koffi (the FFI Kiln calls it through) has no binary for ${process.platform}-${process.arch}`, HINT) };
  const result = bindCached(koffi, choice, threads);
  if (typeof result === 'string') return { ok: false, error: kilnError('backend/blas', 'runtime.blas', `cannot use BLAS library '${choice}': ${result}`, HINT) };
  return { ok: true, blas: result };
}
