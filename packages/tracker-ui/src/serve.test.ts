import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isLoopback, serveUi } from './serve.ts';
import { tempStore } from './testing/seed.ts';

async function storeUrl(): Promise<string> {
  const s = await tempStore();
  s.close();
  return s.url;
}

describe('serveUi', () => {
  it('binds loopback by default, prints the address, checks Host and closes', async () => {
    const lines: string[] = [];
    const server = await serveUi({ store: await storeUrl(), port: 0, env: {}, log: (l) => lines.push(l) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines).toEqual([`Kiln UI: ${server.url}`]);
    expect((await fetch(`${server.url}/api/runs`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/runs`, { method: 'POST' })).status).toBe(405);
    await server.close();
    await expect(fetch(`${server.url}/api/runs`)).rejects.toThrow();
  });

  it('off loopback, refuses to start without a token and asks every request for it with one', async () => {
    const store = await storeUrl();
    await expect(serveUi({ store, port: 0, host: '0.0.0.0', env: {}, log: () => undefined })).rejects.toMatchObject({ errors: [{ code: 'auth/token-required', path: '--host' }] });
    const token = 'a-token-of-24-characters';
    const lines: string[] = [];
    const server = await serveUi({ store, port: 0, host: '0.0.0.0', env: { KILN_UI_TOKEN: token }, log: (l) => lines.push(l) });
    try {
      expect(lines[0]).toBe('serving on 0.0.0.0, reachable from other machines: every request needs the token from $KILN_UI_TOKEN');
      expect(lines.join('\n')).not.toContain(token);
      const port = new URL(server.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/api/runs`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/api/runs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.5')).toBe(false);
  });

  it('on loopback, a token is optional: given one, it is required there too', async () => {
    const token = 'loopback-token-0123456789';
    const server = await serveUi({ store: await storeUrl(), port: 0, env: { KILN_TOKEN: token }, log: () => undefined });
    try {
      expect((await fetch(`${server.url}/`)).status).toBe(401);
      expect((await fetch(`${server.url}/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('runs as the process `kiln ui` spawns (bin/serve.mjs with JSON options)', async () => {
    const entry = fileURLToPath(new URL('../bin/serve.mjs', import.meta.url));
    const child = spawn(process.execPath, [entry, JSON.stringify({ store: await storeUrl(), port: 0 })], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Kiln UI: (http:\S+)/.exec(out);
          if (m?.[1] !== undefined) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<h1>Experiments</h1>');
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
    expect(code).toBe(0);
  });
});
