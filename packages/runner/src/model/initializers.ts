/** Seeded weight initializers and regularizers from the spec's names. */
import { initializers, regularizers } from '@tensorflow/tfjs-layers';
import type { INITIALIZERS } from '@kiln/core';

export type InitializerName = (typeof INITIALIZERS)[number];
export type Initializer = ReturnType<typeof initializers.zeros>;
export type Regularizer = ReturnType<typeof regularizers.l1l2>;

/** Every spec initializer name to a tfjs initializer; the random ones get the seed so runs repeat. */
const INITIALIZER_BUILDERS: Record<InitializerName, (seed: number) => Initializer> = {
  glorotUniform: (seed) => initializers.glorotUniform({ seed }),
  glorotNormal: (seed) => initializers.glorotNormal({ seed }),
  heUniform: (seed) => initializers.heUniform({ seed }),
  heNormal: (seed) => initializers.heNormal({ seed }),
  leCunUniform: (seed) => initializers.leCunUniform({ seed }),
  leCunNormal: (seed) => initializers.leCunNormal({ seed }),
  zeros: () => initializers.zeros(),
  ones: () => initializers.ones(),
  orthogonal: (seed) => initializers.orthogonal({ seed, gain: 1 }),
  randomNormal: (seed) => initializers.randomNormal({ mean: 0, stddev: 0.05, seed }),
  // Keras' RandomUniform default range, also its embedding default.
  randomUniform: (seed) => initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }),
};

/** The initializer named in the spec, or `fallback` (Keras' default for that weight), seeded. */
export function makeInitializer(name: InitializerName | undefined, fallback: InitializerName, seed: number): Initializer {
  return INITIALIZER_BUILDERS[name ?? fallback](seed);
}

/** An L1/L2 weight penalty, or undefined when the spec sets none (or only zeros). */
export function makeRegularizer(spec: { l1?: number; l2?: number } | undefined): Regularizer | undefined {
  if (!spec || (!spec.l1 && !spec.l2)) return undefined;
  return regularizers.l1l2({ l1: spec.l1 ?? 0, l2: spec.l2 ?? 0 });
}
