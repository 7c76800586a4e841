/** TensorFlow.js facts for a run's provenance, read from the user's own tf namespace (duck-typed: any tfjs version, no import). */

/** The parts of `@tensorflow/tfjs` / `@tensorflow/tfjs-core`'s namespace that Kiln reads. */
export interface TfLike {
  version_core?: string;
  version?: string | Record<string, string>;
  getBackend?: () => string | null | undefined;
}

/** `{ tfjsVersion, tfjsBackend }` for the provenance columns; empty without a namespace. */
export function tfProvenance(tf: TfLike | undefined): { tfjsVersion?: string | null; tfjsBackend?: string | null } {
  if (tf === undefined) return {};
  const version = tf.version_core ?? (typeof tf.version === 'string' ? tf.version : (tf.version?.['tfjs-core'] ?? null));
  return { tfjsVersion: version, tfjsBackend: tf.getBackend?.() ?? null };
}
