import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KilnFailure } from '@kiln/core/errors';
import { getRun, metricHistory, openStore, sha256File } from '@kiln/core/store';
import { startRun } from './run.ts';

const THIS_FILE = fileURLToPath(import.meta.url);

function tempStore(): string {
  return join(mkdtempSync(join(tmpdir(), 'kiln-track-')), 'kiln.db');
}

async function readRun(url: string, id: string) {
  const store = await openStore(url);
  try {
    const run = await getRun(store, id);
    const loss = await metricHistory(store, id, 'loss');
    return { run, loss, artifactsDir: store.artifactsDir };
  } finally {
    store.close();
  }
}

describe('startRun', () => {
  it('records params, metrics at their steps, tags, an artifact with its sha256, the source script and provenance', async () => {
    const url = tempStore();
    const run = await startRun({ experiment: 'mine', name: 'my-fit', params: { lr: 0.01, layers: [64, 10], opt: { beta1: 0.9 } }, tags: { team: 'nlp' }, store: url, script: THIS_FILE, exitHandlers: false });
    run.log({ loss: 0.5, acc: 0.8 }, { step: 10 });
    run.log({ loss: 0.3, acc: 0.91 }, { step: 20, epoch: 2 });
    run.log({ loss: 0.2 }); // no step: one past the highest so far
    expect(run.step).toBe(21);
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-art-')), 'weights.bin');
    writeFileSync(file, 'abc');
    const art = await run.logArtifact(file);
    await run.setTag('stage', 'dev');
    await run.end();

    const { run: got, loss, artifactsDir } = await readRun(url, run.id);
    expect(got).toMatchObject({ name: 'my-fit', experiment: 'mine', status: 'finished', yaml: '', config: { lr: 0.01, layers: [64, 10], opt: { beta1: 0.9 } } });
    expect(got?.params).toMatchObject({ lr: 0.01, 'layers[0]': 64, 'layers[1]': 10, 'opt.beta1': 0.9 });
    expect(loss.points.map((p) => [p.step, p.value])).toEqual([
      [10, 0.5],
      [20, 0.3],
      [21, 0.2],
    ]);
    expect(got?.metrics.acc).toMatchObject({ last: 0.91, count: 2 });
    expect(got?.tags).toMatchObject({ team: 'nlp', stage: 'dev', 'kiln.source': 'packages/runner/src/track/run.test.ts', 'kiln.source.sha256': await sha256File(THIS_FILE) });
    expect(got?.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(got?.kilnVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(got?.artifacts).toEqual([expect.objectContaining({ path: `${run.id}/weights.bin`, kind: 'file', size: 3, sha256: art.sha256 })]);
    expect(art.sha256).toBe(await sha256File(file));
    expect(readFileSync(join(artifactsDir, art.path), 'utf8')).toBe('abc');
  });

  it('ends failed or killed with the reason; the first end wins and logging after it throws', async () => {
    const url = tempStore();
    const failed = await startRun({ experiment: 'e', store: url, exitHandlers: false });
    failed.log({ loss: 1 });
    await Promise.all([failed.end('failed', 'why'), failed.end()]);
    await failed.end('killed');
    expect(failed.ended).toBe(true);
    expect(() => failed.log({ loss: 2 })).toThrow(/has ended/);
    const killed = await startRun({ experiment: 'e', store: url, exitHandlers: false });
    await killed.end('killed', 'stopped by hand');

    expect((await readRun(url, failed.id)).run).toMatchObject({ status: 'failed', failureReason: 'why', metrics: { loss: { last: 1, count: 1 } } });
    expect((await readRun(url, killed.id)).run).toMatchObject({ status: 'killed', failureReason: 'stopped by hand' });
  });

  it('names the run after the script and records tfjs facts from a tf namespace', async () => {
    const url = tempStore();
    const run = await startRun({ store: url, script: THIS_FILE, tf: { version_core: '9.9.9', getBackend: () => 'wasm' }, exitHandlers: false });
    await run.end();
    const { run: got } = await readRun(url, run.id);
    expect(got).toMatchObject({ experiment: 'run.test', tfjsVersion: '9.9.9', tfjsBackend: 'wasm' });
    expect(got?.name).toMatch(/^run\.test-[0-9a-f]{4,}$/);
  });

  it('refuses a metric that is not a number, or a bad step, as a KilnFailure naming it', async () => {
    const run = await startRun({ store: tempStore(), exitHandlers: false });
    const caught = (f: () => void): KilnFailure | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof KilnFailure ? e : undefined;
      }
      return undefined;
    };
    expect(caught(() => run.log({ loss: '0.3' as unknown as number }))?.errors[0]).toMatchObject({ code: 'track/bad-input', path: 'loss' });
    expect(caught(() => run.log({ loss: 1 }, { step: 1.5 }))?.errors[0]).toMatchObject({ code: 'track/bad-input', path: 'step' });
    await run.end();
  });
});
