import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { KilnFailure } from '@kiln/core/errors';
import { watchLauncher } from '@kiln/core/store';
import { usageError } from '../exit.ts';
import type { Args } from '../options.ts';

/**
 * `kiln ui`: serve the tracker UI until Ctrl-C. The UI runs as its own process from the
 * tracker-ui package, so no package imports the UI's code; only its entry file is located here.
 */
export async function run(args: Args<'ui'>): Promise<number> {
  const { port, host, store } = args.options;
  const tokenFile = args.options['token-file'];
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError('cli/bad-option', '--port', `--port must be a port number (0-65535), got ${port}`);
  // Checked here too (the UI process checks again), so a refusal is a located error and exit 2, not a child's crash.
  const { UI_TOKEN_SOURCES, loadCredentials, refusal } = await import('@kiln/core/credentials');
  const refused = refusal(host, loadCredentials({ ...UI_TOKEN_SOURCES, ...(tokenFile === undefined ? {} : { tokenFile: resolve(tokenFile) }) }), 'kiln ui', UI_TOKEN_SOURCES);
  if (refused) throw new KilnFailure(refused);
  const entry = createRequire(import.meta.url).resolve('@kiln/tracker-ui/main');
  // The token file's path, never the token, goes on the command line.
  const opts = { port, host, ...(tokenFile === undefined ? {} : { tokenFile: resolve(tokenFile) }) };
  // The store URL goes through the environment: on the command line its password would show in `ps`.
  const env = store === undefined ? process.env : { ...process.env, KILN_STORE: store };
  const child = spawn(process.execPath, [entry, JSON.stringify(opts)], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  // pnpm/npm die on SIGTERM without passing it on: the orphaned UI would go on serving.
  watchLauncher(forward('SIGTERM'));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return code ?? 0;
}
