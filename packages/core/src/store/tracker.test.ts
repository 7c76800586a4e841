import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { flattenParams } from './params.ts';
import { collectProvenance } from './provenance.ts';
import { getRun, listRuns, metricHistory, paramDiff, deleteRun, listExperiments } from './query.ts';
import { exportRuns, toCsv } from './export.ts';
import { markStaleRuns } from './stale.ts';
import { KilnFailure } from '../errors.ts';
import { DIALECTS, freshStoreUrl, scalar, stopTestCluster } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

// The same suite runs against SQLite and a real PostgreSQL.
describe.each(DIALECTS)('%s store', (dialect) => {
  async function fresh(): Promise<Store> {
    store = await openStore(await freshStoreUrl(dialect));
    return store;
  }

  const base = { yaml: 'name: x\n', configHash: 'h1', seed: 7, dataFingerprint: 'fp' };

  describe('tracker', () => {
    it('records a run end to end: params, buffered metrics, summaries, tags, artifacts, status', async () => {
      const s = await fresh();
      const config = { train: { optimizer: { name: 'adam', learningRate: 0.01 } }, model: { layers: [{ units: 8 }, { units: 2 }] } };
      const run = await createTracker(s).startRun({ experiment: 'mnist', config, provenance: collectProvenance(), ...base });
      await run.logParams(flattenParams(config));
      run.logMetrics([
        { key: 'loss', step: 0, epoch: 0, value: 2 },
        { key: 'loss', step: 1, epoch: 0, value: 0.5 },
        { key: 'loss', step: 2, epoch: 1, value: 1 },
        { key: 'val.accuracy', step: 2, epoch: 1, value: 0.93 },
      ]);
      await run.setTag('team', 'nlp');
      // A file of the user's, outside the store's folders (a PostgreSQL store's artifact folder need not exist yet).
      const file = join(mkdtempSync(join(tmpdir(), 'kiln-model-')), 'model.json');
      writeFileSync(file, '{"w":[1,2]}');
      const art = await run.logArtifact(file, 'model');
      await run.end('finished');

      const got = await getRun(s, run.id);
      expect(got?.status).toBe('finished');
      expect(got?.params['model.layers[1].units']).toBe(2);
      expect(got?.params['train.optimizer.name']).toBe('adam');
      expect(got?.metrics.loss).toMatchObject({ last: 1, min: 0.5, max: 2, bestStep: 1, count: 3 });
      expect(got?.metrics['val.accuracy']?.bestStep).toBe(2);
      expect(got?.tags.team).toBe('nlp');
      expect(got?.artifacts[0]).toMatchObject({ path: `${run.id}/model.json`, size: 11, sha256: art.sha256 });
      expect(art.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect((await listExperiments(s))[0]).toMatchObject({ name: 'mnist', runCount: 1 });
    });

    it('markDiverged fails the run with the epoch and step', async () => {
      const s = await fresh();
      const run = await createTracker(s).startRun({ experiment: 'e', config: {}, ...base });
      await run.markDiverged(3, 120);
      const got = await getRun(s, run.id);
      expect(got?.status).toBe('failed');
      expect(got?.failureReason).toBe('diverged at epoch 3 step 120');
    });

    it('marks runs with a stale heartbeat crashed', async () => {
      const s = await fresh();
      const run = await createTracker(s, { heartbeatMs: 60_000 }).startRun({ experiment: 'e', config: {}, ...base });
      expect(await markStaleRuns(s.conn, 60_000)).toBe(0);
      expect(await markStaleRuns(s.conn, 10, Date.now() + 1000)).toBe(1);
      expect((await getRun(s, run.id))?.status).toBe('crashed');
    });
  });

  describe('queries', () => {
    it('filters, sorts, paginates, diffs, exports and deletes', async () => {
      const s = await fresh();
      const tracker = createTracker(s);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const run = await tracker.startRun({ experiment: 'e', name: `r${i}`, config: {}, ...base });
        await run.logParams({ 'train.optimizer.name': i % 2 ? 'adam' : 'sgd', 'train.lr': i / 10 });
        run.logMetrics([{ key: 'val.accuracy', step: 1, value: 0.85 + i * 0.02 }]);
        if (i === 4) await run.setTag('team', 'nlp');
        if (i === 5) await run.setTag('note', '=HYPERLINK("x")');
        await run.end('finished');
        ids.push(run.id);
      }
      const page = await listRuns(s, {
        filter: 'metrics.val.accuracy > 0.9 and (params.train.optimizer.name = "adam" or tags.team = "nlp") and status = finished',
        sort: '-metrics.val.accuracy',
      });
      expect(page.runs.map((r) => r.name)).toEqual(['r5', 'r4', 'r3']);
      expect(page.total).toBe(3);
      const byParam = await listRuns(s, { sort: 'params.train.lr', limit: 2, offset: 1 });
      expect(byParam.runs.map((r) => r.name)).toEqual(['r1', 'r2']);
      const inList = await listRuns(s, { filter: 'name in ("r1", r2) and params.train.lr >= 0.2' });
      expect(inList.runs.map((r) => r.name)).toEqual(['r2']);
      const err = await listRuns(s, { filter: 'metrics.val.acuracy > 1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KilnFailure);
      expect((err as KilnFailure).errors[0]).toMatchObject({ col: 1, hint: "did you mean 'metrics.val.accuracy'?" });

      const [r0 = 'missing run', r1 = 'missing run'] = ids;
      const diff = await paramDiff(s, [r0, r1]);
      expect(diff.map((d) => d.key).sort()).toEqual(['train.lr', 'train.optimizer.name']);

      const csv = toCsv(await exportRuns(s, { sort: 'name' }));
      expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
      expect(csv.split('\r\n')[0]).toContain('params.train.lr');

      expect(await deleteRun(s, r0)).toBe(true);
      expect(await getRun(s, r0)).toBeNull();
      expect(await scalar(s, `SELECT count(*) FROM metrics WHERE run_id = '${r0}'`)).toBe(0);
      expect(await scalar(s, `SELECT count(*) FROM metrics WHERE run_id = '${r1}'`)).toBe(1);
      expect((await listRuns(s)).total).toBe(5);
    });

    it('downsamples a long history keeping each bucket min and max', async () => {
      const s = await fresh();
      const run = await createTracker(s).startRun({ experiment: 'e', config: {}, ...base });
      // The two outliers a downsampled history must keep.
      const spikes = new Map([[12_345, -5], [77_777, 9]]);
      const pts = [];
      for (let step = 0; step < 100_000; step++) pts.push({ key: 'loss', step, value: spikes.get(step) ?? Math.sin(step / 500) });
      run.logMetrics(pts);
      await run.flush();
      const h = await metricHistory(s, run.id, 'loss', { points: 200 });
      expect(h.downsampled).toBe(true);
      expect(h.points.length).toBeLessThanOrEqual(200);
      expect(h.points.length).toBeGreaterThan(150);
      expect(h.points).toContainEqual(expect.objectContaining({ step: 12_345, value: -5 }));
      expect(h.points).toContainEqual(expect.objectContaining({ step: 77_777, value: 9 }));
      // each kept extreme carries its own row's epoch and wall time (the charts' other x axes)
      expect(h.points.every((p) => p.epoch === null && typeof p.wallTime === 'number')).toBe(true);
      const steps = h.points.map((p) => p.step);
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
      const small = await metricHistory(s, run.id, 'loss', { points: 1000, fromStep: 10, toStep: 19 });
      expect(small.points.map((p) => p.step)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
      await run.end('finished');
    });
  });
});
