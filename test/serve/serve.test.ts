/**
 * `kiln serve` through the real binary: predictions equal `kiln predict` on the same rows, concurrent
 * requests share model calls, the server follows its alias, per-row 400s, and the token off loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, kiln, REPO } from '../cli/run-cli.ts';

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Island', 'Sex'];
const TOKEN = 'serve-test-token-5f1c9a7e2b';

const dir = mkdtempSync(join(tmpdir(), 'kiln-serve-'));
const env = { KILN_STORE: join(dir, 'kiln.db'), KILN_SERVE_TOKEN: '', KILN_TOKEN: '' };
const rowsFile = join(dir, 'rows.jsonl');

/** 12 real penguins with every measurement (the pipeline's numeric features refuse missing values), species left out. */
const ROWS = (JSON.parse(readFileSync(join(REPO, 'pipelines/node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Record<string, unknown>[])
  .filter((p) => FEATURES.slice(0, 4).every((f) => typeof p[f] === 'number'))
  .filter((_, i) => i % 29 === 0)
  .slice(0, 12)
  .map((p) => Object.fromEntries(FEATURES.map((f) => [f, p[f]])));

/** Runs kiln without blocking (two trainings at once). */
function kilnAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ok = (args: string[]) => {
  const r = kiln(args, { env });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

const cache = new Map<string, unknown[]>();
/** kiln predict's JSONL lines for a rows file (each asked once). */
function predicted(ref: string, file = rowsFile): unknown[] {
  const key = `${ref} ${file}`;
  const lines = cache.get(key) ?? ok(['predict', ref, file]).trim().split('\n').map((l) => JSON.parse(l) as unknown);
  cache.set(key, lines);
  return lines;
}

interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Starts `kiln serve` on a free port and waits for the line that gives its address. */
function startServer(args: string[], extraEnv: Record<string, string> = {}): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...env, ...extraEnv } });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = / on (http:\/\/\S+) \(POST/.exec(out);
      if (m?.[1]) resolve({ url: m[1].replace('0.0.0.0', '127.0.0.1'), child, output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`kiln serve exited ${code} before listening:\n${out}`)));
  });
}

