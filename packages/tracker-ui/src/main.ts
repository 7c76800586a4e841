// Process entry of the UI server (started through bin/serve.mjs). `kiln ui` parses the command line
// (its option table is the one source of the options) and passes them as JSON in argv[2].
import { KilnFailure } from '@kiln/core/errors';
import { serveUi, type ServeOptions } from './serve.ts';

function parseOptions(raw: string | undefined): ServeOptions {
  const o = (raw === undefined || raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>;
  const opts: ServeOptions = {};
  if (typeof o.store === 'string') opts.store = o.store;
  if (typeof o.port === 'number') opts.port = o.port;
  if (typeof o.host === 'string') opts.host = o.host;
  if (typeof o.tokenFile === 'string') opts.tokenFile = o.tokenFile;
  return opts;
}

try {
  const server = await serveUi(parseOptions(process.argv[2]));
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof KilnFailure) {
    // A refusal to start (no token off loopback, an unreadable token file): bad input, exit 2.
    for (const e of err.errors) console.error(`kiln ui: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
    process.exit(2);
  }
  const e = err as NodeJS.ErrnoException;
  console.error(e.code === 'EADDRINUSE' ? `kiln ui: the port is already in use (${e.message})` : `kiln ui: ${e.message}`);
  process.exit(1);
}
