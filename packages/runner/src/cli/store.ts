import { KilnFailure } from '@kiln/core/errors';
import { listRuns, openStore, type Store } from '@kiln/core/store';
import type { ParsedArgs } from './options.ts';
import { registerTypedSource } from './report.ts';

/**
 * Opens the store named by --store (or KILN_STORE, or the default), runs fn, and closes it. Commands
 * that only read open it to `read` (the default): that never writes, so it works on a full disk or
 * a read-only store; those that change it (tag, delete) ask for `write`.
 */
export async function withStore<T>(args: ParsedArgs, fn: (store: Store) => Promise<T>, mode: 'read' | 'write' = 'read'): Promise<T> {
  const store = await openStore(args.options.store as string | undefined, { mode });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Resolves a run id or a unique prefix of one (like git's short hashes). */
export async function resolveRunId(store: Store, idOrPrefix: string): Promise<string> {
  if (!/^[A-Za-z0-9_-]+$/.test(idOrPrefix)) throw notFound(idOrPrefix);
  const page = await listRuns(store, { filter: `id like "${idOrPrefix}%"`, limit: 2 });
  if (page.total === 1) return page.runs[0]!.id;
  if (page.total === 0) throw notFound(idOrPrefix);
  throw new KilnFailure({ code: 'cli/ambiguous-run', path: '', message: `run id prefix "${idOrPrefix}" matches ${page.total} runs`, hint: 'give more characters of the id (kiln runs lists them)' });
}

function notFound(id: string): KilnFailure {
  return new KilnFailure({ code: 'cli/run-not-found', path: '', message: `no run "${id}" in this store`, hint: 'kiln runs lists the runs; --store picks another store' });
}

/** Runs a query that takes a --filter; its errors are located in the typed query, line 1. */
export async function withFilter<T>(filter: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof KilnFailure) || filter === undefined) throw e;
    registerTypedSource('--filter', filter);
    throw new KilnFailure(e.errors.map((err) => (err.col !== undefined && err.file === undefined ? { ...err, file: '--filter', line: 1 } : err)));
  }
}
