/**
 * A fixed table of client files (the bundled script, the stylesheet) and uPlot's dist files; no
 * generic static folder, so nothing else on disk is reachable through /static/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { packagePath } from '@kiln/core/paths';
import { Hono } from 'hono';

const require = createRequire(import.meta.url);
const client = (name: string) => packagePath(import.meta.url, 'src', 'client', name);
// The client's modules bundled into one by the build (scripts/build.mjs), with @kiln/core/format in it.
const bundle = (name: string) => packagePath(import.meta.url, 'dist', 'client', name);

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** URL name under /static/ -> [file on disk, content type]. */
export const STATIC_FILES: Record<string, [string, string]> = {
  'app.js': [bundle('app.js'), JS],
  'app.css': [client('app.css'), CSS],
  'vendor/uPlot.esm.js': [require.resolve('uplot/dist/uPlot.esm.js'), JS],
  'vendor/uPlot.min.css': [require.resolve('uplot/dist/uPlot.min.css'), CSS],
};

interface Loaded {
  body: string;
  type: string;
  etag: string;
}

const cache = new Map<string, Loaded>();

function load(name: string): Loaded | undefined {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const entry = STATIC_FILES[name];
  if (entry === undefined) return undefined;
  const body = readFileSync(entry[0], 'utf8');
  const loaded = { body, type: entry[1], etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
  cache.set(name, loaded);
  return loaded;
}

/** Routes for /static/<name> and /static/vendor/<name>. */
export function staticRoutes(): Hono {
  const app = new Hono();
  const serve = (name: string) => (c: import('hono').Context) => {
    const file = load(name);
    if (file === undefined) return c.notFound();
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
    c.header('ETag', file.etag);
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Type', file.type);
    return c.body(file.body);
  };
  for (const name of Object.keys(STATIC_FILES)) app.get(`/static/${name}`, serve(name));
  // Browsers ask for this on every page; an empty answer keeps their consoles clean.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  return app;
}
