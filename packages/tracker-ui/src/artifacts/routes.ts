/** GET /runs/:id/artifacts/<path>: downloads one file from the run's artifact folder, as an attachment. */
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { UiContext } from '../context.ts';
import { openServable } from './resolve.ts';
import { existingRuns } from '../data/store.ts';

const PREFIX = /^\/runs\/([^/]+)\/artifacts\/(.+)$/;

/** The raw (still percent-encoded) path after /artifacts/, decoded exactly once; null if malformed. */
function artifactPath(url: string): { runId: string; rel: string } | null {
  const m = PREFIX.exec(new URL(url).pathname);
  const [, runId, rel] = m ?? [];
  if (runId === undefined || rel === undefined) return null;
  try {
    return { runId: decodeURIComponent(runId), rel: decodeURIComponent(rel) };
  } catch {
    return null;
  }
}

/** Artifact download route; everything that would leave the run folder is a 400. */
export function artifactRoutes(ctx: UiContext): Hono {
  const app = new Hono();
  app.get('/runs/:id/artifacts/*', async (c) => {
    const parsed = artifactPath(c.req.url);
    if (parsed === null) throw new HTTPException(400, { message: 'Malformed artifact path' });
    // Only a stored run's folder is served: a folder under the artifacts root that is no run (left by a deleted run, or
    // put there by hand) is not reachable through the UI.
    if ((await existingRuns(ctx.store, [parsed.runId])).size === 0) throw new HTTPException(404, { message: `No run with id ${parsed.runId}` });
    const found = await openServable(ctx.store, ctx.artifactsRoot, parsed.runId, parsed.rel);
    if (!found.ok) throw new HTTPException(found.status, { message: `Artifact refused: ${found.reason}` });
    const name = found.name.replace(/[^\w.-]/g, '_');
    c.header('Content-Type', 'application/octet-stream');
    c.header('Content-Disposition', `attachment; filename="${name}"`);
    c.header('Content-Length', String(found.size));
    // The recorded sha256, for clients to check; the server checks it too as the bytes stream (a mismatch aborts the response).
    if (found.sha256 !== undefined) {
      c.header('ETag', `"sha256-${found.sha256}"`);
      c.header('Repr-Digest', `sha-256=:${Buffer.from(found.sha256, 'hex').toString('base64')}:`);
    }
    return c.body(Readable.toWeb(found.stream) as ReadableStream);
  });
  return app;
}
