/** Where a run started from user code comes from: the script, its hash, and the git and machine facts core collects. */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { collectProvenance, sha256File, type Provenance } from '@kiln/core/store';

export interface ScriptSource {
  /** The script's path relative to its git repository's top folder, else absolute; null when there is no script (REPL, `node -e`). */
  path: string | null;
  /** The script's name without folder or extension, e.g. `track-fit`; null without a script. */
  stem: string | null;
  sha256: string | null;
  /** Git state of the script's folder (not the working directory's: the script may live in another repository). */
  provenance: Provenance;
}

function gitTopLevel(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
  } catch {
    return null; // no git, or not inside a repository
  }
}

/** Describes `script` (default: the process's main script, `process.argv[1]`). */
export async function scriptSource(script: string | undefined = process.argv[1]): Promise<ScriptSource> {
  const file = script === undefined || script === '' ? null : resolve(script);
  if (file === null || !existsSync(file) || !statSync(file).isFile()) {
    return { path: null, stem: null, sha256: null, provenance: collectProvenance(process.cwd()) };
  }
  const dir = dirname(file);
  const top = gitTopLevel(dir);
  return {
    path: top === null ? file : relative(top, file).split('\\').join('/'),
    stem: basename(file, extname(file)),
    sha256: await sha256File(file),
    provenance: collectProvenance(dir),
  };
}
