import { Type, type Static } from '@sinclair/typebox';
import { int, obj, oneOf } from '../fields.ts';

export const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const;

export const Runtime = obj(
  {
    backend: oneOf(BACKENDS, 'TensorFlow.js backend; auto picks the fastest that loads (tensorflow-gpu, tensorflow, wasm, cpu).', 'auto'),
    threads: Type.Union([Type.Literal('auto'), int('Thread count.', { minimum: 1 })], {
      description: 'Threads for the wasm backend: a number, or auto (the core count).',
      default: 'auto',
    }),
  },
  'Where and how the computation runs.',
  { default: {} },
);
export type RuntimeSpec = Static<typeof Runtime>;
