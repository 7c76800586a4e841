/**
 * `kiln export-model` end to end, for a tabular (penguins), an image (mnist) and a text model (spam, a
 * transformer with a padding mask: Kiln layers shipped in kiln-layers.js): train tiny with the real CLI,
 * export, then predict the run's own test rows (split.json) three ways and compare:
 * - `kiln predict` (the reference);
 * - real Chromium, from a page that loads the tfjs npm bundle and the exported folder from a local
 *   static server (no CDN, no Kiln code besides the export);
 * - plain @tensorflow/tfjs in Node, in a child process that never imports Kiln.
 * Probabilities within 1e-5, the same labels. Then the refusals a careless user meets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { loadPipelineFile } from '../../packages/core/src/index.ts';
import { launchChromium } from '../../packages/tracker-ui/src/testing/chromium.ts';
import { openSource } from '../../packages/runner/src/data/sources/index.ts';
import { rowsOf, type Row } from '../../packages/runner/src/data/table.ts';
import { BIN, REPO } from '../cli/run-cli.ts';
import { serveStatic } from './static-server.ts';

type HeadPrediction = { class: string; probabilities: Record<string, number> } | { value: number };
type Prediction = { row: number } & HeadPrediction;

const TINY = ['runtime.threads=1'];
const CASES = [
  { name: 'tabular', pipeline: 'pipelines/penguins-mlp.yaml', set: ['train.epochs=3'] },
  { name: 'image', pipeline: 'pipelines/mnist-cnn.yaml', set: ['data.source.limit=300', 'train.epochs=1', 'model.layers[0].filters=4', 'model.layers[2].filters=4'] },
  { name: 'text', pipeline: 'pipelines/spam-transformer.yaml', set: ['data.source.limit=300', 'train.epochs=1', 'data.features[0].vocabSize=300', 'data.features[0].maxLength=24'] },
] as const;

const WORK = mkdtempSync(join(tmpdir(), 'kiln-export-'));
const STORE = join(WORK, 'kiln.db');
const TFJS = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs/package.json')), 'dist', 'tf.min.js');

interface Trained {
  runId: string;
  dir: string;
  rowsFile: string;
  expected: Prediction[];
  /** The plain-tfjs child process's result (fixtures/plain-tfjs.mjs), run beside the other cases'. */
  plain: { code: number | null; stdout: string; stderr: string };
}
const trained = new Map<string, Trained>();

/** The run's test rows as JSON-ready objects (typed-array images as plain arrays), from split.json and the pipeline's source. */
async function testRows(pipeline: string, runId: string): Promise<Row[]> {
  const loaded = loadPipelineFile(join(REPO, pipeline));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const split = JSON.parse(readFileSync(join(WORK, 'artifacts', runId, 'split.json'), 'utf8')) as { test: number[] };
  const table = await (await openSource(loaded.pipeline.spec.data.source, { baseDir: loaded.pipeline.baseDir })).load();
  const plain = (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v);
  return rowsOf(table, split.test).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
}

/** A Node script without blocking, so the three cases run side by side. */
function nodeAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The real `kiln` binary, as a user runs it. */
const kilnAsync = (args: string[]) => nodeAsync([BIN, ...args]);

/** Trains one case with the CLI, exports it, writes its test rows and predicts them with `kiln predict`. */
async function trainAndExport(c: (typeof CASES)[number]): Promise<Trained> {
  const train = await kilnAsync(['train', c.pipeline, '--store', STORE, '--json', ...[...TINY, ...c.set].flatMap((s) => ['--set', s])]);
  expect(train.code, train.stderr).toBe(0);
  const runId = (JSON.parse(train.stdout) as { runId: string }).runId;
  const dir = join(WORK, 'serve', c.name);
  const exported = await kilnAsync(['export-model', runId.slice(0, 10), '--out', dir, '--store', STORE]);
  expect(exported.code, exported.stderr).toBe(0);
  const rows = await testRows(c.pipeline, runId);
  const rowsFile = join(dir, 'rows.json');
  writeFileSync(rowsFile, JSON.stringify(rows));
  const jsonl = join(WORK, `${c.name}.jsonl`);
  writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n'));
  const predicted = await kilnAsync(['predict', runId, jsonl, '--store', STORE]);
  expect(predicted.code, predicted.stderr).toBe(0);
  const expected = predicted.stdout.trim().split('\n').map((l) => JSON.parse(l) as Prediction);
  const plain = await nodeAsync([join(import.meta.dirname, 'fixtures', 'plain-tfjs.mjs'), dir, rowsFile]);
  return { runId, dir, rowsFile, expected, plain };
}

/** The largest difference between two prediction lists (probabilities or values), after checking rows and labels match. */
function maxDifference(got: Prediction[], want: Prediction[]): number {
  expect(got.map((p) => p.row)).toEqual(want.map((p) => p.row));
  let max = 0;
  want.forEach((w, i) => {
    const g = got[i];
    if ('value' in w) return void (max = Math.max(max, Math.abs((g && 'value' in g ? g.value : NaN) - w.value)));
    expect(g && 'class' in g ? g.class : undefined).toBe(w.class);
    for (const [k, p] of Object.entries(w.probabilities)) max = Math.max(max, Math.abs((g && 'probabilities' in g ? (g.probabilities[k] ?? NaN) : NaN) - p));
  });
  return max;
}

let browser: BrowserContext | undefined;
let server: Awaited<ReturnType<typeof serveStatic>> | undefined;

