/** Helpers for the model and training tests: specs with defaults filled, as the loader would give them. */
import { fillDefaults, Layer, Train, type LayerSpec, type TrainSpec } from '@kiln/core';
import { expect } from 'vitest';
import { selectBackend } from '../backend/select.ts';
import type { EpochMetrics } from './loop.ts';

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

/** Asserts two training histories have the same epochs and keys, each train/val value passing `close` (fused vs unfused runs). */
export function expectSameHistory(got: EpochMetrics[], want: EpochMetrics[], close: (value: number, expected: number, label: string) => void): void {
  expect(got).toHaveLength(want.length);
  got.forEach((epoch, e) => {
    for (const split of ['train', 'val'] as const) {
      const expected = want[e]?.[split] ?? {};
      expect(Object.keys(epoch[split]).sort()).toEqual(Object.keys(expected).sort());
      for (const [key, value] of Object.entries(epoch[split])) close(value, expected[key] ?? Number.NaN, `epoch ${e + 1} ${split}.${key}`);
    }
  });
}
