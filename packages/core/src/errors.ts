/** A problem found in user input or at run time, as a value; the CLI alone decides how to print it. */
export interface KilnError {
  /** Stable machine-readable code, e.g. `spec/unknown-key`, `data/missing-column`. */
  code: string;
  /** Dotted path into the spec or data, e.g. `train.optimizer.learningRate`; '' for the whole input. */
  path: string;
  message: string;
  hint?: string;
  file?: string;
  line?: number;
  col?: number;
}

/** An Error that carries one or more KilnErrors, thrown where a value cannot be returned. */
export class KilnFailure extends Error {
  readonly errors: KilnError[];
  constructor(errors: KilnError | KilnError[]) {
    const list = Array.isArray(errors) ? errors : [errors];
    super(list.map((e) => e.message).join('; '));
    this.name = 'KilnFailure';
    this.errors = list;
  }
}

/** Builds a KilnError; a small helper so call sites stay one line. */
export function kilnError(code: string, path: string, message: string, hint?: string): KilnError {
  return hint === undefined ? { code, path, message } : { code, path, message, hint };
}

/**
 * Returns `value`, or throws when it is undefined: for an index that exists by construction (a loop bound, a
 * length checked just before), where a miss is a bug in Kiln, not bad input. `why` names the invariant.
 */
export function must<T>(value: T | undefined, why: string): T {
  if (value === undefined) throw new Error(`internal invariant broken: ${why}`);
  return value;
}