beforeAll(async () => {
  const done = await Promise.all(CASES.map(trainAndExport));
  CASES.forEach((c, i) => done[i] && trained.set(c.name, done[i]));
  server = await serveStatic({ '/tf.min.js': TFJS, '/page.html': join(import.meta.dirname, 'fixtures', 'page.html'), ...Object.fromEntries(CASES.map((c) => [`/${c.name}`, join(WORK, 'serve', c.name)])) });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(WORK, { recursive: true, force: true });
});

const get = (name: string): Trained => {
  const t = trained.get(name);
  if (!t) throw new Error(`${name} was not trained`);
  return t;
};

describe.each(CASES.map((c) => c.name))('kiln export-model: %s model', (name) => {
  it('predicts the test rows in Chromium as kiln predict does (within 1e-5, same labels)', async () => {
    const t = get(name);
    const page = await (browser as BrowserContext).newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server?.url}/page.html?model=${name}`);
    await page.waitForFunction(() => 'kilnResult' in window, undefined, { timeout: 30_000 });
    const result = (await page.evaluate(() => (window as unknown as { kilnResult: unknown }).kilnResult)) as { predictions?: Prediction[]; error?: string; backend?: string };
    await page.close();
    expect(result.error).toBeUndefined();
    expect(problems).toEqual([]);
    expect(t.expected.length).toBeGreaterThan(10);
    const diff = maxDifference(result.predictions ?? [], t.expected);
    console.log(`${name}: ${t.expected.length} test rows, max |Chromium - kiln predict| = ${diff.toExponential(2)} (${result.backend})`);
    expect(diff).toBeLessThanOrEqual(1e-5);
    // Everything the page read came from the local server: tfjs, the page, the export.
    expect(server?.requests).toContain(`/${name}/model.json`);
  });

  it('loads with plain @tensorflow/tfjs in Node (no Kiln package) and predicts the same', () => {
    const t = get(name);
    const r = t.plain;
    expect(r.code, r.stderr).toBe(0);
    const { classes, predictions } = JSON.parse(r.stdout) as { classes: string[]; predictions: Prediction[] };
    expect(maxDifference(predictions, t.expected)).toBeLessThanOrEqual(1e-5);
    const kilnClasses = classes.filter((c) => c.startsWith('Kiln'));
    // Only the text model (attention, and pooling a padding mask reaches) keeps Kiln layers, from kiln-layers.js.
    expect(kilnClasses).toEqual(name === 'text' ? ['KilnTransformerEncoder', 'KilnMaskedGlobalAveragePooling1D'] : []);
    expect(readFileSync(join(t.dir, 'README.md'), 'utf8')).toContain(name === 'text' ? 'shipped in `kiln-layers.js`' : 'loads `model.json` with no Kiln code');
  });
});

it('exports a registered model by NAME@ALIAS', async () => {
  const { runId } = get('tabular');
  for (const args of [['model', 'register', runId, '--name', 'penguins'], ['model', 'alias', 'penguins@1', 'production']]) {
    const r = await kilnAsync([...args, '--store', STORE]);
    expect(r.code, r.stderr).toBe(0);
  }
  const dir = join(WORK, 'registered');
  const r = await kilnAsync(['export-model', 'penguins@production', '--out', dir, '--store', STORE]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toContain(`penguins@production (version 1): run ${runId}`);
  expect((JSON.parse(readFileSync(join(dir, 'preprocess.json'), 'utf8')) as { kiln: { run: string } }).kiln.run).toBe(runId);
});

describe('kiln export-model refuses', () => {
  it('a folder that is not empty without --force, and writes into it with --force', async () => {
    const { runId, dir } = get('tabular');
    const again = await kilnAsync(['export-model', runId, '--out', dir, '--store', STORE]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/error\[export\/out-not-empty\][\s\S]*is not empty[\s\S]*hint: .*--force/);
    expect(again.stderr).not.toMatch(/\n\s+at /);
    const forced = await kilnAsync(['export-model', runId, '--out', dir, '--store', STORE, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('a run without a kept model, a missing --out, an unknown run and an --out that is a file (exit 2, a hint, no stack trace)', async () => {
    const runner = pathToFileURL(join(REPO, 'packages/runner/dist/index.js')).href;
    const script = `import { startRun } from ${JSON.stringify(runner)}; const r = await startRun({ experiment: 'x', store: ${JSON.stringify(STORE)} }); await r.end('failed', 'on purpose'); console.log(r.id);`;
    const file = join(WORK, 'a-file');
    writeFileSync(file, 'x');
    const tabular = get('tabular').runId;
    const [noModel, noOut, unknown, onFile] = await Promise.all([
      // a run tracked from code and ended without a model
      nodeAsync(['--input-type=module', '-e', script]).then((own) => {
        expect(own.code, own.stderr).toBe(0);
        return kilnAsync(['export-model', own.stdout.trim(), '--out', join(WORK, 'none'), '--store', STORE]);
      }),
      kilnAsync(['export-model', tabular, '--store', STORE]),
      kilnAsync(['export-model', 'nosuchrun', '--out', join(WORK, 'x'), '--store', STORE]),
      kilnAsync(['export-model', tabular, '--out', file, '--store', STORE]),
    ]);
    expect(noModel.stderr).toContain('has no saved model (status failed)');
    expect(noOut.stderr).toMatch(/needs --out DIR[\s\S]*hint: kiln export-model \S+ --out model-web/);
    expect(unknown.stderr).toContain('nosuchrun');
    expect(onFile.stderr).toContain('is a file, not a folder');
    for (const r of [noModel, noOut, unknown, onFile]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('hint: ');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
