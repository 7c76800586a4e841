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
    const server = await serveUi({ store: await storeUrl(), port: 0, log: (l) => lines.push(l) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines).toEqual([`Kiln UI: ${server.url}`]);
    expect((await fetch(`${server.url}/api/runs`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/runs`, { method: 'POST' })).status).toBe(405);
    await server.close();
    await expect(fetch(`${server.url}/api/runs`)).rejects.toThrow();
  });

  it('warns when told to bind a non-loopback host', async () => {
    const lines: string[] = [];
    const server = await serveUi({ store: await storeUrl(), port: 0, host: '0.0.0.0', log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/^warning: serving on 0\.0\.0\.0, reachable from other machines/);
    await server.close();
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.5')).toBe(false);
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
