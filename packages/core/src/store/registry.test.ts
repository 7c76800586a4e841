import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KilnFailure } from '../errors.ts';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { deleteRunChecked } from './delete.ts';
import { copyStore } from './copy.ts';
import { deleteModelAlias, isUniqueViolation, listModels, modelVersionsOf, registerModel, setModelAlias } from './registry.ts';
import * as tables from './schema.ts';
import { resolveModelRef } from './registry-resolve.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';
import { storeBefore } from './testing/migrations.ts';
import { sql } from 'drizzle-orm';

const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));
afterAll(stopTestCluster);

async function open(url: string): Promise<Store> {
  const s = await openStore(url);
  opened.push(s);
  return s;
}

/** A run as training leaves it: metrics, a saved model file, an end status. */
async function trainedRun(store: Store, opts: { status?: 'finished' | 'crashed' | 'failed'; model?: boolean; acc?: number; monitor?: string; firstMetric?: string } = {}): Promise<string> {
  const run = await createTracker(store).startRun({ experiment: 'e', name: `r-${Math.random().toString(36).slice(2)}`, config: {}, yaml: 'name: x\n', configHash: 'cfg-hash', dataFingerprint: 'data-fp' });
  if (opts.monitor) await run.logParams({ 'train.earlyStopping.monitor': opts.monitor });
  if (opts.firstMetric) await run.logParams({ 'train.metrics[0]': opts.firstMetric });
  const acc = opts.acc ?? 0.9;
  run.logMetrics([
    { key: 'train.loss', step: 1, epoch: 1, value: 0.8 },
    { key: 'val.loss', step: 1, epoch: 1, value: 0.5 },
    { key: 'val.loss', step: 2, epoch: 2, value: 0.6 },
    { key: 'val.accuracy', step: 1, epoch: 1, value: acc },
    { key: 'val.accuracy', step: 2, epoch: 2, value: acc - 0.1 },
    { key: 'test.accuracy', step: 2, value: acc - 0.05 },
  ]);
  if (opts.model !== false) {
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-reg-')), 'model.json');
    writeFileSync(file, '{"modelTopology":{}}');
    await run.logArtifact(file, 'model');
  }
  await run.end(opts.status ?? 'finished');
  return run.id;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; hint: string; path: string }> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof KilnFailure)) throw new Error(`expected a KilnFailure, got ${String(e)}`);
  const [first] = e.errors;
  return { code: first?.code ?? '', message: first?.message ?? '', hint: first?.hint ?? '', path: first?.path ?? '' };
}