const stopped = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (c) => resolve(c))));

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${url}/predict`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: r.status, body: (await r.json()) as { predictions: unknown[]; model: { runId: string; version: number }; error: { message: string; errors: { row: number; field: string; message: string }[] } } };
}

async function health(url: string, headers: Record<string, string> = {}) {
  return (await (await fetch(`${url}/health`, { headers })).json()) as { model: { runId: string; version: number }; stats: { requests: number; modelCalls: number } };
}

let runs: string[] = [];
let server: Server;

beforeAll(async () => {
  writeFileSync(rowsFile, ROWS.map((r) => JSON.stringify(r)).join('\n'));
  // two small models at once: version 1 and version 2 of "peng"
  const trained = await Promise.all([1, 2].map((seed) => kilnAsync(['train', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=1', '--set', `seed=${seed}`, '--json'])));
  runs = trained.map((t) => {
    expect(t.code, t.stderr).toBe(0);
    return (JSON.parse(t.stdout) as { runId: string }).runId;
  });
  for (const run of runs) ok(['model', 'register', run, '--name', 'peng']);
  ok(['model', 'alias', 'peng@1', 'production']);
  server = await startServer(['peng@production', '--batch-wait-ms', '40', '--reload-seconds', '0.5']);
}, 120_000);

afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('kiln serve', () => {
  it('predicts what kiln predict predicts for the same rows, value for value; one row object too', async () => {
    const r = await post(server.url, { rows: ROWS });
    expect(r.status).toBe(200);
    expect(r.body.model).toMatchObject({ runId: runs[0], version: 1 });
    expect(r.body.predictions).toEqual(predicted(runs[0] ?? ''));
    // one row is one model call of one row, as kiln predict of a one-row file
    const oneFile = join(dir, 'one.jsonl');
    writeFileSync(oneFile, JSON.stringify(ROWS[3]));
    const one = await post(server.url, ROWS[3]);
    expect(one.body.predictions).toEqual(predicted(runs[0] ?? '', oneFile));
  });

  it('answers a 400 naming each bad row and field', async () => {
    const r = await post(server.url, { rows: [ROWS[0], { ...ROWS[1], 'Body Mass (g)': 'heavy' }, { Island: 'Dream' }] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("2 of 3 row(s) do not fit the model's input columns");
    expect(r.body.error.errors[0]).toEqual({ row: 1, field: 'Body Mass (g)', message: 'column "Body Mass (g)" must be a number (this feature has missing: error), got "heavy"' });
    expect(r.body.error.errors.slice(1).map((e) => [e.row, e.field])).toEqual([[2, 'Beak Length (mm)'], [2, 'Beak Depth (mm)'], [2, 'Flipper Length (mm)'], [2, 'Body Mass (g)']]);
  });

  it('batches concurrent requests into fewer model calls (counted on /health)', async () => {
    const before = await health(server.url);
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => post(server.url, ROWS[i % ROWS.length])));
    expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
    const after = await health(server.url);
    expect(after.stats.requests - before.stats.requests).toBe(24);
    const calls = after.stats.modelCalls - before.stats.modelCalls;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(12);
  });

  it('loads the new version when the alias moves, then finishes gracefully on SIGTERM', async () => {
    ok(['model', 'alias', 'peng@2', 'production']);
    const deadline = Date.now() + 30_000;
    while ((await health(server.url)).model.runId !== runs[1] && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await health(server.url)).model).toMatchObject({ runId: runs[1], version: 2 });
    expect(server.output()).toContain(`reload: peng@production moved from run ${runs[0]} to run ${runs[1]} (version 2); now serving it`);
    expect((await post(server.url, { rows: ROWS })).body.predictions).toEqual(predicted(runs[1] ?? ''));
    // the alias removed: the server says so on /health and goes on serving what it has
    ok(['model', 'alias', 'peng', 'production', '--delete']);
    let reload: { error: string | null } = { error: null };
    while (reload.error === null && Date.now() < deadline + 30_000) reload = ((await (await fetch(`${server.url}/health`)).json()) as { reload: { error: string | null } }).reload;
    expect(reload.error).toContain('cannot resolve peng@production');
    expect((await post(server.url, ROWS[0])).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await stopped(server.child)).toBe(0);
    expect(server.output()).toContain('SIGTERM, finishing the requests in flight');
    // one line per request, never the rows
    expect(server.output()).toMatch(/Z POST \/predict 200 12 row\(s\) [\d.]+ ms/);
    expect(server.output()).not.toContain('Torgersen');
  }, 60_000);
});

describe('kiln serve off loopback', () => {
  it('refuses to start without a token (exit 2, located, no stack); an unknown model is a located error too', () => {
    const r = kiln(['serve', 'peng@production', '--host', '0.0.0.0'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('auth/token-required');
    expect(r.stderr).toContain('kiln serve will not listen on 0.0.0.0 without credentials');
    expect(r.stderr).not.toMatch(STACK_FRAME);
    const typo = kiln(['serve', 'pneg@2'], { env });
    expect([typo.code, typo.stderr.includes('did you mean "peng"?')]).toEqual([2, true]);
  });

  it('with a token file: 401 on every route without it or with a wrong one, served with it; the token is never logged', async () => {
    const tokenFile = join(dir, 'serve.token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const s = await startServer(['peng@2', '--host', '0.0.0.0', '--token-file', tokenFile]);
    try {
      const denied: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-token-0000000' }];
      for (const headers of denied) {
        for (const path of ['/health', '/schema', '/predict', '/nope']) expect((await fetch(`${s.url}${path}`, { headers })).status, path).toBe(401);
        expect((await post(s.url, ROWS[0], headers)).status).toBe(401);
      }
      const right = { authorization: `Bearer ${TOKEN}` };
      expect((await health(s.url, right)).model.version).toBe(2);
      expect((await post(s.url, { rows: ROWS }, right)).body.predictions).toEqual(predicted(runs[1] ?? ''));
      expect(s.output()).not.toContain(TOKEN);
    } finally {
      s.child.kill('SIGTERM');
      await stopped(s.child);
    }
  }, 60_000);
});
