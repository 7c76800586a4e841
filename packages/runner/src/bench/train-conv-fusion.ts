// `pnpm bench conv-fusion [--repeat N] [--epochs N] [--threads N]`: the MNIST CNN recipe's epoch (the plain
// training loop with Kiln's Conv2D layer, on wasm with the platform BLAS) with each convolution's bias and ReLU
// fused into one kernel and one gradient pass (backend/wasm-kernels/conv-bias-activation.ts) and without (tfjs'
// Conv2D, Add, Relu and their gradients), alternating in one process so both see the same machine load. CPU
// seconds per epoch (process.cpuUsage: steadier than wall time on a busy machine), wall seconds, median over
// epochs 2..n of every repeat, and test accuracy.
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeBlas } from '../backend/blas/setup.ts';
import { setConvFusion } from '../backend/wasm-kernels/conv-bias-activation.ts';
import { selectBackend } from '../backend/select.ts';
import { trainPlain } from './train-plain.ts';
import { BENCH_TASKS, median } from './train-tasks.ts';
import { prepareTask } from './train.ts';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const option = (args: string[], name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i < 0 ? fallback : Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} takes a positive integer`);
  return v;
};

/** Runs the comparison and prints one table. */
export async function main(args: string[] = []): Promise<void> {
  const [repeat, epochs, threads] = [option(args, '--repeat', 3), option(args, '--epochs', 2), option(args, '--threads', 1)];
  const task = BENCH_TASKS.find((t) => t.name === 'cnn');
  if (task === undefined) throw new Error('no cnn bench task');
  const backend = await selectBackend('wasm', { threads });
  const data = await prepareTask(task, join(tmpdir(), 'kiln-bench-train-cache'));
  const modes = [
    { name: 'unfused (Conv2D, Add, Relu)', fused: false },
    { name: 'fused (bias + ReLU in the conv)', fused: true },
  ];
  const results = modes.map(() => ({ cpu: [] as number[], wall: [] as number[], accuracy: Number.NaN }));
  for (let r = 0; r < repeat; r++) {
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0]) {
      setConvFusion(modes[i]?.fused);
      const run = trainPlain('cnn', data, epochs);
      const result = results[i];
      if (result === undefined) continue;
      result.cpu.push(...run.epochCpuSeconds.slice(1));
      result.wall.push(...run.epochSeconds.slice(1));
      result.accuracy = run.testAccuracy;
      process.stderr.write(`  ${modes[i]?.name}: CPU s/epoch ${run.epochCpuSeconds.map((t) => t.toFixed(3)).join(' ')}\n`);
    }
  }
  setConvFusion();
  const out = ['| MNIST CNN epoch, plain loop | CPU s/epoch | wall s/epoch | test accuracy |', '| --- | --- | --- | --- |'];
  modes.forEach((m, i) => {
    const res = results[i];
    if (res) out.push(`| ${m.name} | ${median(res.cpu).toFixed(3)} | ${median(res.wall).toFixed(3)} | ${res.accuracy.toFixed(4)} |`);
  });
  const [off, on] = [median(results[0]?.cpu ?? []), median(results[1]?.cpu ?? [])];
  out.push('', `fused / unfused CPU time: ${(on / off).toFixed(3)}; ${threads} thread(s), products: ${backend.blas ? describeBlas(backend.blas) : 'xnnpack'}; medians of epochs 2..${epochs} over ${repeat} alternating repeats; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
