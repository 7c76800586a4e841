/**
 * The store fault matrix, through the real `kiln` binary on real files: a full disk, a read-only
 * folder and file, paths that cannot be opened, a store newer than this Kiln, deleting a running
 * run or a sweep's run, and usage errors. Each case checks the exit code, the first line of the
 * error, the runs' status, that every metric written before the fault is still there, and
 * `PRAGMA integrity_check`. PostgreSQL gets the cases that apply to it (newer schema, a read-only
 * role, deleting a running run).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '@kiln/core/store';
import { freshPgUrl, stopTestCluster, storeRows } from '@kiln/core/testing';
import { BIN, REPO, kiln } from '../cli/run-cli.ts';
import { MOUNT_UNAVAILABLE, fillDisk, readOnlyView, tmpfs, unmountAll } from './mounts.ts';
import { POINTS, addFutureMigration, checkpoint, metricRanges, rowCounts, seedRun, snapshot } from './seed.ts';

const made: string[] = [];
afterEach(unmountAll);
afterAll(async () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  await stopTestCluster();
});

if (MOUNT_UNAVAILABLE !== undefined) process.stderr.write(`test/faults/store.test.ts: skipping the mount cases: ${MOUNT_UNAVAILABLE}\n`);
const withMounts = describe.runIf(MOUNT_UNAVAILABLE === undefined);

const firstLine = (s: string) => s.split('\n')[0] ?? '';
const STACK_FRAME = /\n\s+at /;
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-fault-'));
  made.push(dir);
  return dir;
}
const TINY = ['pipelines/penguins-mlp.yaml', '--set', 'train.epochs=2', '-q'];

/** sha256 of the store file and its -wal: what a reader must leave alone. */
function fileHashes(db: string): string[] {
  return [db, `${db}-wal`].map((f) => (existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : 'absent'));
}

