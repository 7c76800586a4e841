/**
 * Retry with backoff for the rare SQLITE_BUSY that outlives the busy timeout (e.g. WAL snapshot
 * upgrades), and PostgreSQL's serialization failures and deadlocks, which the server asks to retry.
 */

const BUSY_PATTERN = /SQLITE_BUSY|database is locked|SQLITE_LOCKED/i;
/** PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected. */
const PG_RETRY = new Set(['40001', '40P01']);

/** True when an error (or its cause chain) is a lock conflict worth retrying. */
export function isBusyError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = (current as Error & { code?: unknown }).code;
      if (typeof code === 'string' && (BUSY_PATTERN.test(code) || PG_RETRY.has(code))) return true;
      if (BUSY_PATTERN.test(current.message)) return true;
      current = current.cause;
    } else {
      return false;
    }
  }
  return false;
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Runs `fn`, retrying busy errors with jittered exponential backoff; other errors pass through. */
export async function withBusyRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 12;
  const base = opts.baseDelayMs ?? 10;
  const max = opts.maxDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isBusyError(err)) throw err;
      const delay = Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
