// How long a trial may go without a heartbeat, and whether a worker process still exists.
import { hostname } from 'node:os';

/** Milliseconds without a heartbeat after which a running trial is requeued (env KILN_TRIAL_STALE_MS, default 60 s). */
export function trialStaleMs(): number {
  const v = Number(process.env.KILN_TRIAL_STALE_MS);
  return Number.isFinite(v) && v > 0 ? v : 60_000;
}

/**
 * False only when the worker id names a process on this host that no longer exists, so its trial
 * can be requeued at once instead of after the stale timeout; unknown ids count as alive.
 */
export function workerAlive(workerId: string | null): boolean {
  if (workerId === null) return false;
  const [host, pidText] = workerId.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
