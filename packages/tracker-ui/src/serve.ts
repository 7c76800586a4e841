/** Serving the app on a socket: loopback by default; another --host is allowed but warned about. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { openStore } from './data/store.ts';
import { createApp } from './app.ts';

export interface ServeOptions {
  /** Store URL or path (default: KILN_STORE or .kiln/kiln.db). */
  store?: string;
  port?: number;
  host?: string;
  artifactsRoot?: string;
  /** Where the address and warnings go (default console.log). */
  log?: (line: string) => void;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for hosts that keep the UI on this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Opens the store, serves the UI and prints its address; resolves once listening. */
export async function serveUi(opts: ServeOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => console.log(line));
  const store = await openStore(opts.store, { mode: 'read' }); // the UI only reads: it works on a full disk or a read-only store
  const app = createApp({ store, artifactsRoot: opts.artifactsRoot, allowedHosts: isLoopback(host) ? [] : [host] });
  if (!isLoopback(host)) {
    log(`warning: serving on ${host}, reachable from other machines; the UI has no authentication and shows every run in the store`);
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 4000, hostname: host }, () => resolve(s));
    s.once('error', reject);
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
