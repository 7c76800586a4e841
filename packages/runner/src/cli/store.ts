import { KilnFailure, type KilnError } from '@kiln/core/errors';
import { listRuns, openStore, type Store } from '@kiln/core/store';
import { registerTypedSource } from '../terminal/errors.ts';

/**
 * Opens the store named by --store (or KILN_STORE, or the default), runs fn, and closes it. Commands
 * that only read open it to `read` (the default): that never writes, so it works on a full disk or
 * a read-only store; those that change it (tag, delete) ask for `write`.
 */
export async function withStore<T>(args: { options: { store: string | undefined } }, fn: (store: Store) => Promise<T>, mode: 'read' | 'write' = 'read'): Promise<T> {
  const store = await openStore(args.options.store, { mode });
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
  const [only] = page.runs;
  if (page.total === 1 && only !== undefined) return only.id;
  if (page.total === 0) throw notFound(idOrPrefix);
  throw new KilnFailure({ code: 'cli/ambiguous-run', path: '', message: `run id prefix "${idOrPrefix}" matches ${page.total} runs`, hint: 'give more characters of the id (kiln runs lists them)' });
}

function notFound(id: string): KilnFailure {
  return new KilnFailure({ code: 'cli/run-not-found', path: '', message: `no run "${id}" in this store`, hint: 'kiln runs lists the runs; --store picks another store' });
}

/**
 * Runs a query that takes --filter and --sort, and says which option an error is in: the store
 * marks it path 'filter' or 'sort'; a filter error is shown in the typed query with a caret.
 */
export async function withQuery<T>(typed: { filter: string | undefined; sort: string | undefined }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof KilnFailure)) throw e;
    if (typed.filter !== undefined) registerTypedSource('--filter', typed.filter);
    throw new KilnFailure(e.errors.map((err) => locate(err, typed.filter)));
  }
}

function locate(err: KilnError, filter: string | undefined): KilnError {
  if (err.path === 'sort') return { ...err, path: '--sort' };
  if (filter !== undefined && err.col !== undefined && err.file === undefined) return { ...err, file: '--filter', line: 1 };
  return err;
}