function runsJson(store: string, env: Record<string, string> = {}) {
  const r = kiln(['runs', '--json', '--store', store], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const page = JSON.parse(r.stdout) as { runs: { id: string; status: string; failureReason: string | null }[] };
  return Object.fromEntries(page.runs.map((run) => [run.id, run]));
}

/** Status per run id as the web UI's JSON API serves it (`kiln ui` on a free port, stopped afterwards). */
async function uiStatuses(store: string): Promise<Record<string, string>> {
  const ui = spawn(process.execPath, [BIN, 'ui', '--port', '0', '--store', store], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  ui.stdout.on('data', (d: Buffer) => (out += d.toString()));
  ui.stderr.on('data', (d: Buffer) => (out += d.toString()));
  try {
    for (let i = 0; i < 300 && !/Kiln UI: (http\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /Kiln UI: (http\S+)/.exec(out)?.[1];
    expect(url, out).toBeDefined();
    const page = (await (await fetch(`${url}/api/runs`)).json()) as { runs: { id: string; status: string }[] };
    return Object.fromEntries(page.runs.map((r) => [r.id, r.status]));
  } finally {
    ui.kill('SIGTERM');
  }
}

/** A store with one finished run and one whose process died an hour ago (still `running` in the file). */
async function seededStore(db: string): Promise<{ done: string; dead: string }> {
  const done = (await seedRun(db, 'finished')).id;
  const dead = (await seedRun(db, 'stale')).id;
  return { done, dead };
}

async function expectIntact(store: string, ids: string[]): Promise<void> {
  const snap = await snapshot(store);
  expect(snap.integrity).toBe('ok');
  for (const id of ids) expect(snap.points[id]).toBe(POINTS);
}

describe('reading never writes', () => {
  it('runs/show/compare/export leave the files as they were and show a dead run as crashed', async () => {
    const db = join(tempDir(), 'kiln.db');
    const { done, dead } = await seededStore(db);
    const before = fileHashes(db);
    const runs = runsJson(db);
    expect(runs[done]?.status).toBe('finished');
    expect(runs[dead]?.status).toBe('crashed');
    expect(runs[dead]?.failureReason).toMatch(/^no heartbeat for more than/);
    expect(kiln(['show', dead, '--store', db]).stdout).toContain('status    crashed: no heartbeat');
    const filtered = kiln(['runs', '--filter', 'status = crashed', '--json', '--store', db]);
    expect((JSON.parse(filtered.stdout) as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual([dead]);
    expect(kiln(['compare', done, dead, '--store', db]).code).toBe(0);
    expect(kiln(['export', '--format', 'json', '--store', db]).code).toBe(0);
    expect(fileHashes(db)).toEqual(before);
    expect((await snapshot(db)).stored[dead]).toBe('running');
    await expectIntact(db, [done, dead]);
  });
});

withMounts('a full disk (a small tmpfs)', () => {
  it('a run that fills the disk fails with one located error, keeps every metric it wrote, and the store still reads', async () => {
    const dir = tmpfs(8192);
    const db = join(dir, 'kiln.db');
    expect(kiln(['runs', '--store', db]).code).toBe(0); // creates the store
    fillDisk(dir, 400 * 1024); // room for the run's start and a few epochs, not for 40
    const r = kiln(['train', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=40', '-q', '--store', db]);
    expect(r.code).toBe(1);
    expect(firstLine(r.stderr)).toBe(`error[store/disk-full] ${db}`);
    expect(r.stderr).toContain('SQLITE_FULL');
    expect(r.stderr).not.toMatch(STACK_FRAME);
    const [run] = Object.values(runsJson(db, { KILN_STALE_MS: '1' }));
    expect(['failed', 'crashed']).toContain(run?.status);
    const ranges = await metricRanges(db, run!.id);
    // every epoch flushed before the fault is there, from the first on, with no hole
    expect(ranges['val.loss']!.first).toBe(1);
    expect(ranges['val.loss']!.n).toBeGreaterThan(0);
    expect(ranges['val.loss']!.n).toBeLessThan(40);
    for (const [key, range] of Object.entries(ranges)) expect({ key, contiguous: range.contiguous }).toEqual({ key, contiguous: true });
    expect((await snapshot(db)).integrity).toBe('ok');
  });

  it('reads work on a full disk; writers (tag, delete, store migrate) fail with disk-full and change nothing', async () => {
    const dir = tmpfs(1024);
    const db = join(dir, 'kiln.db');
    const { done, dead } = await seededStore(db);
    fillDisk(dir);
    const runs = runsJson(db);
    expect([runs[done]?.status, runs[dead]?.status]).toEqual(['finished', 'crashed']);
    expect(kiln(['show', dead, '--store', db]).code).toBe(0);
    expect(kiln(['export', '--store', db]).code).toBe(0);
    expect(await uiStatuses(db)).toEqual({ [done]: 'finished', [dead]: 'crashed' });
    // (train on a full disk is the case above; store migrate is a writer too: it marks the dead run crashed)
    for (const argv of [['tag', done, 'a=b'], ['delete', done, '--yes'], ['store', 'migrate']]) {
      const w = kiln([...argv, '--store', db]);
      expect({ argv, code: w.code, first: firstLine(w.stderr) }).toEqual({ argv, code: 1, first: `error[store/disk-full] ${db}` });
    }
    // KILN_DEBUG=1 shows the chain under the located error: drizzle's failed query, then the driver's SQLITE_FULL
    const debug = kiln(['tag', done, 'a=b', '--store', db], { env: { KILN_DEBUG: '1' } });
    expect(firstLine(debug.stderr)).toBe(`error[store/disk-full] ${db}`);
    expect(debug.stderr).toMatch(/caused by .*Failed query: [^]*caused by LibsqlError: SQLITE_(FULL|IOERR)/);
    await expectIntact(db, [done, dead]);
  });
});

withMounts('a read-only store', () => {
  /** The three shapes a store folder can have: live -wal and -shm, a checkpointed file alone, a -wal without -shm. */
  const SHAPES = {
    'with -wal and -shm': async (_db: string) => undefined,
    'checkpointed, file alone': async (db: string) => checkpoint(db),
    '-wal without -shm': async (db: string) => rmSync(`${db}-shm`, { force: true }),
  };

  it.each(Object.keys(SHAPES))('read-only folder (%s): reads work, writes fail with read-only', async (shape) => {
    const src = tempDir();
    const { done, dead } = await seededStore(join(src, 'kiln.db'));
    await SHAPES[shape as keyof typeof SHAPES](join(src, 'kiln.db'));
    const view = readOnlyView(src);
    const db = join(view, 'kiln.db');
    const runs = runsJson(db);
    expect([runs[done]?.status, runs[dead]?.status]).toEqual(['finished', 'crashed']);
    expect(await uiStatuses(db)).toEqual({ [done]: 'finished', [dead]: 'crashed' });
    for (const argv of [['tag', done, 'a=b'], ['delete', done, '--yes']]) {
      const w = kiln([...argv, '--store', db]);
      expect({ argv, code: w.code, first: firstLine(w.stderr) }).toEqual({ argv, code: 1, first: `error[store/read-only] ${db}` });
      expect(w.stderr).toContain('EROFS');
    }
    await expectIntact(db, [done, dead]);
  });

  it('a new store in a read-only folder: train fails before training with read-only', () => {
    const db = join(readOnlyView(tempDir()), 'kiln.db');
    const r = kiln(['train', ...TINY, '--store', db]);
    expect(r.code).toBe(1);
    expect(firstLine(r.stderr)).toBe(`error[store/read-only] ${db}`);
    expect(existsSync(db)).toBe(false);
  });

  it('read-only file in a writable folder: reads work, writes fail with SQLITE_READONLY', async () => {
    const db = join(tempDir(), 'kiln.db');
    const { done, dead } = await seededStore(db);
    await checkpoint(db);
    readOnlyView(db, { inPlace: true });
    expect(runsJson(db)[dead]?.status).toBe('crashed');
    const w = kiln(['tag', done, 'a=b', '--store', db]);
    expect(w.code).toBe(1);
    expect(firstLine(w.stderr)).toBe(`error[store/read-only] ${db}`);
    expect(w.stderr).toContain('SQLITE_READONLY');
    const d = kiln(['delete', done, '--yes', '--store', db]);
    expect([d.code, firstLine(d.stderr)]).toEqual([1, `error[store/read-only] ${db}`]);
    // a read-only store can still be copied out
    const copy = join(tempDir(), 'copy.db');
    expect(kiln(['store', 'copy', '--from', db, '--to', copy, '--quiet']).code).toBe(0);
    expect(Object.keys(runsJson(copy)).sort()).toEqual([done, dead].sort());
    await expectIntact(db, [done, dead]);
  });
});

describe('a store path that cannot be opened', () => {
  it.each([
    ['a folder', () => tempDir(), /this path is a folder/],
    ['a file that is not a store', () => { const f = join(tempDir(), 'notes.txt'); writeFileSync(f, 'not a database, just text\n'.repeat(200)); return f; }, /not a SQLite database/],
    ['below a file', () => '/dev/null/kiln.db', /EEXIST|ENOTDIR/],
  ])('%s: exit 2 with the path and the cause', (name, make, cause) => {
    const path = make();
    // train fails at the same open as runs (after loading data), so one case of it is enough
    for (const cmd of name === 'a folder' ? ['runs', 'train'] : ['runs', 'tag']) {
      const r = kiln(cmd === 'train' ? ['train', ...TINY, '--store', path] : cmd === 'tag' ? ['tag', 'abc', 'a=b', '--store', path] : ['runs', '--store', path]);
      expect({ cmd, code: r.code, first: firstLine(r.stderr) }).toEqual({ cmd, code: 2, first: `error[store/cannot-open] ${path}` });
      expect(r.stderr).toMatch(cause);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    }
  });
});

/** A fresh store URL of each dialect. */
const DIALECT_STORES: [string, () => Promise<string>][] = [
  ['sqlite', async () => join(tempDir(), 'kiln.db')],
  ['pg', freshPgUrl],
];

describe.each(DIALECT_STORES)('a store newer than this Kiln (%s)', (dialect, fresh) => {
  it('is refused by writers, readers and store migrate before any write, naming both versions', async () => {
    const url = await fresh();
    const { id } = await seedRun(url, 'finished');
    const store = await openStore(url);
    try {
      await addFutureMigration(store);
      const before = await rowCounts(store);
      const hashes = dialect === 'sqlite' ? fileHashes(url) : [];
      for (const argv of [['train', ...TINY], ['store', 'migrate'], ['runs'], ['delete', id, '--yes']]) {
        const r = kiln([...argv, '--store', url]);
        expect({ argv, code: r.code }).toEqual({ argv, code: 1 });
        expect(firstLine(r.stderr)).toMatch(/^error\[store\/newer-schema\] /);
        const [, theirs, ours] = /schema is version (\d+) .*this Kiln's version (\d+)/.exec(r.stderr) ?? [];
        expect(Number(theirs)).toBe(Number(ours) + 1);
      }
      expect(await rowCounts(store)).toEqual(before);
      if (dialect === 'sqlite') expect(fileHashes(url)).toEqual(hashes);
    } finally {
      store.close();
    }
  });
});

describe.each(DIALECT_STORES)('kiln delete (%s)', (_dialect, fresh) => {
  it('refuses a run still running, deletes it with --force, and deletes a dead run without', async () => {
    const url = await fresh();
    const live = await seedRun(url, 'live');
    const dead = (await seedRun(url, 'stale')).id;
    try {
      const refused = kiln(['delete', live.id, '--yes', '--store', url]);
      expect(refused.code).toBe(1);
      expect(firstLine(refused.stderr)).toBe('error[store/run-running] ');
      expect(refused.stderr).toContain(`run ${live.id} is still running`);
      expect((await snapshot(url)).stored[live.id]).toBe('running');
      // several runs: refused before any is deleted
      const both = kiln(['delete', dead, live.id, '--yes', '--store', url]);
      expect([both.code, firstLine(both.stderr)]).toEqual([1, 'error[store/run-running] ']);
      expect(Object.keys((await snapshot(url)).stored).sort()).toEqual([dead, live.id].sort());
      // the seeded run's tracker never looks for a stop request (as an old Kiln or a hung process): deleted after the wait
      const forced = kiln(['delete', live.id, '--yes', '--force', '--wait', '1', '--store', url]);
      expect([forced.code, forced.stdout]).toEqual([0, `deleted ${live.id} (it was still running and did not stop in time; its process fails at its next write)\n`]);
      expect(kiln(['delete', dead, '--yes', '--store', url]).code).toBe(0);
      const snap = await snapshot(url);
      expect(snap.stored).toEqual({});
      expect(snap.integrity).toBe('ok');
    } finally {
      await live.end();
    }
  });
});

describe('kiln delete --force of a run training right now', () => {
  it('asks the trainer to stop through the store, waits for it to end killed, then deletes it', async () => {
    const db = join(tempDir(), 'kiln.db');
    const trainer = spawn(process.execPath, [BIN, 'train', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=400', '-q', '--store', db], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    trainer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => trainer.on('exit', resolve));
    try {
      let id: string | undefined;
      for (let i = 0; i < 200 && id === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if (existsSync(db)) id = Object.keys((await snapshot(db)).stored)[0];
      }
      expect(id).toBeDefined();
      expect(kiln(['delete', id!, '--yes', '--store', db]).code).toBe(1);
      const forced = kiln(['delete', id!, '--yes', '--force', '--store', db]);
      expect([forced.code, forced.stdout]).toEqual([0, `deleted ${id} (it was running; it stopped first and ended killed)\n`]);
      expect(await exited).toBe(1);
      expect(stderr).not.toContain('error[');
      expect(runsJson(db)).toEqual({});
      expect((await snapshot(db)).integrity).toBe('ok');
    } finally {
      trainer.kill('SIGKILL');
    }
  });
});

describe('PostgreSQL with a read-only role', () => {
  it('reads (a dead run shows crashed), writes fail with read-only', async () => {
    const url = await freshPgUrl();
    const { done, dead } = await seededStore(url);
    const admin: Store = await openStore(url);
    try {
      const q = storeRows(admin);
      await q`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kiln_faults_ro') THEN CREATE ROLE kiln_faults_ro LOGIN; END IF; END $$`;
      await q`GRANT USAGE ON SCHEMA public, drizzle TO kiln_faults_ro`;
      await q`GRANT SELECT ON ALL TABLES IN SCHEMA public, drizzle TO kiln_faults_ro`;
    } finally {
      admin.close();
    }
    const ro = new URL(url);
    ro.username = 'kiln_faults_ro';
    ro.password = '';
    const runs = runsJson(ro.href);
    expect([runs[done]?.status, runs[dead]?.status]).toEqual(['finished', 'crashed']);
    for (const argv of [['tag', done, 'a=b'], ['delete', done, '--yes']]) {
      const w = kiln([...argv, '--store', ro.href]);
      expect({ argv, code: w.code }).toEqual({ argv, code: 1 });
      expect(firstLine(w.stderr)).toMatch(/^error\[store\/read-only\] postgres/);
    }
    await expectIntact(url, [done, dead]);
  });
});

describe('deleting a sweep trial\'s run', () => {
  it('leaves the sweep consistent: kiln sweep show no longer names the deleted run as best', async () => {
    const dir = tempDir();
    const db = join(dir, 'kiln.db');
    const sweep = kiln(['train', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=1', '--set', 'train.optimizer.learningRate=0.1,0.01', '--json', '--store', db]);
    expect(sweep.code).toBe(0);
    const { sweepId, best } = JSON.parse(sweep.stdout) as { sweepId: string; best: { runId: string; number: number } };
    expect(kiln(['sweep', 'show', sweepId, '--store', db]).stdout).toContain(`run ${best.runId}`);
    const del = kiln(['delete', best.runId, '--yes', '--store', db]);
    expect([del.code, del.stdout]).toEqual([0, `deleted ${best.runId} (its sweep trial no longer names a run)\n`]);
    const shown = kiln(['sweep', 'show', sweepId, '--store', db]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toContain(best.runId);
    expect(shown.stdout).toMatch(new RegExp(`Best: trial ${best.number} `));
    expect((await snapshot(db)).integrity).toBe('ok');
  });
});

describe('usage errors exit 2 through one path', () => {
  it.each([
    [['show'], 'error[cli/missing-argument] ', 'kiln show needs 1 argument (RUN), got 0'],
    [['compare', 'abc'], 'error[cli/missing-argument] ', 'kiln compare needs at least 2 arguments'],
    [['export', '--format', 'xml'], 'error[cli/bad-choice]   --format', '--format must be one of csv, json, got "xml"'],
    [['delete'], 'error[cli/missing-argument] ', 'kiln delete needs at least 1 argument'],
    [['store', 'migrat'], 'error[cli/bad-choice] ', 'did you mean "kiln store migrate"?'],
    [['show', 'nosuchrun'], 'error[cli/run-not-found] ', 'no run "nosuchrun" in this store'],
  ])('kiln %j', (argv, first, text) => {
    const r = kiln([...argv, '--store', join(tempDir(), 'kiln.db')]);
    expect(r.code).toBe(2);
    expect(firstLine(r.stderr)).toBe(first);
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toContain('KILN_DEBUG');
  });
});
