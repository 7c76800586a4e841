// `pnpm bench regression [seeds] [file.yaml ...]`: test RMSE of regression pipelines trained with the
// target raw (data.target.scale: none) and standardized (the default), beside scikit-learn's ridge and
// least-squares fits on exactly the same split and encoded features (scripts/ridge_baseline.py, run
// by Debian's /usr/bin/python3), seed by seed. Default: cars-regression and gapminder-regression, 5 seeds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile, type ResolvedPipeline } from '@kiln/core';
import { selectBackend } from '../backend/select.ts';
import { prepareData } from '../data/prepare.ts';
import type { SplitArrays } from '../data/types.ts';
import { trainPrepared } from '../run/train-pipeline.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PYTHON = '/usr/bin/python3';
const SCALES = ['none', 'standard'] as const;

function load(file: string, overrides: string[]): ResolvedPipeline {
  const loaded = loadPipelineFile(file, { overrides });
  if (!loaded.ok) throw new Error(`${file}: ${loaded.errors.map((e) => e.message).join('; ')}`);
  return loaded.pipeline;
}

const part = (s: SplitArrays) => ({ x: Array.from(s.x), y: Array.from(s.y) });

/** Ridge and least-squares test RMSE on the split Kiln prepared (raw target, encoded features). */
function linearBaselines(width: number, train: SplitArrays, test: SplitArrays): { ridge: number; linear: number } {
  const r = spawnSync(PYTHON, [join(ROOT, 'scripts/ridge_baseline.py')], { input: JSON.stringify({ width, train: part(train), test: part(test) }), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${PYTHON} scripts/ridge_baseline.py exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { ridge: number; linear: number };
}

const f = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(3));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Runs the benchmark and prints one table per pipeline. */
export async function main(args: string[] = []): Promise<void> {
  const seeds = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
  const files = args.filter((a) => a.endsWith('.yaml'));
  const pipelines = files.length > 0 ? files : ['pipelines/cars-regression.yaml', 'pipelines/gapminder-regression.yaml'].map((p) => join(ROOT, p));
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-regression-'));
  try {
    for (const file of pipelines) {
      const rows: number[][] = [];
      let backendName = '';
      for (let seed = 1; seed <= seeds; seed++) {
        const raw = load(file, [`seed=${seed}`, 'data.target.scale=none']);
        const backend = await selectBackend(raw.spec.runtime.backend);
        backendName = backend.name;
        const rawData = await prepareData(raw.spec, { baseDir: raw.baseDir, cache: false });
        const width = rawData.inputShape.reduce((a, b) => a * b, 1);
        const { ridge, linear } = linearBaselines(width, rawData.train, rawData.test);
        const rmse: number[] = [];
        for (const scale of SCALES) {
          const pipeline = load(file, [`seed=${seed}`, `data.target.scale=${scale}`]);
          const data = scale === 'none' ? rawData : await prepareData(pipeline.spec, { baseDir: pipeline.baseDir, cache: false });
          const result = await trainPrepared(pipeline, data, backend, { store: join(dir, 'kiln.db'), quiet: true, exitHandlers: false });
          rmse.push(result.metrics.test.rmse ?? Number.NaN);
        }
        rows.push([seed, ...rmse, ridge, linear]);
        process.stderr.write(`${file} seed ${seed}: ${rows.at(-1)?.slice(1).map(f).join(' ')}\n`);
      }
      const header = ['seed', 'kiln scale: none', 'kiln scale: standard', 'sklearn ridge', 'sklearn linear'];
      const table = [header, ...rows.map(([seed, ...v]) => [String(seed), ...v.map(f)]), ['mean', ...header.slice(1).map((_, c) => f(mean(rows.map((r) => r[c + 1] ?? Number.NaN))))]];
      const widths = header.map((_, c) => Math.max(...table.map((r) => r[c]?.length ?? 0)));
      process.stdout.write(`\n${file.replace(ROOT, '')}: test RMSE in the target's units (same split per seed; ${backendName})\n${table.map((r) => r.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ')).join('\n')}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
