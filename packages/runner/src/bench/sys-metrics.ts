// `pnpm bench sys-metrics`: what recording system metrics costs per epoch. The sample itself (two
// clocks and process.memoryUsage()) timed over many calls, and the store write of an epoch's points
// with and without the four sys/* points, alternating in one process against one real libsql store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTracker, openStore, type MetricPoint } from '@kiln/core/store';
import { systemPoints, systemSampler } from '../run/system-metrics.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Microseconds per sample, median of 20 rounds of 2,000 samples. */
function sampleMicros(): number {
  const s = systemSampler();
  const rounds: number[] = [];
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    for (let i = 0; i < 2000; i++) s.sample();
    rounds.push(((performance.now() - t) * 1000) / 2000);
  }
  return median(rounds);
}

/** An epoch's model points as the runner logs them for a 3-metric classifier. */
function epochPoints(epoch: number): MetricPoint[] {
  const keys = ['train.loss', 'train.accuracy', 'train.f1', 'val.loss', 'val.accuracy', 'val.f1', 'lr', 'time.epoch_seconds'];
  return keys.map((key) => ({ key, step: epoch * 100, epoch, value: Math.random() }));
}

/** Runs the benchmark and prints its table. */
export async function main(args: string[] = []): Promise<void> {
  const epochs = Number(args.find((a) => /^\d+$/.test(a)) ?? 200);
  const micros = sampleMicros();
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'kiln-bench-sys-')), 'kiln.db'));
  try {
    const tracker = createTracker(store);
    const plain = await tracker.startRun({ experiment: 'bench', name: 'plain', config: {}, yaml: '', configHash: 'a', seed: 1 });
    const withSys = await tracker.startRun({ experiment: 'bench', name: 'sys', config: {}, yaml: '', configHash: 'b', seed: 1 });
    const sampler = systemSampler();
    const ms = { plain: [] as number[], sys: [] as number[] };
    for (let e = 1; e <= epochs; e++) {
      let t = performance.now();
      plain.logMetrics(epochPoints(e));
      await plain.flush();
      ms.plain.push(performance.now() - t);
      t = performance.now();
      withSys.logMetrics([...epochPoints(e), ...systemPoints(sampler.sample(), e, e * 100)]);
      await withSys.flush();
      ms.sys.push(performance.now() - t);
    }
    await plain.end('finished');
    await withSys.end('finished');
    const [p, s] = [median(ms.plain), median(ms.sys)];
    console.log(`system metrics overhead (${epochs} epochs, libsql file, alternating)`);
    console.log(`  one sample (clocks + process.memoryUsage)      ${micros.toFixed(2)} µs`);
    console.log(`  epoch write, model points only (median)        ${p.toFixed(3)} ms`);
    console.log(`  epoch write, model + 4 sys/* points (median)   ${s.toFixed(3)} ms`);
    console.log(`  added per epoch                                ${(s - p + micros / 1000).toFixed(3)} ms (no per-step cost)`);
  } finally {
    store.close();
  }
}
