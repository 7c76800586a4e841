/**
 * Serving the app on a socket: loopback by default. Any other address requires a token (core's
 * credentials check: $KILN_UI_TOKEN, $KILN_TOKEN or --token-file), or the server refuses to start.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { KilnFailure } from '@kiln/core/errors';
import { UI_TOKEN_SOURCES, isLoopback, loadCredentials, refusal } from '@kiln/core/credentials';
import { allowedHostsFor } from '@kiln/core/hosts';
import { openStore } from './data/store.ts';
import { createApp } from './app.ts';
import { behindToken } from './security/auth.ts';

export { isLoopback } from '@kiln/core/credentials';

export interface ServeOptions {
  /** Store URL or path (default: KILN_STORE or .kiln/kiln.db). */
  store?: string;
  port?: number;
  host?: string;
  artifactsRoot?: string;
  /** A file holding the token (--token-file); else $KILN_UI_TOKEN, then $KILN_TOKEN. */
  tokenFile?: string;
  /** Where the token is looked up (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where the address and warnings go (default console.log). */
  log?: (line: string) => void;
}

/** Opens the store, serves the UI and prints its address; resolves once listening. Throws a KilnFailure when it may not start. */
export async function serveUi(opts: ServeOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => console.log(line));
  const credentials = loadCredentials({ ...UI_TOKEN_SOURCES, tokenFile: opts.tokenFile, env: opts.env });
  const refused = refusal(host, credentials, 'kiln ui', UI_TOKEN_SOURCES);
  if (refused) throw new KilnFailure(refused);
  const store = await openStore(opts.store, { mode: 'read', ...(opts.artifactsRoot === undefined ? {} : { artifactsDir: opts.artifactsRoot }) }); // the UI only reads: it works on a full disk or a read-only store
  const app = behindToken(createApp({ store, artifactsRoot: opts.artifactsRoot, allowedHosts: allowedHostsFor(host) }), credentials);
  if (!isLoopback(host)) log(`serving on ${host}, reachable from other machines: every request needs the token from ${credentials?.source ?? 'nowhere'}`);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 4000, hostname: host }, () => resolve(s));
    s.once('error', reject);
  }).catch((err: unknown) => {
    store.close();
    throw err;
  });
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shown}:${addr.port}`;
  log(`Kiln UI: ${url}`);
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        store.close();
        resolve();
      });
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  return { url, close };
}
