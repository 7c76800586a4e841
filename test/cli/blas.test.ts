import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kiln, REPO } from './run-cli.ts';

/** The MNIST CNN recipe on 300 digits for one epoch, with a runtime section of our own. */
function pipeline(dir: string, runtime: string): string {
  const base = readFileSync(join(REPO, 'pipelines/mnist-cnn.yaml'), 'utf8');
  const file = join(dir, 'cnn.yaml');
  writeFileSync(file, `${base.replace('{ type: builtin, name: mnist }', '{ type: builtin, name: mnist, limit: 300 }').replace('epochs: 5', 'epochs: 1')}runtime:\n${runtime}\n`);
  return file;
}

interface Result {
  runId: string;
  status: string;
  metrics: { train: { loss: number }; test: { loss: number } };
}

/** Trains the pipeline through the real CLI and reads back its result and the run's blas tag. */
function train(file: string, store: string, set: string[]): { result: Result; blasTag: string | undefined } {
  const run = kiln(['train', file, '--json', ...set.flatMap((s) => ['--set', s])], { env: { KILN_STORE: store } });
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout) as Result;
  const show = kiln(['show', result.runId, '--json'], { env: { KILN_STORE: store } });
  expect(show.code).toBe(0);
  const blasTag = (JSON.parse(show.stdout) as { tags: Record<string, string> }).tags.blas;
  // kiln show prints it whole on a line of its own
  expect(kiln(['show', result.runId], { env: { KILN_STORE: store } }).stdout).toContain(`\nblas      ${blasTag}\n`);
  return { result, blasTag };
}

describe('runtime.blas (as a user sets it)', () => {
  it('trains to the same loss with the platform BLAS as without it, and records which library and threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-blas-'));
    const store = join(dir, 'kiln.db');
    const file = pipeline(dir, '  threads: 1');
    const off = train(file, store, ['runtime.blas=off']);
    const auto = train(file, store, ['runtime.blas=auto']);
    expect(off.blasTag).toBe('off');
    // CI installs OpenBLAS (.ci/run): auto must find it
    expect(auto.blasTag).toMatch(/^OpenBLAS \S+ \(\/.*libopenblas[^)]*\), 1 thread$/);
    // Same data, seed and initial weights; only the order of float32 sums in the products differs (~1e-7 relative
    // per product), which after a few Adam steps stays far below the 1e-4 allowed here. A wrong product is off by O(1).
    expect(Math.abs(auto.result.metrics.train.loss - off.result.metrics.train.loss)).toBeLessThan(1e-4);
    expect(Math.abs(auto.result.metrics.test.loss - off.result.metrics.test.loss)).toBeLessThan(1e-4);
  });

  it('refuses a library path that cannot be loaded: exit 2, located at runtime.blas in the file, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-blas-'));
    const file = pipeline(dir, '  blas: /nonexistent/libopenblas.so.0');
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('/nonexistent/')) + 1;
    const run = kiln(['train', file], { env: { KILN_STORE: join(dir, 'kiln.db') } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error[backend/blas] ${file}:${line}:`);
    expect(run.stderr).toContain("cannot use BLAS library '/nonexistent/libopenblas.so.0'");
    expect(run.stderr).toContain('hint: ');
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
