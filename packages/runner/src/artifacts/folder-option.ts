/** The artifacts folder a user names (--artifacts, KILN_ARTIFACTS), checked before anything trains into it. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KilnError } from '@kiln/core/errors';

/** Why `dir` cannot be an artifacts folder (it exists and is no folder), or undefined; `path` is the option or variable. */
export function artifactsFolderProblem(dir: string, path: string): KilnError | undefined {
  const full = resolve(dir);
  const st = statSync(full, { throwIfNoEntry: false });
  if (dir.trim() === '') return { code: 'cli/bad-option', path, message: `${path} is empty`, hint: 'name a folder, e.g. --artifacts /mnt/team/kiln-artifacts' };
  if (st === undefined || st.isDirectory()) return undefined;
  return { code: 'cli/bad-option', path, message: `${path} names ${full}, which is a file, not a folder`, hint: 'name a folder (it is created if missing) that every machine using the store can read' };
}
