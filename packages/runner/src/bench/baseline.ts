// `pnpm bench baseline [file.yaml ...]`: trains each example pipeline once with Kiln (tracked in a throwaway
// store), then fits scikit-learn's linear model (logistic regression or ridge) and random forest on exactly
// the run's train rows and scores them on its test rows (scripts/baseline/sklearn_baseline.py, reading the
// run's split.json and the raw data itself, by Debian's /usr/bin/python3), and prints the test metrics side
// by side. A k-fold pipeline is compared fold by fold (each baseline fits every fold's train rows) and shown
// as mean ± std over the folds. Default: the date/time-split, kiln init and k-fold examples.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile } from '@kiln/core';
import { trainPipelineOrFolds } from '../run/kfold/index.ts';
import type { RunResult } from '../run/result.ts';
import { SPLIT_FILE } from '../run/split-file.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'scripts/baseline/sklearn_baseline.py');
const DEFAULTS = ['pipelines/seattle-temp-time.yaml', 'pipelines/weather-init.yaml', 'pipelines/weather-kfold.yaml'];

type Scores = Record<string, Record<string, number>>;

/** The baselines' test metrics on one run's rows. */
function baselines(file: string, runDir: string): Scores {
  const py = spawnSync(PYTHON, [SCRIPT, file, join(runDir, SPLIT_FILE), '--json'], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`${PYTHON} ${SCRIPT} exited ${py.status}: ${py.stderr}`);
  return JSON.parse(py.stdout) as Scores;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
// population standard deviation, as the k-fold parent records it
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** Kiln's test metrics (the parent's mean and .std for k-fold) and the baselines', as printable cells. */
function table(result: RunResult, rows: Record<string, Record<string, string>>): string {
  const names = [...new Set(Object.values(rows).flatMap((r) => Object.keys(r)))].sort();
  const width = Math.max(12, ...Object.values(rows).flatMap((r) => Object.values(r).map((c) => c.length + 2)));
  const line = (label: string, cells: string[]) => `${label.padEnd(20)}${cells.map((c) => c.padStart(width)).join('')}`;
  const out = [line('test', names), ...Object.entries(rows).map(([label, r]) => line(label, names.map((n) => r[n] ?? '')))];
  return `${result.folds ? `${result.folds.length} folds, mean ± std over the folds` : 'one run'}\n${out.join('\n')}\n`;
}

/** One pipeline: train it, fit the baselines on the same rows, print the table. */
async function compare(file: string, store: string, cacheDir: string): Promise<string> {
  const loaded = loadPipelineFile(file);
  if (!loaded.ok) throw new Error(`${file}: ${loaded.errors.map((e) => e.message).join('; ')}`);
  const result = await trainPipelineOrFolds(loaded.pipeline, { store, quiet: true, exitHandlers: false, cacheDir });
  const fmt = (x: number | undefined) => (x === undefined ? '' : x.toFixed(4));
  const kiln = Object.fromEntries(
    Object.entries(result.metrics.test)
      .filter(([k]) => k !== 'loss' && !k.endsWith('.std'))
      .map(([k, v]) => [k, result.folds ? `${fmt(v)} ± ${fmt(result.metrics.test[`${k}.std`])}` : fmt(v)]),
  );
  const runDirs = result.folds ? result.folds.map((f) => join(dirname(result.artifactsDir), f.runId)) : [result.artifactsDir];
  const perRun = runDirs.map((d) => baselines(file, d));
  const labels = Object.keys(perRun[0] ?? {});
  const rows: Record<string, Record<string, string>> = { kiln };
  for (const label of labels) {
    const metrics = Object.keys(perRun[0]?.[label] ?? {});
    const values = (m: string) => perRun.map((s) => s[label]?.[m] ?? Number.NaN);
    rows[label] = Object.fromEntries(metrics.map((m) => [m, result.folds ? `${fmt(mean(values(m)))} ± ${fmt(std(values(m)))}` : fmt(values(m)[0])]));
  }
  const kept = result.folds ? `parent ${result.runId}` : `run ${result.runId}, kept epoch ${result.keptEpoch ?? '-'} of ${result.epochs}`;
  return `\n${loaded.pipeline.spec.name}: Kiln ${kept} (${result.status}); the baselines fit the same train rows and score the same test rows (split.json), ${table(result, rows)}`;
}

/** Runs the benchmark: one table per pipeline, Kiln's test metrics first. */
export async function main(args: string[] = []): Promise<void> {
  const files = args.length > 0 ? args : DEFAULTS.map((p) => join(ROOT, p));
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-baseline-'));
  try {
    for (const file of files) process.stdout.write(await compare(file, join(dir, 'kiln.db'), join(dir, 'cache')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
