/**
 * Following an alias: every few seconds the reference is resolved again (one indexed query), and when
 * it names another run (`kiln model alias NAME@4 production`, or a new latest version of a bare NAME)
 * that version is loaded beside the serving one and swapped in. A failed check or load keeps the
 * current model serving and is reported on /health and in one log line, not on every poll.
 */
import { parseModelRef, resolveModelRef, type ResolvedVersion, type Store } from '@kiln/core/store';
import type { Slot } from './slot.ts';

/** What /health says about reloading. */
export interface ReloadState {
  /** Seconds between checks; 0 when the reference cannot move (a run id, NAME@VERSION) or reloading is off. */
  everySeconds: number;
  lastCheckedAt: string | null;
  /** The last check's or load's failure, until one succeeds. */
  error: string | null;
  reloads: number;
}

/** How the watcher reaches the server's current model. */
export interface ReloadTarget {
  ref: string;
  store: Store;
  current: () => Slot;
  load: (runId: string, model: ResolvedVersion | null) => Promise<Slot>;
  swap: (next: Slot) => void;
  log: (line: string) => void;
}

/** True when the reference can point at another run later: NAME@ALIAS or a bare registered NAME. */
export function canMove(ref: string, model: ResolvedVersion | null): boolean {
  if (model === null) return false;
  const { selector } = parseModelRef(ref);
  return selector === null || !/^\d+$/.test(selector);
}

/** Starts checking every `everySeconds`; returns the state /health shows and a stop function. */
export function watchRef(target: ReloadTarget, everySeconds: number): { state: ReloadState; stop: () => void; check: () => Promise<void> } {
  const state: ReloadState = { everySeconds, lastCheckedAt: null, error: null, reloads: 0 };
  let running: Promise<void> | null = null;
  // A run that failed to load is not loaded again on every tick: only when the reference moves on.
  let failedRun: string | null = null;
  const fail = (what: string, e: unknown) => {
    const message = `${what}: ${e instanceof Error ? e.message : String(e)}`;
    if (state.error !== message) target.log(`reload: ${message}; still serving run ${target.current().info.runId}`);
    state.error = message;
  };
  const once = async () => {
    let resolved;
    try {
      resolved = await resolveModelRef(target.store, target.ref);
    } catch (e) {
      return fail(`cannot resolve ${target.ref}`, e);
    } finally {
      state.lastCheckedAt = new Date().toISOString();
    }
    if (resolved.runId === target.current().info.runId) {
      state.error = null;
      return;
    }
    if (resolved.runId === failedRun) return;
    try {
      const next = await target.load(resolved.runId, resolved.model);
      const before = target.current().info;
      target.swap(next);
      state.reloads += 1;
      state.error = null;
      target.log(`reload: ${target.ref} moved from run ${before.runId} to run ${resolved.runId}${resolved.model ? ` (version ${resolved.model.version})` : ''}; now serving it`);
    } catch (e) {
      failedRun = resolved.runId;
      fail(`cannot load run ${resolved.runId}`, e);
    }
  };
  // One check at a time: a slow load is not started again by the next tick.
  const check = () => (running ??= once().finally(() => (running = null)));
  const timer = everySeconds > 0 ? setInterval(() => void check(), everySeconds * 1000) : null;
  timer?.unref();
  return {
    state,
    check,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
