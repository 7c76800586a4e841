/** Where a sweep trial ran when its run has not recorded a host yet. */

/** The host part of a sweep worker id (`host:pid:tag`), for a trial whose run has not started yet. */
export function workerHost(workerId: string | null): string | null {
  if (workerId === null) return null;
  const cut = workerId.indexOf(':');
  return cut <= 0 ? null : workerId.slice(0, cut);
}