describe.each(DIALECTS)('%s model registry', (dialect) => {
  it('registers versions 1, 2 with the run metrics, data fingerprint and config hash; lists and shows them', async () => {
    const s = await open(await freshStoreUrl(dialect));
    const a = await trainedRun(s, { acc: 0.9 });
    const b = await trainedRun(s, { acc: 0.95, monitor: 'val.accuracy' });
    const v1 = await registerModel(s, { runId: a, name: 'penguins', description: 'first', tags: { team: 'nlp' }, createdBy: 'ada' });
    expect(v1).toMatchObject({ name: 'penguins', version: 1, runId: a, description: 'first', tags: { team: 'nlp' }, dataFingerprint: 'data-fp', configHash: 'cfg-hash', createdBy: 'ada', monitor: 'val.loss' });
    // final is the last value here (no kept-model value recorded); best follows each metric's direction
    expect(v1.metrics['val.accuracy']).toEqual({ final: expect.closeTo(0.8, 9), best: expect.closeTo(0.9, 9) });
    expect(v1.metrics['val.loss']).toEqual({ final: 0.6, best: 0.5 });
    expect(v1.metrics['test.accuracy']?.final).toBeCloseTo(0.85, 9);
    expect(v1.metrics['train.loss']).toBeUndefined();
    const v2 = await registerModel(s, { runId: b, name: 'penguins' });
    expect([v2.version, v2.monitor]).toEqual([2, 'val.accuracy']);
    await registerModel(s, { runId: a, name: 'other.model_1-x' });
    // no monitor named: the training loop's default, val.<first spec metric> (test.accuracy has no val twin here: val.loss)
    const c = await trainedRun(s, { firstMetric: 'loss' });
    expect((await registerModel(s, { runId: c, name: 'monitors' })).monitor).toBe('val.loss');
    const d = await trainedRun(s, { firstMetric: 'accuracy' });
    expect((await registerModel(s, { runId: d, name: 'monitors' })).monitor).toBe('val.accuracy');

    const versions = await modelVersionsOf(s, 'penguins');
    expect(versions.map((v) => [v.version, v.runId])).toEqual([
      [2, b],
      [1, a],
    ]);
    const models = await listModels(s);
    expect(models.map((m) => [m.name, m.versions, m.latest.version])).toEqual([
      ['monitors', 2, 2],
      ['other.model_1-x', 1, 1],
      ['penguins', 2, 2],
    ]);
  });

  it('refuses a run without a kept model, a crashed run unless forced, a bad name, an unknown run', async () => {
    const s = await open(await freshStoreUrl(dialect));
    const noModel = await trainedRun(s, { model: false, status: 'failed' });
    expect(await failure(registerModel(s, { runId: noModel, name: 'm' }))).toMatchObject({ code: 'registry/no-model', message: expect.stringContaining('kept no model (status failed)') });
    const crashed = await trainedRun(s, { status: 'crashed' });
    expect(await failure(registerModel(s, { runId: crashed, name: 'm' }))).toMatchObject({ code: 'registry/run-not-finished', hint: expect.stringContaining('--force') });
    expect((await registerModel(s, { runId: crashed, name: 'm', force: true })).version).toBe(1);
    const ok = await trainedRun(s);
    for (const name of ['a b', 'x/y', '', '<script>', 'm@1'])
      expect(await failure(registerModel(s, { runId: ok, name }))).toMatchObject({ code: 'registry/bad-name', path: '--name' });
    expect(await failure(registerModel(s, { runId: 'nosuchrun', name: 'm' }))).toMatchObject({ code: 'registry/no-such-run' });
    expect(await modelVersionsOf(s, 'm')).toHaveLength(1);
  });

  it('moves and deletes aliases; resolves NAME@ALIAS, NAME@VERSION, NAME and run ids, with did-you-mean errors', async () => {
    const s = await open(await freshStoreUrl(dialect));
    const a = await trainedRun(s);
    const b = await trainedRun(s);
    await registerModel(s, { runId: a, name: 'churn' });
    await registerModel(s, { runId: b, name: 'churn' });
    expect(await setModelAlias(s, 'churn', 1, 'production')).toBeUndefined();
    expect(await resolveModelRef(s, 'churn@production')).toEqual({ runId: a, model: { name: 'churn', version: 1, alias: 'production' } });
    expect(await setModelAlias(s, 'churn', 2, 'production')).toBe(1);
    expect((await resolveModelRef(s, 'churn@production')).runId).toBe(b);
    expect(await resolveModelRef(s, 'churn@1')).toEqual({ runId: a, model: { name: 'churn', version: 1, alias: null } });
    expect(await resolveModelRef(s, 'churn')).toEqual({ runId: b, model: { name: 'churn', version: 2, alias: null } });
    expect(await resolveModelRef(s, a)).toEqual({ runId: a, model: null });
    expect((await resolveModelRef(s, a.slice(0, 10))).runId).toBe(a);

    expect(await failure(resolveModelRef(s, 'chrun@production', 'model.from.model'))).toMatchObject({ code: 'registry/unknown-model', path: 'model.from.model', hint: expect.stringContaining('did you mean "churn"') });
    expect(await failure(resolveModelRef(s, 'churn@prodution'))).toMatchObject({ code: 'registry/unknown-alias', hint: expect.stringContaining('did you mean "production"') });
    expect(await failure(resolveModelRef(s, 'churn@7'))).toMatchObject({ code: 'registry/unknown-version', hint: 'its versions: 1, 2' });
    expect(await failure(resolveModelRef(s, 'chur'))).toMatchObject({ code: 'cli/run-not-found', hint: expect.stringContaining('did you mean "churn"') });
    expect(await failure(resolveModelRef(s, 'churn@<b>'))).toMatchObject({ code: 'registry/bad-ref' });
    expect(await failure(setModelAlias(s, 'churn', 3, 'staging'))).toMatchObject({ code: 'registry/unknown-version' });
    expect(await failure(setModelAlias(s, 'churn', 1, '2'))).toMatchObject({ code: 'registry/bad-alias' });

    expect(await deleteModelAlias(s, 'churn', 'production')).toBe(2);
    expect(await failure(resolveModelRef(s, 'churn@production'))).toMatchObject({ code: 'registry/unknown-alias' });
    expect(await failure(deleteModelAlias(s, 'nope', 'production'))).toMatchObject({ code: 'registry/unknown-model' });

    // an aliased version's run is not deleted unless forced; once the alias is gone it is
    await setModelAlias(s, 'churn', 2, 'staging');
    expect(await failure(deleteRunChecked(s, b))).toMatchObject({ code: 'store/run-aliased', message: `run ${b} is churn@2 (alias staging); nothing deleted` });
    await deleteModelAlias(s, 'churn', 'staging');
    expect((await deleteRunChecked(s, b)).deleted).toBe(true);
    expect(await failure(resolveModelRef(s, 'churn@2'))).toMatchObject({ code: 'registry/run-deleted', message: expect.stringContaining(b) });
    await setModelAlias(s, 'churn', 1, 'production');
    expect((await deleteRunChecked(s, a, { force: true })).deleted).toBe(true);
  });

  it('gives concurrent registrations from two connections distinct version numbers', async () => {
    const url = await freshStoreUrl(dialect);
    const [s1, s2] = [await open(url), await open(url)];
    const run = await trainedRun(s1);
    const regs = Array.from({ length: 12 }, (_, i) => registerModel(i % 2 === 0 ? s1 : s2, { runId: run, name: 'race' }));
    const versions = (await Promise.all(regs)).map((v) => v.version).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('has the unique (name, version) index the retry relies on, and recognizes its violation', async () => {
    const s = await open(await freshStoreUrl(dialect));
    const row = { name: 'dup', version: 1, runId: 'r', tagsJson: '{}', metricsJson: '{}', configHash: 'h', createdAt: 1 };
    await s.db.insert(tables.modelVersions).values(row);
    const err: unknown = await s.db
      .insert(tables.modelVersions)
      .values(row)
      .then(() => undefined, (e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(new Error('SQLITE_BUSY: database is locked'))).toBe(false);
  });

  it('upgrades a store from before the registry: its runs register and resolve', async () => {
    const url = await storeBefore(dialect, '_model_registry', [
      sql`INSERT INTO experiments (name, created_at) VALUES ('old', 1)`,
      sql`INSERT INTO runs (id, name, experiment_id, status, started_at, config_json, yaml, config_hash, data_fingerprint)
        SELECT 'r-old', 'old-1a2b3c', id, 'finished', 1, '{}', 'x: 1', 'h-old', 'fp-old' FROM experiments WHERE name = 'old'`,
      sql`INSERT INTO artifacts (run_id, path, kind, size, sha256, created_at) VALUES ('r-old', 'r-old/model.json', 'model', 2, 'abc', 1)`,
      sql`INSERT INTO metric_summaries (run_id, key, last, last_step, min, min_step, max, max_step, best_step, count)
        VALUES ('r-old', 'val.auc', 0.9, 5, 0.8, 1, 0.9, 5, 5, 5)`,
    ]);
    const s = await open(url);
    const v = await registerModel(s, { runId: 'r-old', name: 'legacy' });
    expect(v).toMatchObject({ version: 1, configHash: 'h-old', dataFingerprint: 'fp-old', monitor: 'val.auc', metrics: { 'val.auc': { final: 0.9, best: 0.9 } } });
    await setModelAlias(s, 'legacy', 1, 'production');
    expect((await resolveModelRef(s, 'legacy@production')).runId).toBe('r-old');
  });
});

describe('model registry across kiln store copy', () => {
  it('copies versions and aliases from a store file into PostgreSQL, where they resolve and number on', async () => {
    const from = await open(await freshStoreUrl('sqlite'));
    const run = await trainedRun(from);
    await registerModel(from, { runId: run, name: 'moved', description: 'v1' });
    await registerModel(from, { runId: run, name: 'moved' });
    await setModelAlias(from, 'moved', 1, 'production');
    const to = await open(await freshStoreUrl('pg'));
    const reports = await copyStore(from, to);
    expect(reports.filter((r) => r.table.startsWith('model_')).map((r) => [r.table, r.targetRows, r.ok])).toEqual([
      ['model_versions', 2, true],
      ['model_aliases', 1, true],
    ]);
    expect(await resolveModelRef(to, 'moved@production')).toEqual({ runId: run, model: { name: 'moved', version: 1, alias: 'production' } });
    // the id sequence continues past the copied rows
    expect((await registerModel(to, { runId: run, name: 'moved' })).version).toBe(3);
  });
});
