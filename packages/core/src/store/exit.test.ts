import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installExitHandlers, watchLauncher } from './exit.ts';
import { openStore, type Store } from './open.ts';
import { getRun } from './query.ts';
import { createTracker, type RunHandle } from './tracker.ts';

let store: Store | undefined;
let remove = () => {};
afterEach(() => {
  remove();
  store?.close();
});

async function liveRun(): Promise<RunHandle> {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'kiln-exit-')), 'kiln.db'));
  return createTracker(store).startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'h', seed: 1, dataFingerprint: 'fp', provenance: {} });
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('installExitHandlers', () => {
  it('without stop: a signal flushes the metrics, marks the run killed, cleans up and exits 128 + signal', async () => {
    const run = await liveRun();
    const exits: number[] = [];
    const cleaned: string[] = [];
    remove = installExitHandlers(run, { exit: (code) => exits.push(code), cleanup: () => cleaned.push('tmp') });
    run.logMetrics([{ key: 'loss', step: 1, epoch: 1, value: 0.5 }]);
    process.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(exits).toEqual([143]);
    expect(cleaned).toEqual(['tmp']);
    const row = await getRun(store!, run.id);
    expect(row?.status).toBe('killed');
    expect(row?.failureReason).toBe('received SIGTERM');
    expect(row?.metrics.loss?.count).toBe(1);
  });

  it('with stop: the first signal only asks the owner to stop; a second one ends the run here', async () => {
    const run = await liveRun();
    const exits: number[] = [];
    const stops: string[] = [];
    remove = installExitHandlers(run, { exit: (code) => exits.push(code), stop: (signal) => stops.push(signal) });
    process.emit('SIGINT', 'SIGINT');
    await settle();
    expect(stops).toEqual(['SIGINT']);
    expect(exits).toEqual([]);
    expect(run.ended).toBe(false);
    process.emit('SIGINT', 'SIGINT');
    await settle();
    expect(exits).toEqual([130]);
    expect((await getRun(store!, run.id))?.status).toBe('killed');
  });
});

describe('watchLauncher', () => {
  it.each([
    ['outside a package-manager script', undefined],
    ['under a package-manager script while the parent that started it lives', 'test'],
  ])('stays quiet %s', async (_when, lifecycleEvent) => {
    const saved = process.env.npm_lifecycle_event;
    if (lifecycleEvent === undefined) delete process.env.npm_lifecycle_event;
    else process.env.npm_lifecycle_event = lifecycleEvent;
    try {
      let called = false;
      const stop = watchLauncher(() => (called = true), 10);
      await settle();
      stop();
      expect(called).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.npm_lifecycle_event;
      else process.env.npm_lifecycle_event = saved;
    }
  });
});
