import { Type, type Static } from '@sinclair/typebox';
import { int, obj, oneOf, str } from '../fields.ts';

export const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const;

export const Runtime = obj(
  {
    backend: oneOf(BACKENDS, 'TensorFlow.js backend; auto picks the fastest that loads (tensorflow-gpu, tensorflow, wasm, cpu).', 'auto'),
    threads: Type.Union([Type.Literal('auto'), int('Thread count.', { minimum: 1 })], {
      description:
        "Threads for the wasm backend's matrix products, which run in the platform BLAS (see blas; XNNPACK itself is single-threaded in Node): a number, or auto (the library's default, usually the core count). This is the most a product uses: each gets one thread per 64M multiply-adds, so small ones (an LSTM's per-timestep products, a convolution's taps) run on one thread, where a second costs more than it gives.",
      default: 'auto',
    }),
    blas: Type.Union([Type.Literal('auto'), Type.Literal('off'), str('Path of a shared library that exports cblas_sgemm.', { minLength: 1 })], {
      description:
        "Platform BLAS for the wasm backend's matrix products and convolutions (computed in place on its memory, several times faster than XNNPACK): auto finds OpenBLAS, Accelerate (macOS) or a CBLAS on the usual library paths and falls back to XNNPACK when there is none; off always uses XNNPACK; a path (e.g. /opt/openblas/lib/libopenblas.so) uses exactly that library and is an error if it cannot be loaded. The run records which library and how many threads.",
      default: 'auto',
    }),
  },
  'Where and how the computation runs.',
  { default: {} },
);
export type RuntimeSpec = Static<typeof Runtime>;
