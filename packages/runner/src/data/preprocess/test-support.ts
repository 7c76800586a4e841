import { KilnFailure, type KilnError } from '@kiln/core';

/** The first KilnError a call throws; fails the test if it throws something else or nothing. */
export function kilnErrorOf(f: () => unknown): KilnError {
  try {
    f();
  } catch (e) {
    const [first] = e instanceof KilnFailure ? e.errors : [];
    if (first !== undefined) return first;
    throw e;
  }
  throw new Error('expected a KilnFailure');
}

export const ids = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
export const ctx = { path: 'data.features[0]' };
