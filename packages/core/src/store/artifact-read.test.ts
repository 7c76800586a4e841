import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KilnFailure } from '../errors.ts';
import { copyArtifact, sha256File } from './artifacts.ts';
import { openArtifact, readArtifact } from './artifact-read.ts';
import { CHUNK_SIZE } from './blobs.ts';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { DIALECTS, freshStoreUrl, scalar, stopTestCluster } from './testing/stores.ts';

afterAll(stopTestCluster);

async function bytesOf(store: Store, runId: string, name: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of (await openArtifact(store, runId, name)).stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function failureOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e: unknown = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof KilnFailure)) throw new Error(`expected a KilnFailure, got ${String(e)}`);
  const [first] = e.errors;
  return { code: first?.code ?? '', message: first?.message ?? '' };
}

/** A store that keeps artifacts in its tables, a run in it, and a file of 2.5 chunks to log. */
async function setup(dialect: (typeof DIALECTS)[number]) {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-blobs-'));
  const store = await openStore(await freshStoreUrl(dialect), { artifactsIn: 'store', artifactsDir: join(dir, 'never-written') });
  const run = await createTracker(store).startRun({ experiment: 'blobs', config: {}, yaml: '', configHash: 'h' });
  const file = join(dir, 'weights.bin');
  writeFileSync(file, randomBytes(Math.floor(CHUNK_SIZE * 2.5)));
  return { dir, store, run, file };
}

describe.each(DIALECTS)('artifacts kept in the store (%s)', (dialect) => {
  it('streams a logged file back in 1 MiB chunks, byte for byte, and stores a content once however many runs log it', async () => {
    const { store, run, file } = await setup(dialect);
    const rec = await copyArtifact(store, run.id, file, 'weights');
    expect(rec).toMatchObject({ path: `${run.id}/weights.bin`, size: Math.floor(CHUNK_SIZE * 2.5), sha256: await sha256File(file) });
    expect(await scalar(store, 'SELECT count(*) AS n FROM blob_chunks')).toBe(3);
    const again = await createTracker(store).startRun({ experiment: 'blobs', config: {}, yaml: '', configHash: 'h' });
    await copyArtifact(store, again.id, file, 'weights');
    expect(await scalar(store, 'SELECT count(*) AS n FROM blob_chunks')).toBe(3);
    expect(await scalar(store, 'SELECT count(*) AS n FROM blobs')).toBe(1);
    const opened = await openArtifact(store, again.id, 'weights.bin');
    expect(opened.source).toBe('store');
    expect((await bytesOf(store, run.id, 'weights.bin')).equals(await readArtifact(store, rec))).toBe(true);
    expect((await readArtifact(store, rec)).equals(Buffer.from(await import('node:fs/promises').then((f) => f.readFile(file))))).toBe(true);
    store.close();
  });

  it('detects a corrupted or a missing chunk on read, and names the run and file', async () => {
    const { store, run, file } = await setup(dialect);
    const rec = await copyArtifact(store, run.id, file, 'weights');
    // One byte of the middle chunk flipped, as a disk or a hand edit would.
    const flip = dialect === 'pg' ? "UPDATE blob_chunks SET data = set_byte(data, 10, (get_byte(data, 10) + 1) % 256) WHERE idx = 1" : "UPDATE blob_chunks SET data = CAST(zeroblob(length(data)) AS BLOB) WHERE idx = 1";
    await store.conn.rows((await import('drizzle-orm')).sql.raw(flip));
    expect(await failureOf(readArtifact(store, rec))).toEqual({ code: 'artifact/changed', message: expect.stringMatching(new RegExp(`^run ${run.id}'s weights\\.bin has changed since the run saved it \\(sha256 [0-9a-f]{12}, recorded ${rec.sha256.slice(0, 12)}\\)$`)) });
    await store.conn.rows((await import('drizzle-orm')).sql.raw('DELETE FROM blob_chunks WHERE idx = 2'));
    expect(await failureOf(readArtifact(store, rec))).toMatchObject({ code: 'artifact/missing', message: expect.stringContaining('chunk 3 of 3 is missing') });
    store.close();
  });

  it('says which artifact a run never logged', async () => {
    const { store, run } = await setup(dialect);
    expect(await failureOf(openArtifact(store, run.id, 'model.json'))).toEqual({ code: 'artifact/not-logged', message: `run ${run.id} has no artifact named model.json` });
    store.close();
  });
});

describe('artifacts kept in a folder', () => {
  it('reads the file, verified, and names the shared-folder option when it is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-folder-'));
    const store = await openStore(join(dir, 'kiln.db'));
    expect(store.artifactsIn).toBe('folder');
    const run = await createTracker(store).startRun({ experiment: 'folder', config: {}, yaml: '', configHash: 'h' });
    const file = join(dir, 'note.txt');
    writeFileSync(file, 'hello');
    const rec = await copyArtifact(store, run.id, file, 'other');
    expect((await readArtifact(store, rec)).toString()).toBe('hello');
    writeFileSync(join(store.artifactsDir, rec.path), 'HELLO');
    expect(await failureOf(readArtifact(store, rec))).toMatchObject({ code: 'artifact/changed' });
    const elsewhere = await openStore(join(dir, 'kiln.db'), { mode: 'read', artifactsDir: join(dir, 'elsewhere') });
    const e = await (openArtifact(elsewhere, run.id, 'note.txt').catch((err: unknown) => err) as Promise<KilnFailure>);
    expect(e.errors[0]).toMatchObject({ code: 'artifact/missing', hint: expect.stringContaining('point --artifacts (or KILN_ARTIFACTS) at the shared folder') });
    elsewhere.close();
    store.close();
  });
});
