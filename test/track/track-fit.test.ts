/**
 * examples/track-fit.mjs run as a user runs it (plain node, the built @kiln/runner, the default
 * store under the working directory), then read back through the real CLI and the UI's run page.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getRun, metricHistory, openStore, sha256File } from '@kiln/core/store';
import { createApp } from '../../packages/tracker-ui/src/index.ts';
import { REPO, kiln } from '../cli/run-cli.ts';

const EXAMPLE = join(REPO, 'examples', 'track-fit.mjs');

describe('examples/track-fit.mjs', () => {
  it('trains penguins with kilnCallback into ./.kiln, and kiln runs, kiln show and the run page show it with its source', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kiln-track-fit-'));
    const env: NodeJS.ProcessEnv = { ...process.env, EPOCHS: '3' };
    delete env.KILN_STORE;
    const started = Date.now();
    const r = spawnSync(process.execPath, [EXAMPLE], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    console.log(`track-fit.mjs (3 epochs) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(r.status, r.stderr).toBe(0);
    const id = /^run (\S+) /.exec(r.stdout)?.[1];
    expect(id, r.stdout).toBeDefined();

    const store = await openStore(join(cwd, '.kiln', 'kiln.db'));
    try {
      const run = await getRun(store, id!);
      expect(run).toMatchObject({ status: 'finished', experiment: 'penguins-own-code', keptEpoch: 3, tfjsBackend: 'cpu', yaml: '' });
      expect(run?.tags).toMatchObject({ 'kiln.source': 'examples/track-fit.mjs', data: 'vega-datasets penguins' });
      expect(run?.params).toMatchObject({ hidden: 16, 'train.optimizer.name': 'adam', 'train.optimizer.learningRate': 0.01, 'model.layers[0].units': 16, 'model.layers[1].units': 3, 'train.epochs': 3 });
      const perEpoch = Math.ceil(Number(run?.params['train.samples']) / Number(run?.params['train.batchSize']));
      expect((await metricHistory(store, id!, 'train.batch_loss')).points).toHaveLength(perEpoch * 3);
      expect((await metricHistory(store, id!, 'val.accuracy')).points.map((p) => p.step)).toEqual([perEpoch, 2 * perEpoch, 3 * perEpoch]);
      expect(run?.metrics['test.accuracy']?.final).toBeGreaterThan(0.5);
      expect(run?.artifacts.map((a) => a.kind)).toEqual(['model', 'weights', 'features']);
      for (const a of run?.artifacts ?? []) expect(await sha256File(join(store.artifactsDir, a.path))).toBe(a.sha256);

      const page = await createApp({ store }).request(`/runs/${id}`, { headers: { host: '127.0.0.1:4000' } });
      const html = await page.text();
      expect(page.status).toBe(200);
      expect(html).toMatch(/<th>source<\/th>\s*<td>examples\/track-fit\.mjs<\/td>/);
      expect(html).not.toContain('id="yaml"');
    } finally {
      store.close();
    }

    const runs = kiln(['runs'], { cwd });
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toContain(id);
    const show = kiln(['show', id!], { cwd });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('source examples/track-fit.mjs');
    expect(show.stdout.split('\n')[1]).toBe('status    finished');
    // kiln predict needs a pipeline's preprocessing; a script run says so instead of failing on a missing file
    const rows = join(cwd, 'rows.csv');
    writeFileSync(rows, 'Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g)\n39.1,18.7,181,3750\n');
    const predict = kiln(['predict', id!, rows], { cwd });
    expect(predict.code).toBe(2);
    expect(predict.stderr.split('\n')[0]).toBe('error[predict/not-a-pipeline-run] ');
    expect(predict.stderr).toContain('tracked from examples/track-fit.mjs');
  });
});
