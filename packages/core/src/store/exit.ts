/** Process-exit handling for a live run: signals mark it `killed`, uncaught errors mark it `failed`. */
import type { RunHandle } from './tracker.ts';

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** Installs SIGINT/SIGTERM and uncaught-error handlers for `run`; returns a function that removes them. */
export function installExitHandlers(run: RunHandle, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let finishing = false;
  const finish = async (status: 'killed' | 'failed', reason: string, code: number): Promise<void> => {
    if (finishing) return;
    finishing = true;
    try {
      await run.end(status, reason);
    } catch (err) {
      process.stderr.write(`kiln: could not record run ${run.id} as ${status}: ${String(err)}\n`);
    }
    exit(code);
  };
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => void finish('killed', `received ${signal}`, SIGNAL_EXIT[signal]);
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  const onError = (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    void finish('failed', err instanceof Error ? err.message : String(err), 1);
  };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}
