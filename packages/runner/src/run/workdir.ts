/**
 * A run's scratch folder (checkpoints, files before they become artifacts). Its name carries the
 * process id, so a process killed with -9, which cannot clean up, has its folder removed by the
 * next run on the machine instead of leaving it in the temp dir for good.
 */
import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'kiln-run-';

/** Whether a process with this id is alive (EPERM: alive, owned by another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes scratch folders left by dead processes; returns how many. */
export function sweepOrphanWorkDirs(dir: string = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const pid = /^kiln-run-(\d+)-/.exec(name)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** Makes this run's scratch folder, first clearing those of dead processes. */
export async function makeWorkDir(dir: string = tmpdir()): Promise<string> {
  try {
    sweepOrphanWorkDirs(dir);
  } catch {
    // an unreadable temp dir must not stop a run: the folder below is what matters
  }
  return mkdtemp(join(dir, `${PREFIX}${process.pid}-`));
}
