/**
 * vitest globalSetup: the end-to-end tests spawn the real `kiln` binary, which runs the built
 * JavaScript in packages/<name>/dist; building it once here (esbuild, under a second, no
 * declarations) makes them test the sources as they are now, not the last `pnpm build`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));

/** Runs the JavaScript build; a failed build stops the test run with esbuild's messages. */
export default function setup(): void {
  const r = spawnSync(process.execPath, [BUILD, '--js'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the JavaScript build failed (node scripts/build.mjs --js):\n${r.stderr}`);
}
