/**
 * Whether an optional libtensorflow package (@tensorflow/tfjs-node, -gpu) is usable without importing it.
 * pnpm keeps an optional package whose install script failed (libtensorflow could not be downloaded)
 * linked but without its addon; importing it then costs seconds (the whole @tensorflow/tfjs union loads
 * before the addon is missed) and prints a warning per kernel, so `auto` looks for the addon first.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The package's directory, or null when it is not installed. */
function packageDir(pkg: string): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
  } catch {
    return null;
  }
}

/** True when `pkg` is installed with its native addon (lib/napi-v<N>/tfjs_binding.node, as its install script leaves it). */
export function nativeAddonPresent(pkg: string): boolean {
  const dir = packageDir(pkg);
  if (dir === null) return false;
  const lib = join(dir, 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((napi) => existsSync(join(lib, napi, 'tfjs_binding.node')));
}
