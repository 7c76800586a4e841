/**
 * `kiln serve`: resolve the reference, load the model once, listen (loopback by default; anywhere
 * else only with a token, core's credentials check), follow the alias, and close gracefully: stop
 * accepting, answer what was accepted, free the model and the store.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { loadCredentials, refusal, type CredentialSources } from '@kiln/core/credentials';
import { KilnFailure, kilnError } from '@kiln/core/errors';
import { allowedHostsFor } from '@kiln/core/hosts';
import { openStore, resolveModelRef, type ResolvedVersion } from '@kiln/core/store';
import { selectBackend, type BackendChoice } from '../backend/select.ts';
import { createServeApp } from './app.ts';
import { createBatcher, type Batcher } from './batcher.ts';
import { canMove, watchRef } from './reload.ts';
import { loadSlot, retire, type Slot } from './slot.ts';

/** Where kiln serve looks for its token: --token-file, else $KILN_SERVE_TOKEN, else $KILN_TOKEN. */
export const SERVE_TOKEN_SOURCES = { envNames: ['KILN_SERVE_TOKEN', 'KILN_TOKEN'], fileOption: '--token-file' } as const satisfies Pick<CredentialSources, 'envNames' | 'fileOption'>;

export interface ServeModelOptions {
  /** NAME@ALIAS, NAME@VERSION, NAME or a run id (or prefix). */
  ref: string;
  store?: string;
  host: string;
  port: number;
  maxBatch: number;
  batchWaitMs: number;
  /** Seconds between alias checks; 0 turns reloading off. */
  reloadSeconds: number;
  strict: boolean;
  maxBodyBytes: number;
  tokenFile?: string;
  env?: NodeJS.ProcessEnv;
  backend?: BackendChoice;
  log?: (line: string) => void;
}

/** How long close() waits for clients to finish and hang up before cutting their connections. */
const CLOSE_GRACE_MS = 10_000;

/** A listening server. */
export interface ServedModel {
  url: string;
  /** The model serving now. */
  current: () => Slot;
  batcher: Batcher;
  /** Checks the alias now instead of waiting for the next tick (tests, and SIGHUP). */
  checkNow: () => Promise<void>;
  /** Stops accepting, answers what was accepted, frees the model and the store. */
  close: () => Promise<void>;
}

/** The credentials this server needs, or a located refusal (exit 2) before anything is loaded. */
function credentialsFor(opts: ServeModelOptions) {
  const credentials = loadCredentials({ ...SERVE_TOKEN_SOURCES, env: opts.env, ...(opts.tokenFile === undefined ? {} : { tokenFile: opts.tokenFile }) });
  const refused = refusal(opts.host, credentials, 'kiln serve', SERVE_TOKEN_SOURCES);
  if (refused) throw new KilnFailure({ ...refused, message: `kiln serve will not listen on ${opts.host} without credentials: anyone who can reach it could use the model` });
  return credentials;
}

/** Resolves, loads and serves; resolves once listening. Throws a KilnFailure when it may not start. */
export async function serveModel(opts: ServeModelOptions): Promise<ServedModel> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const credentials = credentialsFor(opts);
  await selectBackend(opts.backend ?? 'auto');
  const store = await openStore(opts.store, { mode: 'read' });
  const schemaOpts = { strict: opts.strict };
  const load = (runId: string, model: ResolvedVersion | null) => loadSlot(opts.ref, runId, model, opts.store, schemaOpts);
  let slot: Slot;
  try {
    const resolved = await resolveModelRef(store, opts.ref);
    slot = await load(resolved.runId, resolved.model);
  } catch (e) {
    store.close();
    throw e;
  }
  const swap = (next: Slot) => {
    const old = slot;
    slot = next;
    retire(old);
  };
  const watcher = watchRef({ ref: opts.ref, store, current: () => slot, load, swap, log }, canMove(opts.ref, slot.info.model) ? opts.reloadSeconds : 0);
  const batcher = createBatcher(opts.maxBatch, opts.batchWaitMs);
  const app = createServeApp({ current: () => slot, batcher, reload: watcher.state, credentials, allowedHosts: allowedHostsFor(opts.host), maxBodyBytes: opts.maxBodyBytes, startedAt: new Date().toISOString(), log });
  const server = await listen(app.fetch, opts.host, opts.port).catch((e: unknown) => {
    watcher.stop();
    slot.loaded.model.dispose();
    store.close();
    throw e;
  });
  if ('keepAliveTimeout' in server) {
    // Longer than the idle timeouts of load balancers in front (60 s on AWS's), so they never reuse a
    // connection this server is closing; Node's 5 s default makes clients race the close.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      watcher.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open; requests in flight are answered first,
        // and a client that keeps its connection open after that is cut off after a grace period.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        if ('closeAllConnections' in server) setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      });
      await batcher.drain();
      retire(slot);
      store.close();
    })());
  return { url, current: () => slot, batcher, checkNow: watcher.check, close };
}

/** Listens on host:port; a port in use or an address that is not this machine's is a located error. */
async function listen(fetch: (req: Request) => Response | Promise<Response>, host: string, port: number) {
  return new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch, port, hostname: host }, () => resolve(s));
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new KilnFailure(kilnError('serve/port-in-use', '--port', `port ${port} on ${host} is already in use`, 'pick another with --port, or --port 0 for any free port')));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new KilnFailure(kilnError('serve/bad-host', '--host', `cannot listen on ${host}: it is not an address of this machine`, 'use 127.0.0.1 (the default), 0.0.0.0 for every interface, or one of this machine\'s addresses')));
      else if (e.code === 'EACCES') reject(new KilnFailure(kilnError('serve/port-denied', '--port', `not allowed to listen on port ${port}`, 'ports below 1024 need privileges; pick one above, e.g. --port 4100')));
      else reject(e);
    });
  });
}
