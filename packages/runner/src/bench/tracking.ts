// `pnpm bench tracking`: what tracking costs. The same pipeline trained through the runner with
// tracking on (a real libsql store: params, per-step and per-epoch metrics, artifacts) and through
// the bare training loop with no tracker, interleaved in one process so both see the same machine.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineFile } from '@kiln/core/spec';
import { selectBackend } from '../backend/select.ts';
import { prepareData } from '../data/prepare.ts';
import { buildModel } from '../model/build.ts';
import { trainPrepared } from '../run/train-pipeline.ts';
import { trainLoop } from '../train/loop.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Epoch seconds of the bare loop (no store, no progress output). */
async function untracked(pipeline: Parameters<typeof trainPrepared>[0], data: Awaited<ReturnType<typeof prepareData>>): Promise<number[]> {
  const model = buildModel(pipeline.spec.model, data, pipeline.spec.seed);
  const seconds: number[] = [];
  let t = 0;
  try {
    await trainLoop({
      model,
      spec: pipeline.spec.train,
      data: { ...data, task: data.target.type },
      seed: pipeline.spec.seed,
      hooks: { onEpochStart: () => void (t = performance.now()), onEpoch: () => void seconds.push((performance.now() - t) / 1000) },
    });
  } finally {
    model.dispose();
  }
  return seconds;
}

/** Runs the benchmark and prints its table. */
export async function main(args: string[] = []): Promise<void> {
  const file = args.find((a) => a.endsWith('.yaml')) ?? join(ROOT, 'pipelines/mnist-mlp.yaml');
  const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 2);
  const loaded = loadPipelineFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const pipeline = loaded.pipeline;
  const backend = await selectBackend(pipeline.spec.runtime.backend);
  const data = await prepareData(pipeline.spec, { baseDir: pipeline.baseDir });
  const store = join(mkdtempSync(join(tmpdir(), 'kiln-bench-tracking-')), 'kiln.db');
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Epoch 1 carries warm-up (kernel compilation, first allocations) and is left out on both sides.
    const tracked = await trainPrepared(pipeline, data, backend, { store, quiet: true, exitHandlers: false });
    on.push(...tracked.epochSeconds.slice(1));
    off.push(...(await untracked(pipeline, data)).slice(1));
  }
  const [mOn, mOff] = [median(on), median(off)];
  process.stdout.write(
    [
      `${pipeline.spec.name} on ${backend.name} (${backend.threads} thread), ${rounds} interleaved rounds x ${pipeline.spec.train.epochs} epochs, median of epochs 2..n:`,
      `  tracking on  (runner + libsql store): ${mOn.toFixed(3)} s/epoch`,
      `  tracking off (bare training loop):    ${mOff.toFixed(3)} s/epoch`,
      `  overhead: ${(((mOn - mOff) / mOff) * 100).toFixed(2)} %  (target <= 2 %)`,
    ].join('\n') + '\n',
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
