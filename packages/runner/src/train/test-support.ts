/** Helpers for the model and training tests: specs with defaults filled, as the loader would give them. */
import { fillDefaults, Layer, Train, type LayerSpec, type TrainSpec } from '@kiln/core';
import { selectBackend } from '../backend/select.ts';

type Schema = Parameters<typeof fillDefaults>[0];

/** A layer spec with its defaults filled. */
export function layer(raw: Record<string, unknown>): LayerSpec {
  return fillDefaults(Layer as unknown as Schema, raw) as LayerSpec;
}

/** A train spec with its defaults filled. */
export function trainSpec(raw: Record<string, unknown>): TrainSpec {
  return fillDefaults(Train as unknown as Schema, raw) as TrainSpec;
}

/** Activates the wasm backend (with Kiln's gradient kernels), the one tests train on. */
export async function useWasm(): Promise<void> {
  await selectBackend('wasm', { threads: 1 });
}

/** Activates the pure-JS cpu backend. */
export async function useCpu(): Promise<void> {
  await selectBackend('cpu');
}
