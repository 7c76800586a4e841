/** A tiny static file server for the export test: URL prefixes mapped to folders or files on disk, on 127.0.0.1. */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.bin': 'application/octet-stream', '.md': 'text/markdown' };

/** The file a URL path names under one of the mounts, or undefined (paths that climb out of a mount are refused). */
async function fileFor(mounts: Record<string, string>, path: string): Promise<string | undefined> {
  for (const [prefix, target] of Object.entries(mounts)) {
    if (path === prefix) return target;
    if (!path.startsWith(`${prefix}/`)) continue;
    const file = normalize(join(target, decodeURIComponent(path.slice(prefix.length + 1))));
    if (!file.startsWith(target + sep)) return undefined;
    return (await stat(file).catch(() => undefined))?.isFile() ? file : undefined;
  }
  return undefined;
}

/** Serves `mounts` (URL prefix -> folder, or exact path -> file); returns the base URL and a close function. */
export async function serveStatic(mounts: Record<string, string>): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    void fileFor(mounts, path).then(async (file) => {
      if (!file) return void res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((ok) => server.close(() => ok())) };
}
