/**
 * Exit codes for every command, in one place: 0 ok, 1 a run or command failed, 2 bad input (spec,
 * data, arguments). Commands return EXIT codes or throw; main() sends what they throw here.
 */
import { KilnFailure, type KilnError } from '@kiln/core/errors';
import { formatErrors } from '../terminal/errors.ts';

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/**
 * Exit code by error code, first match wins: a store that cannot be used (full disk, read-only,
 * newer schema, a run still running) made the command fail (1); a store path that cannot be opened
 * or a --filter/--sort the store cannot read, like every usage (cli/*), spec or data problem, is bad input (2).
 */
const EXIT_BY_CODE: [RegExp, number][] = [
  [/^store\/cannot-open$/, EXIT.badInput],
  [/^store\/filter$/, EXIT.badInput],
  [/^store\//, EXIT.failed],
];

/** The exit code for a set of errors: failed (1) when any error is a failure, else bad input (2). */
export function exitCodeFor(errors: readonly KilnError[]): number {
  const codes = errors.map((e) => EXIT_BY_CODE.find(([re]) => re.test(e.code))?.[1] ?? EXIT.badInput);
  return Math.min(...codes, EXIT.badInput);
}

/** Prints errors on stderr and returns their exit code. */
export function fail(errors: KilnError[]): number {
  process.stderr.write(`${formatErrors(errors)}\n`);
  return exitCodeFor(errors);
}

/** A usage problem a command finds itself (exit 2), thrown like any other KilnFailure. */
export function usageError(code: `cli/${string}`, path: string, message: string, hint?: string): KilnFailure {
  return new KilnFailure(hint === undefined ? { code, path, message } : { code, path, message, hint });
}

/** What a command threw, as output and an exit code; store faults are found anywhere in the cause chain. */
export async function reportThrown(name: string, e: unknown, store: string | undefined): Promise<number> {
  // loaded here, not at the top: commands that never touch a store should not pay for it at start-up
  const { causeChain, resolveStoreUrl, storeFault, storeLabel } = await import('@kiln/core/store');
  const failure = e instanceof KilnFailure ? e : storeFault(e, storeLabel(resolveStoreUrl(store)));
  if (!failure) process.stderr.write(`kiln ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
  const code = failure ? fail(failure.errors) : EXIT.failed;
  const chain = failure ? causeChain(failure.cause) : causeChain(e);
  if (chain.length === 0) return code;
  if (process.env.KILN_DEBUG) {
    for (const c of chain.slice(failure ? 0 : 1)) process.stderr.write(`caused by ${c.name}: ${c.message}\n`);
    process.stderr.write(`${chain.at(-1)?.stack ?? ''}\n`);
  } else process.stderr.write('  (set KILN_DEBUG=1 to see the cause and the stack trace)\n');
  return code;
}
