/** Where and with what a run was produced: git state and machine facts, tolerant of missing git. */
import { execFileSync } from 'node:child_process';
import { hostname, platform, release, arch } from 'node:os';

export interface Provenance {
  gitCommit: string | null;
  gitDirty: boolean | null;
  host: string;
  os: string;
  nodeVersion: string;
  tfjsVersion?: string | null;
  tfjsBackend?: string | null;
  kilnVersion?: string | null;
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    return null; // no git binary, not a repository, or no commits yet
  }
}

/** Collects git commit + dirty flag (null outside a repository), host, OS and Node version. */
export function collectProvenance(cwd: string = process.cwd()): Provenance {
  const head = git(['rev-parse', 'HEAD'], cwd);
  const status = head === null ? null : git(['status', '--porcelain'], cwd);
  return {
    gitCommit: head === null ? null : head.trim(),
    gitDirty: status === null ? null : status.trim().length > 0,
    host: hostname(),
    os: `${platform()} ${release()} ${arch()}`,
    nodeVersion: process.version,
  };
}
