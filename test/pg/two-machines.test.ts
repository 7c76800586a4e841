/**
 * Artifacts every machine can read: machine A trains into a PostgreSQL store (artifacts in the
 * database); then A's folder is gone, and machine B (its own folder and caches) predicts with A's
 * run, fine-tunes from it (model.from), and serves its files in the UI, sha256 checked. A damaged
 * chunk in the database is caught on read. Also: a shared artifacts folder, and `kiln store copy`
 * carrying artifacts between a store file and PostgreSQL both ways.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRun, openStore } from '@kiln/core/store';
import { freshPgUrl, scalar, stopTestCluster, storeRows } from '../../packages/core/src/store/testing/stores.ts';
import { machine, on, penguins, rows, sha256, startUi, stopUi } from './machines.ts';

afterAll(stopTestCluster);

const TINY: [string, string][] = [['epochs: 100', 'epochs: 2']];

function trained(r: { code: number | null; stdout: string; stderr: string }): { runId: string } {
  if (r.code !== 0) throw new Error(`kiln exited ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as { runId: string };
}

async function recordOf(url: string, runId: string, name: string) {
  const store = await openStore(url, { mode: 'read' });
  try {
    const rec = (await getRun(store, runId))?.artifacts.find((a) => a.path === `${runId}/${name}`);
    if (rec === undefined) throw new Error(`run ${runId} has no ${name}`);
    return rec;
  } finally {
    store.close();
  }
}

describe('two machines on one PostgreSQL store', () => {
  it('B predicts with, fine-tunes from and serves A\'s run without A\'s folder; a damaged chunk is caught', async () => {
    const url = await freshPgUrl();
    const a = machine(url);
    const { runId } = trained(on(a, ['train', penguins(a, 'penguins', TINY), '--json']));
    const before = on(a, ['predict', runId, rows(a)]);
    expect(before.code, before.stderr).toBe(0);
    // A's folder, with whatever the run wrote there, is gone: B can only read the store.
    rmSync(a.cwd, { recursive: true, force: true });

    const b = machine(url);
    const predicted = on(b, ['predict', runId, rows(b)]);
    expect(predicted.code, predicted.stderr).toBe(0);
    expect(predicted.stdout).toBe(before.stdout);
    expect(existsSync(join(b.cwd, 'artifact-cache', 'runs', runId, 'weights.bin'))).toBe(true);

    const fine = trained(on(b, ['train', penguins(b, 'fine', [...TINY, ['model:\n', `model:\n  from: { run: ${runId} }\n`]]), '--json']));
    const store = await openStore(url, { mode: 'read' });
    expect((await getRun(store, fine.runId))?.parentRunId).toBe(runId);
    // Deduplicated: a content logged by both runs (or twice) is one blob.
    expect(await scalar(store, 'SELECT count(*) - count(DISTINCT sha256) AS n FROM blobs')).toBe(0);
    store.close();

    const weights = await recordOf(url, runId, 'weights.bin');
    const { ui, url: web } = await startUi(b);
    try {
      const res = await fetch(`${web}/runs/${runId}/artifacts/weights.bin`);
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe(`"sha256-${weights.sha256}"`);
      const body = Buffer.from(await res.arrayBuffer());
      expect([body.length, sha256(body)]).toEqual([weights.size, weights.sha256]);

      // One byte of the weights' first chunk changed in the database.
      const admin = await openStore(url);
      await storeRows(admin)`UPDATE blob_chunks SET data = set_byte(data, 3, (get_byte(data, 3) + 1) % 256) WHERE sha256 = ${weights.sha256} AND idx = 0`;
      admin.close();
      const damaged = await fetch(`${web}/runs/${runId}/artifacts/weights.bin`);
      // The headers went out before the last byte: the check at the end aborts the body.
      await expect(damaged.arrayBuffer()).rejects.toThrow();
    } finally {
      await stopUi(ui);
    }
    const c = machine(url);
    const refused = on(c, ['predict', runId, rows(c)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error[artifact/changed]`);
    expect(refused.stderr).toContain(`run ${runId}'s weights.bin has changed since the run saved it`);
    expect(existsSync(join(c.cwd, 'artifact-cache', 'sha256', weights.sha256.slice(0, 2), weights.sha256))).toBe(false);
  });

  it('a shared artifacts folder (--artifacts / KILN_ARTIFACTS) instead of the database', async () => {
    const url = await freshPgUrl();
    const shared = machine(url).cwd;
    const a = machine(url);
    const { runId } = trained(on(a, ['train', penguins(a, 'penguins', TINY), '--artifacts', shared, '--json']));
    expect(existsSync(join(shared, runId, 'weights.bin'))).toBe(true);
    const store = await openStore(url, { mode: 'read' });
    expect(await scalar(store, 'SELECT count(*) AS n FROM blobs')).toBe(0);
    store.close();
    const b = machine(url, { KILN_ARTIFACTS: shared });
    const ok = on(b, ['predict', runId, rows(b)]);
    expect(ok.code, ok.stderr).toBe(0);
    // Without the folder, the error says where the files were looked for and how to point at them.
    const lost = machine(url);
    const missing = on(lost, ['predict', runId, rows(lost)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[artifact/missing]');
    expect(missing.stderr).toContain('point --artifacts (or KILN_ARTIFACTS) at the folder');
  });

  it('kiln store copy carries artifacts from a store file into PostgreSQL and back, checked', async () => {
    const a = machine('');
    const file = join(a.cwd, 'kiln.db');
    const { runId } = trained(on(a, ['train', penguins(a, 'penguins', TINY), '--store', file, '--json']));
    const local = on(a, ['predict', runId, rows(a), '--store', file]);
    const url = await freshPgUrl();
    const copied = on(a, ['store', 'copy', '--from', file, '--to', url]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/artifacts: \d+ logged; \d+ copied into the store/);
    rmSync(join(a.cwd, 'artifacts'), { recursive: true });
    const b = machine(url);
    const remote = on(b, ['predict', runId, rows(b)]);
    expect(remote.code, remote.stderr).toBe(0);
    expect(remote.stdout).toBe(local.stdout);
    // Back into a new store file: the files land in its artifacts folder, checked as they are written.
    const back = join(b.cwd, 'back', 'kiln.db');
    const returned = on(b, ['store', 'copy', '--from', url, '--to', back, '--json']);
    expect(returned.code, returned.stderr).toBe(0);
    const { artifacts } = JSON.parse(returned.stdout) as { artifacts: { artifacts: number; copied: number; present: number } };
    expect(artifacts.copied).toBe(artifacts.artifacts);
    const weights = await recordOf(url, runId, 'weights.bin');
    expect(sha256(readFileSync(join(b.cwd, 'back', 'artifacts', runId, 'weights.bin')))).toBe(weights.sha256);
    const backStore = await openStore(back, { mode: 'read' });
    expect(await scalar(backStore, 'SELECT count(*) AS n FROM blob_chunks')).toBe(0);
    backStore.close();
    const again = on(b, ['predict', runId, rows(b), '--store', back]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(local.stdout);
    // A source whose files are gone cannot be copied: the copy says which one.
    const lost = on(b, ['store', 'copy', '--from', file, '--to', join(b.cwd, 'third', 'kiln.db'), '--to-artifacts', join(b.cwd, 'files')]);
    expect(lost.code).not.toBe(0);
    expect(lost.stderr).toContain('error[artifact/missing]');
  });
});
