import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker, registerModel, setModelAlias, tables } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { attributeNames, get, hasRawPayload, QUOTEY, XSS } from '../testing/fixture.ts';
import { seedRun, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
const runs: string[] = [];

/** A finished run that kept a model, trained with learning rate `lr`. */
async function modelRun(lr: number, acc: number): Promise<string> {
  const run = await createTracker(store).startRun({ experiment: 'penguins', name: `p-${lr}`, config: {}, yaml: 'name: p\n', configHash: `h-${lr}`, dataFingerprint: 'fp' });
  await run.logParams({ 'train.optimizer.learningRate': lr, 'train.epochs': 20 });
  run.logMetrics([
    { key: 'val.accuracy', step: 1, epoch: 1, value: acc },
    { key: 'test.accuracy', step: 1, value: acc - 0.01 },
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-ui-model-')), 'model.json');
  writeFileSync(file, '{}');
  await run.logArtifact(file, 'model');
  await run.end('finished');
  return run.id;
}

beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  runs.push(await modelRun(0.01, 0.9), await modelRun(0.001, 0.95));
  await registerModel(store, { runId: runs[0] ?? '', name: 'penguins', description: XSS, tags: { team: QUOTEY }, createdBy: QUOTEY });
  await registerModel(store, { runId: runs[1] ?? '', name: 'penguins', description: 'smaller lr' });
  await setModelAlias(store, 'penguins', 2, 'production');
  // a name no `kiln model register` accepts, as a store written by other code could hold it: shown escaped all the same
  await store.db.insert(tables.modelVersions).values({ name: XSS, version: 1, runId: runs[0] ?? '', tagsJson: '{}', metricsJson: JSON.stringify({ [`val.${QUOTEY}`]: { final: 1, best: 1 } }), monitor: `val.${QUOTEY}`, configHash: 'h', createdAt: 1 });
});
afterAll(() => store.close());

describe('models pages', () => {
  it('lists models with latest version, aliases and headline metric, escaping hostile names', async () => {
    const r = await get(app, '/models');
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(attributeNames(r.text)).not.toContain('onerror');
    expect(r.text).toContain('href="/models/penguins"');
    expect(r.text).toContain(`href="/models/${encodeURIComponent(XSS)}"`);
    expect(r.text).toContain('production → 2');
    expect(r.text).toContain('val.accuracy 0.95');
    expect(r.text).toContain('class="current">Models');
    const api = JSON.parse((await get(app, '/api/models')).text) as { models: { name: string; versions: number; aliases: Record<string, number> }[] };
    expect(api.models.map((m) => [m.name, m.versions, m.aliases])).toEqual([
      [XSS, 1, {}],
      ['penguins', 2, { production: 2 }],
    ]);
  });

  it('shows one model: versions with metrics, aliases, run links, and the params that differ', async () => {
    const r = await get(app, '/models/penguins');
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(attributeNames(r.text)).not.toContain('onerror');
    expect(r.text).toContain(`href="/runs/${runs[0]}"`);
    expect(r.text).toContain(`href="/runs/${runs[1]}"`);
    expect(r.text).toMatch(/<tr id="v2">.*production.*0\.95.*smaller lr/s);
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // the learning rate differs between the versions' runs, the epochs do not
    expect(r.text).toMatch(/id="version-diff".*train\.optimizer\.learningRate.*0\.001.*0\.01/s);
    expect(r.text).not.toMatch(/id="version-diff".*train\.epochs/s);
    const api = JSON.parse((await get(app, '/api/models/penguins')).text) as { versions: { version: number; runId: string }[]; aliases: Record<string, number> };
    expect(api.versions.map((v) => [v.version, v.runId])).toEqual([
      [2, runs[1]],
      [1, runs[0]],
    ]);
    expect(api.aliases).toEqual({ production: 2 });

    const evil = await get(app, `/models/${encodeURIComponent(XSS)}`);
    expect(evil.status).toBe(200);
    expect(hasRawPayload(evil.text)).toBe(false);
    expect(evil.text).toContain('<span id="model-name">&lt;script&gt;alert(1)&lt;/script&gt;</span>');
  });

  it('links a run started from a registered model to that version on its page', async () => {
    const child = await seedRun(store, { experiment: 'penguins', name: 'ft', config: {}, parentRunId: runs[1], tags: { 'kiln.from_model': 'penguins@2', 'kiln.from_alias': QUOTEY } });
    const r = await get(app, `/runs/${child}`);
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(r.text).toMatch(/<span id="from-model"> as model <a href="\/models\/penguins#v2">penguins@2<\/a> \(alias &quot;&#39;&gt;&lt;img/);
  });

  it('answers 404 for a model nobody registered, echoing the name escaped', async () => {
    const r = await get(app, `/models/${encodeURIComponent(`nope${QUOTEY}`)}`);
    expect(r.status).toBe(404);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(r.text).toContain('No registered model named nope');
    expect((await get(app, '/api/models/nope')).status).toBe(404);
  });
});
