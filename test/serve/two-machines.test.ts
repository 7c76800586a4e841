/**
 * `kiln serve` on a team store: machine A trains into PostgreSQL (artifacts in the database) and
 * registers the model; machine B (its own folder and caches) serves penguins@production, predicting
 * what `kiln predict` predicts there; when A moves the alias, B's server loads the new version.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPgUrl, stopTestCluster } from '@kiln/core/testing';
import { startKiln, waitUntil } from '../sweep/helpers.ts';
import { machine, on, penguins, rows } from '../pg/machines.ts';

afterAll(stopTestCluster);

function ok(r: { code: number | null; stdout: string; stderr: string }): string {
  if (r.code !== 0) throw new Error(`kiln exited ${r.code}\n${r.stderr}`);
  return r.stdout;
}

describe('kiln serve on a PostgreSQL store shared by two machines', () => {
  it("B serves A's registered model and follows the alias A moves", async () => {
    const url = await freshPgUrl();
    const a = machine(url);
    const b = machine(url);
    const file = penguins(a, 'p', [['epochs: 100', 'epochs: 1']]);
    const ids = [1, 2].map((seed) => (JSON.parse(ok(on(a, ['train', file, '--set', `seed=${seed}`, '--json']))) as { runId: string }).runId);
    for (const id of ids) ok(on(a, ['model', 'register', id, '--name', 'peng']));
    ok(on(a, ['model', 'alias', 'peng@1', 'production']));

    const input = rows(b);
    const body = JSON.stringify({ rows: readFileSync(input, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown) });
    const expected = (ref: string) => ok(on(b, ['predict', ref, input])).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    const server = startKiln(['serve', 'peng@production', '--port', '0', '--reload-seconds', '0.5'], { cwd: b.cwd, env: b.env });
    try {
      const base = await waitUntil(async () => / on (http:\S+) \(POST/.exec(server.stdout())?.[1], 60_000, 'kiln serve to listen').catch((e: Error) => {
        throw new Error(`${e.message}\n${server.stderr()}`);
      });
      const predict = async () => (await (await fetch(`${base}/predict`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })).json()) as { model: { runId: string }; predictions: unknown[] };
      const first = await predict();
      expect(first.model.runId).toBe(ids[0]);
      expect(first.predictions).toEqual(expected(ids[0] ?? ''));

      ok(on(a, ['model', 'alias', 'peng@2', 'production']));
      await waitUntil(async () => ((await predict()).model.runId === ids[1] ? true : undefined), 30_000, 'the server to load version 2');
      expect((await predict()).predictions).toEqual(expected(ids[1] ?? ''));
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  }, 180_000);
});
