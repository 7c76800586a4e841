import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createReporter, keptLine, summaryTable } from './progress.ts';
import type { RunResult } from './result.ts';

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({ write: (chunk: Buffer, _enc, cb) => ((out += chunk.toString()), cb()) });
  return { stream, text: () => out };
}

const metrics = { train: { loss: 0.5, accuracy: 0.8 }, val: { loss: 0.6, accuracy: 0.75 }, lr: 0.001 };
const result: RunResult = {
  runId: 'r1',
  status: 'finished',
  bestEpoch: 2,
  monitor: 'val.loss',
  keptEpoch: 2,
  restored: true,
  epochs: 3,
  seconds: 12.5,
  epochSeconds: [4, 4, 4.5],
  metrics: { train: { loss: 0.5 }, val: { loss: 0.6, accuracy: 0.75 }, test: { loss: 0.55, accuracy: 0.8 } },
  artifactsDir: '/a/r1',
};

describe('progress output', () => {
  it('without a terminal: one line per epoch with the loss, the monitored metric and the rate; no bar', () => {
    const err = sink();
    const r = createReporter({ quiet: false, tty: false, monitor: 'val.accuracy', epochs: 3, err: err.stream, out: sink().stream });
    r.epochStart(1, 10);
    for (let s = 1; s <= 10; s++) r.step(s);
    r.epochEnd(1, metrics, 4);
    expect(err.text()).toBe('epoch 1/3  4.0s  loss 0.5000  val.loss 0.6000  val.accuracy 0.7500  lr 0.0010\n');
  });

  it('on a terminal: a bar redrawn in place, then the epoch line replaces it', () => {
    const err = sink();
    const r = createReporter({ quiet: false, tty: true, monitor: 'val.loss', epochs: 3, err: err.stream, out: sink().stream });
    r.epochStart(2, 4);
    r.batch(5, 0.25);
    r.step(6);
    expect(err.text()).toContain('\r\x1b[2Kepoch 2/3 [============            ] 2/4 ETA');
    expect(err.text()).toContain('loss 0.2500');
    r.epochEnd(2, metrics, 3);
    expect(err.text().endsWith('\r\x1b[2Kepoch 2/3  3.0s  loss 0.5000  val.loss 0.6000  lr 0.0010\n')).toBe(true);
  });

  it('quiet prints nothing; the summary lists the kept val and test per metric, the kept epoch, time and run id', () => {
    const err = sink();
    const out = sink();
    const q = createReporter({ quiet: true, tty: true, monitor: 'val.loss', epochs: 3, err: err.stream, out: out.stream });
    q.epochStart(1, 2);
    q.step(1);
    q.epochEnd(1, metrics, 1);
    q.summary(result);
    expect(err.text() + out.text()).toBe('');
    const table = summaryTable(result);
    expect(table).toContain('metric    val (epoch 2)    test');
    expect(table).toContain('accuracy         0.7500  0.8000');
    expect(table).toMatch(/kept {8}epoch 2 of 3 \(best val\.loss, weights restored\)\ntime {8}13s\nrun {9}r1/);
  });

  it('says which epoch was kept: the last one (and where the best was), or none for a failed run; warnings come first', () => {
    expect(keptLine({ ...result, restored: false, keptEpoch: 3 })).toBe('epoch 3 of 3 (the last; the best val.loss was at epoch 2, not restored)');
    expect(keptLine({ ...result, restored: false, keptEpoch: 3, bestEpoch: 3 })).toBe('epoch 3 of 3 (the last, also the best val.loss)');
    const failed = { ...result, status: 'failed' as const, keptEpoch: undefined };
    expect(keptLine(failed)).toBe("no model (run failed); the values are epoch 3's");
    expect(keptLine({ ...failed, epochs: 0 })).toBe('no model (run failed before an epoch ended)');
    const table = summaryTable({ ...failed, warnings: ['train loss diverged: 10.5 at epoch 3'] });
    expect(table).toContain('metric    val (last, epoch 3)');
    expect(table).toMatch(/warning {5}train loss diverged: 10\.5 at epoch 3\nkept {8}no model/);
  });
});
