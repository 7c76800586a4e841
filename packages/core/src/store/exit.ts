/** Process-exit handling for a live run: signals mark it `killed`, uncaught errors mark it `failed`. */
import type { RunHandle } from './tracker.ts';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit code a shell reports for a process ended by each signal (128 + its number). */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export interface ExitHandlerOptions {
  /** How to leave the process (default process.exit). */
  exit?: (code: number) => void;
  /**
   * Stops the work in progress instead of ending the run here: the run's owner then ends it as
   * `killed`, removes its temporary files and exits with SIGNAL_EXIT[signal]. A run ended here
   * while the owner still writes to it would race the owner's own end and store close. A second
   * signal ends the run here anyway, for work that does not stop.
   */
  stop?: (signal: StopSignal) => void;
  /** Synchronous last cleanup (temporary files) before this handler exits the process. */
  cleanup?: () => void;
}

// The parent as it was when Kiln started. pnpm 12 and npm 11 die on SIGTERM without passing it on,
// and their `sh -c` goes with them, so the script's process is re-parented: a changed ppid is then
// the only sign that someone asked it to stop.
const launcherPid = process.ppid;

/**
 * Calls `onOrphaned` once when the package manager that started this process (its script shell)
 * is gone; a no-op outside package-manager scripts, so `nohup kiln train &` outlives its shell.
 * Returns a function that stops watching.
 */
export function watchLauncher(onOrphaned: () => void, everyMs = 200): () => void {
  if (process.env.npm_lifecycle_event === undefined) return () => {};
  const check = () => {
    if (process.ppid === launcherPid) return false;
    clearInterval(timer);
    onOrphaned();
    return true;
  };
  const timer = setInterval(check, everyMs).unref();
  // Orphaned before anyone watched (SIGTERM during start-up): stop now.
  queueMicrotask(check);
  return () => clearInterval(timer);
}

/** Installs SIGINT/SIGTERM (and orphaned-by-launcher) and uncaught-error handlers for `run`; returns a function that removes them. */
export function installExitHandlers(run: RunHandle, opts: ExitHandlerOptions = {}): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let finishing = false;
  let stopping = false;
  const finish = async (status: 'killed' | 'failed', reason: string, code: number): Promise<void> => {
    if (finishing) return;
    finishing = true;
    try {
      await run.end(status, reason);
    } catch (err) {
      process.stderr.write(`kiln: could not record run ${run.id} as ${status}: ${String(err)}\n`);
    }
    opts.cleanup?.();
    exit(code);
  };
  const onSignal = (signal: StopSignal) => () => {
    if (opts.stop && !stopping) {
      stopping = true;
      opts.stop(signal);
      return;
    }
    void finish('killed', `received ${signal}`, SIGNAL_EXIT[signal]);
  };
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  const onError = (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    void finish('failed', err instanceof Error ? err.message : String(err), 1);
  };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  const unwatch = watchLauncher(handlers.SIGTERM);
  return () => {
    unwatch();
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}
