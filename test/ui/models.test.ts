/**
 * The models pages in a real headless Chromium: a real penguins run registered twice (one alias), the nav entry, the
 * list, one model's versions and the link to the run. Screenshots go to test-output/ui/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { serveUi } from '../../packages/tracker-ui/src/index.ts';
import { tempStore } from '../../packages/tracker-ui/src/testing/seed.ts';
import { collectPageErrors, launchChromium } from '../../packages/tracker-ui/src/testing/chromium.ts';
import { loadPipelineFile, openStore } from '../../packages/core/src/index.ts';
import { registerModel, setModelAlias } from '../../packages/core/src/store/registry.ts';
import { trainPipeline } from '../../packages/runner/src/run/train-pipeline.ts';
import { useWasm } from '../../packages/runner/src/train/test-support.ts';

const PENGUINS = join(import.meta.dirname, '../../pipelines/penguins-mlp.yaml');
const OUT = join(process.cwd(), 'test-output', 'ui');
let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let page: Page;
let runId: string;
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const store = await tempStore('kiln-ui-models-');
  const url = store.url;
  store.close();
  await useWasm();
  const r = loadPipelineFile(PENGUINS, { overrides: ['runtime.backend=wasm', 'runtime.threads=1', 'train.epochs=2'] });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  runId = (await trainPipeline(r.pipeline, { store: url, quiet: true, exitHandlers: false })).runId;
  const s = await openStore(url);
  try {
    await registerModel(s, { runId, name: 'penguins', description: 'two epochs' });
    await registerModel(s, { runId, name: 'penguins', description: 'again' });
    await setModelAlias(s, 'penguins', 1, 'production');
  } finally {
    s.close();
  }
  server = await serveUi({ store: url, port: 0, log: () => undefined });
  browser = await launchChromium();
  page = await browser.newPage();
  collectPageErrors(page, problems);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('models pages in Chromium', () => {
  it('reaches the models list from the nav, opens a model and follows a version to its run', async () => {
    await page.goto(`${server.url}/`);
    await Promise.all([page.waitForURL(/\/models$/), page.click('nav.top a[href="/models"]')]);
    expect(await page.locator('#models tbody tr').count()).toBe(1);
    expect(await page.locator('#models tbody tr td').nth(3).textContent()).toContain('production → 1');
    await page.screenshot({ path: join(OUT, 'models.png'), fullPage: true });

    await Promise.all([page.waitForURL(/\/models\/penguins$/), page.click('#models a[href="/models/penguins"]')]);
    expect(await page.locator('#versions tbody tr').count()).toBe(2);
    expect(await page.locator('#v1').textContent()).toContain('production');
    expect(await page.locator('#versions thead th').allTextContents()).toContain('val.accuracy');
    await page.screenshot({ path: join(OUT, 'model.png'), fullPage: true });

    await Promise.all([page.waitForURL(new RegExp(`/runs/${runId}$`)), page.click(`#v2 a[href="/runs/${runId}"]`)]);
    expect(await page.textContent('h1')).toContain('penguins-mlp');
    expect(problems).toEqual([]);
  }, 60_000);
});
