// `kiln runs --sort`, as documented: a descending key after a space, and a bad key blamed on --sort.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@kiln/core/store';
import { seedRuns } from '@kiln/core/testing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

const store = join(mkdtempSync(join(tmpdir(), 'kiln-sort-')), 'kiln.db');

/** Runs the CLI in this process; returns its exit code and what it printed. */
async function kiln(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const capture = (key: 'stdout' | 'stderr') => (chunk: string | Uint8Array) => {
    out[key] += String(chunk);
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture('stdout'));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture('stderr'));
  try {
    return { code: await main([...argv, '--store', store]), ...out };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('kiln runs --sort', () => {
  beforeAll(async () => {
    const s = await openStore(store);
    await seedRuns(s, 6);
    s.close();
  });

  it('sorts descending with `--sort -metrics.val.accuracy`, as `--sort=-...` does', async () => {
    const spaced = await kiln(['runs', '--sort', '-metrics.val.accuracy', '--json']);
    expect(spaced.stderr).toBe('');
    expect(spaced.code).toBe(0);
    const accuracies = (JSON.parse(spaced.stdout) as { runs: { metrics: Record<string, { last: number }> }[] }).runs.map((r) => r.metrics['val.accuracy']?.last);
    expect(accuracies).toHaveLength(6);
    expect(accuracies).toEqual([...accuracies].sort((a, b) => (b ?? 0) - (a ?? 0)));
    expect((await kiln(['runs', '--sort=-metrics.val.accuracy', '--json'])).stdout).toBe(spaced.stdout);
  });

  it('names --sort, not the filter, when the sort key is unknown', async () => {
    const r = await kiln(['runs', '--filter', 'status = finished', '--sort', 'nme']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--sort');
    expect(r.stderr).toContain("unknown field 'nme'");
    expect(r.stderr).not.toContain('--filter');
    expect(r.stderr).not.toContain('status = finished');
  });

  it('refuses a metric no run has, with a did-you-mean, rather than leaving the order as it was', async () => {
    const r = await kiln(['runs', '--sort', '-metrics.val.acuracy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no run has metric 'val.acuracy'");
    expect(r.stderr).toContain("did you mean 'metrics.val.accuracy'");
  });

  it('still shows a filter error in the typed query', async () => {
    const r = await kiln(['runs', '--filter', 'staus = finished', '--sort', 'name']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--filter:1:1');
    expect(r.stderr).toContain('staus = finished');
  });
});
