// `pnpm bench baseline [file.yaml ...]`: trains each example pipeline once with Kiln (tracked in a throwaway
// store), then fits scikit-learn's linear model (logistic regression or ridge) and random forest on exactly
// the run's train rows and scores them on its test rows (scripts/baseline/sklearn_baseline.py, reading the
// run's split.json and the raw data itself, by Debian's /usr/bin/python3), and prints the test metrics side
// by side. Default: the date/time-split example and the kiln init example.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile } from '@kiln/core';
import { trainPipeline } from '../run/train-pipeline.ts';
import { SPLIT_FILE } from '../run/split-file.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PYTHON = '/usr/bin/python3';
const DEFAULTS = ['pipelines/seattle-temp-time.yaml', 'pipelines/weather-init.yaml'];

/** Runs the benchmark: one table per pipeline, Kiln's test metrics first. */
export async function main(args: string[] = []): Promise<void> {
  const files = args.length > 0 ? args : DEFAULTS.map((p) => join(ROOT, p));
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-baseline-'));
  try {
    for (const file of files) {
      const loaded = loadPipelineFile(file);
      if (!loaded.ok) throw new Error(`${file}: ${loaded.errors.map((e) => e.message).join('; ')}`);
      const result = await trainPipeline(loaded.pipeline, { store: join(dir, 'kiln.db'), quiet: true, exitHandlers: false, cacheDir: join(dir, 'cache') });
      const resultFile = join(dir, `${result.runId}.json`);
      writeFileSync(resultFile, JSON.stringify(result));
      const py = spawnSync(PYTHON, [join(ROOT, 'scripts/baseline/sklearn_baseline.py'), file, join(result.artifactsDir, SPLIT_FILE), resultFile], { encoding: 'utf8' });
      if (py.status !== 0) throw new Error(`${PYTHON} scripts/baseline/sklearn_baseline.py exited ${py.status}: ${py.stderr}`);
      process.stdout.write(`\n${loaded.pipeline.spec.name}: Kiln run ${result.runId} (${result.status}, kept epoch ${result.keptEpoch ?? '-'} of ${result.epochs}); the baselines fit the same train rows and score the same test rows (split.json)\n${py.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
