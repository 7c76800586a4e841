/**
 * Store faults as values: a driver error (drizzle's "Failed query" wrapping libsql's or pg's error,
 * or a file-system error from making the store's folder) becomes one KilnError that names the
 * store and the cause (disk full, read-only, cannot open), keeping the original error as `cause`.
 */
import { statfsSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KilnFailure, type KilnError } from '../errors.ts';
import { redactUrl } from './redact.ts';

export type StoreFaultCode = 'store/disk-full' | 'store/read-only' | 'store/cannot-open' | 'store/corrupt' | 'store/newer-schema' | 'store/io' | 'store/run-deleted';

interface FaultKind {
  code: StoreFaultCode;
  what: string;
  hint: string;
}

const READS_STILL_WORK = 'reading still works: kiln runs, show, compare, export and the UI open the store read-only';

const KINDS = {
  full: { code: 'store/disk-full', what: 'the disk holding the store is full', hint: `free space on that disk and run again; ${READS_STILL_WORK}` },
  readOnly: { code: 'store/read-only', what: 'the store is read-only', hint: `make the file and its folder writable, or point --store at a writable store; ${READS_STILL_WORK}` },
  cantOpen: { code: 'store/cannot-open', what: 'cannot open the store', hint: 'check --store (or KILN_STORE): a file path in an existing, writable folder, or a file:, libsql:// or postgres:// URL' },
  corrupt: { code: 'store/corrupt', what: 'the store file is damaged', hint: 'restore it from a backup; PRAGMA integrity_check in sqlite3 shows what is wrong' },
  notAStore: { code: 'store/cannot-open', what: 'cannot open the store: the file is not a SQLite database', hint: 'check --store (or KILN_STORE) points at a Kiln store file' },
  io: { code: 'store/io', what: 'the disk holding the store failed a read or write', hint: 'check the disk (dmesg) and free space; the store keeps every committed write' },
  runGone: { code: 'store/run-deleted', what: 'the run was deleted from the store while it was running (kiln delete --force)', hint: 'nothing more is recorded for it; train again to get a new run' },
  pgDenied: { code: 'store/read-only', what: 'the database role may not write to the store', hint: `grant the role INSERT/UPDATE/DELETE on Kiln's tables, or use a writable role; ${READS_STILL_WORK}` },
} satisfies Record<string, FaultKind>;

/** SQLite result codes (prefix match covers the extended ones, e.g. SQLITE_IOERR_SHMSIZE). */
const SQLITE: [RegExp, FaultKind][] = [
  [/^SQLITE_FULL/, KINDS.full],
  // a tracker write naming its run after the run row was deleted
  [/^SQLITE_CONSTRAINT_FOREIGNKEY/, KINDS.runGone],
  [/^SQLITE_READONLY/, KINDS.readOnly],
  [/^SQLITE_CANTOPEN/, KINDS.cantOpen],
  [/^SQLITE_PERM/, KINDS.readOnly],
  [/^SQLITE_NOTADB/, KINDS.notAStore],
  [/^SQLITE_CORRUPT/, KINDS.corrupt],
  [/^SQLITE_IOERR/, KINDS.io],
];

/** errno codes from the file system (making the folder, opening the file). */
const ERRNO: Record<string, FaultKind> = {
  ENOSPC: KINDS.full,
  EDQUOT: KINDS.full,
  EROFS: KINDS.readOnly,
  EACCES: KINDS.readOnly,
  EPERM: KINDS.readOnly,
  ENOTDIR: KINDS.cantOpen,
  EEXIST: KINDS.cantOpen,
  EISDIR: KINDS.cantOpen,
  ENOENT: KINDS.cantOpen,
  EIO: KINDS.io,
};

/** PostgreSQL SQLSTATEs and connection errors. */
const PG: Record<string, FaultKind> = {
  '53100': KINDS.full,
  '23503': KINDS.runGone,
  '25006': KINDS.readOnly,
  '42501': KINDS.pgDenied,
  '3D000': KINDS.cantOpen,
  '28000': KINDS.cantOpen,
  '28P01': KINDS.cantOpen,
  ECONNREFUSED: KINDS.cantOpen,
  ENOTFOUND: KINDS.cantOpen,
};

/** libsql's native open error: `ConnectionFailed("Unable to open connection to local database X: 14")`, 14 = SQLITE_CANTOPEN. */
const CONNECTION_FAILED = /ConnectionFailed\(.*: (\d+)"?\)/;

function codeOf(e: Error): string | undefined {
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Every error in the cause chain, outermost first (drizzle wraps the driver's error in `cause`). */
export function causeChain(err: unknown): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 8 && !chain.includes(e); e = e.cause) chain.push(e);
  return chain;
}

function classify(e: Error): { kind: FaultKind; detail: string } | undefined {
  const code = codeOf(e);
  const first = e.message.split('\n')[0] ?? '';
  if (code !== undefined) {
    const sqlite = SQLITE.find(([re]) => re.test(code));
    if (sqlite) return { kind: sqlite[1], detail: first.startsWith(code) ? first : `${code}: ${first}` };
    const kind = ERRNO[code] ?? PG[code];
    if (kind) return { kind, detail: first.startsWith(code) ? first : `${code}: ${first}` };
  }
  const failed = CONNECTION_FAILED.exec(e.message);
  if (failed) return { kind: failed[1] === '14' ? KINDS.cantOpen : KINDS.io, detail: `SQLITE_CANTOPEN: unable to open database file (code ${failed[1]})` };
  return undefined;
}

/** A KilnFailure that keeps the driver error it explains as `cause` (KILN_DEBUG=1 prints the chain). */
export class StoreFault extends KilnFailure {
  constructor(error: KilnError, cause?: unknown) {
    super(error);
    this.name = 'StoreFault';
    if (cause !== undefined) this.cause = cause;
  }
}

/** The store fault an error (or anything in its cause chain) is, naming `where` (a path or redacted URL); undefined if none. */
export function storeFault(err: unknown, where: string): StoreFault | undefined {
  if (err instanceof StoreFault) return err;
  for (const e of causeChain(err)) {
    const hit = classify(e);
    if (!hit) continue;
    // SQLite reports a full disk under the -shm index as an I/O error (SQLITE_IOERR_SHMSIZE)
    const kind = hit.kind === KINDS.io && diskIsFull(where) ? KINDS.full : hit.kind;
    return new StoreFault({ code: kind.code, path: '', file: where, message: `${kind.what} (${hit.detail})`, hint: kind.hint }, err);
  }
  return undefined;
}

/** Whether the file system holding a file store has no space left for us (false for servers and unknowns). */
function diskIsFull(where: string): boolean {
  if (!isAbsolute(where)) return false;
  try {
    return statfsSync(dirname(where)).bavail === 0;
  } catch {
    return false;
  }
}

/** Rethrows an error as the store fault it is, else unchanged. */
export function asStoreFault(err: unknown, where: string): unknown {
  return storeFault(err, where) ?? err;
}

/** How a store is named in messages: a file store by its path, a server by its URL without password. */
export function storeLabel(url: string): string {
  if (url.startsWith('file:') && !url.includes(':memory:')) return fileURLToPath(url.split('?')[0] ?? url);
  return redactUrl(url);
}
