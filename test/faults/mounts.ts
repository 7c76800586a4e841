/**
 * Real file-system faults for the store fault tests: a small tmpfs that fills up, and read-only
 * bind mounts of a folder or a single file (root ignores file modes, a read-only mount it cannot).
 * Mounting needs root (CI runs as root); elsewhere `MOUNT_UNAVAILABLE` says why, and the tests
 * that need it print that and skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mounted: string[] = [];
/** Mount points this module made (removed once unmounted). */
const madeDirs = new Set<string>();

function sh(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: 'pipe' });
}

/** Why this process cannot mount (undefined when it can). */
export const MOUNT_UNAVAILABLE: string | undefined = (() => {
  if (process.getuid?.() !== 0) return 'the disk-full and read-only-mount cases need root to mount a tmpfs (CI runs as root)';
  const dir = mkdtempSync(join(tmpdir(), 'kiln-mount-probe-'));
  try {
    sh('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    sh('umount', [dir]);
    return undefined;
  } catch (err) {
    return `mount -t tmpfs failed here (${String((err as Error).message).split('\n')[0]}); the disk-full and read-only-mount cases need it`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

/** A fresh tmpfs of `sizeKb` KiB; unmounted by unmountAll. */
export function tmpfs(sizeKb: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-tmpfs-'));
  madeDirs.add(dir);
  sh('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

/** Fills the file system holding `dir` until only `leaveBytes` are free (all of it by default). */
export function fillDisk(dir: string, leaveBytes = 0): void {
  const fs = statfsSync(dir);
  const size = Math.max(0, fs.bavail * fs.bsize - leaveBytes);
  try {
    writeFileSync(join(dir, 'filler'), Buffer.alloc(leaveBytes === 0 ? size + 1024 * 1024 : size));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
}

/** `src` (a folder or a file) seen read-only at a new path (a folder's, or the file itself when `inPlace`). */
export function readOnlyView(src: string, opts: { inPlace?: boolean } = {}): string {
  const target = opts.inPlace ? src : mkdtempSync(join(tmpdir(), 'kiln-ro-'));
  if (!opts.inPlace) madeDirs.add(target);
  sh('mount', ['--bind', src, target]);
  mounted.push(target);
  sh('mount', ['-o', 'remount,bind,ro', target]);
  return target;
}

/** Unmounts everything mounted here, newest first. */
export function unmountAll(): void {
  for (const dir of mounted.splice(0).reverse()) {
    try {
      sh('umount', [dir]);
    } catch {
      sh('umount', ['-l', dir]);
    }
    if (madeDirs.delete(dir)) rmSync(dir, { recursive: true, force: true });
  }
}
