// Asset paths that work both from the TypeScript sources (src/x/y.ts) and from the esbuild bundles
// (dist/chunk-*.js): the two sit at different depths, so files are found from the package root.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the nearest package.json at or above the module `moduleUrl` (pass import.meta.url). */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(moduleUrl)}`);
    dir = up;
  }
  return dir;
}

/** A file or folder of the package that holds the module `moduleUrl`: packagePath(import.meta.url, 'drizzle', 'sqlite'). */
export function packagePath(moduleUrl: string, ...parts: string[]): string {
  return join(packageRoot(moduleUrl), ...parts);
}
