// `pnpm bench kernels`: the matrix products and convolutions of one training step of the MLP, CNN
// and LSTM recipes, each timed alone on Kiln's wasm backend without BLAS (XNNPACK and Kiln's wasm
// kernels), with the platform BLAS at each thread count (every product on BLAS on all threads, then
// what training picks: BLAS where it wins, threads by product size), and in PyTorch at the same counts, all in
// one run, with GFLOP/s; then the CNN step's other kernels and its conv layers with bias and ReLU, before and with
// Kiln's SIMD kernels and the fused convolution. It shows the floor under Kiln's epoch time: when the kernels of a step
// alone take longer than PyTorch's whole step, no change outside those kernels can reach parity.
// The 'size' rows (square n·n·n products) show where BLAS starts to beat XNNPACK: MIN_BLAS_MACS.
//
// The first layer of each recipe reads 64 real MNIST digits (the reference kit's file), as in
// training: PyTorch's generic BLAS and its cin=1 convolution run several times faster on those
// mostly-zero pixels than on dense random values. Other operands are uniform in [0, 1).
//
//   pnpm bench kernels [--reps N] [--threads 1,2] [--recipes mlp,cnn,lstm,size] [--no-torch]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { setBlasThreshold, setMacsPerThread } from '../backend/blas/gemm.ts';
import { findBlas, type BlasLibrary } from '../backend/blas/library.ts';
import { setConvMethod } from '../backend/blas/conv.ts';
import { useBlas } from '../backend/blas/register.ts';
import { scatterToMaxima } from '../backend/wasm-kernels/max-pool-grad.ts';
import { KILN_RELU_GRAD } from '../backend/wasm-kernels/relu-grad.ts';
import { convBiasActivation } from '../backend/wasm-kernels/conv-bias-activation.ts';
import { tfjsWasmKernel } from '../backend/wasm-kernels/index.ts';
import { selectBackend } from '../backend/select.ts';
import { timeTorch, type Op } from './kernels-torch.ts';
import { TORCH_INSTALL_HINT, torchAvailable } from './train-torch.ts';

interface Case {
  recipe: 'mlp' | 'cnn' | 'lstm' | 'size';
  name: string;
  op: Op;
  /** The left operand is MNIST pixels: a [64, 784] matrix, or [64, 28, 28, 1] images. */
  digits?: boolean;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const MNIST_FILE = resolve(process.env.KILN_BENCH_REFERENCE ?? resolve(HERE, '../../../../../shared/bench/reference'), 'data/mnist-images-idx3-ubyte.gz');
const DIGIT_STRIDE = 150; // the file is sorted by digit: every 150th image covers all ten

/** 64 digits spread over the file, pixels / 255, row-major [64, 784]. */
function mnistDigits(): Float32Array {
  const bytes = gunzipSync(readFileSync(MNIST_FILE));
  const out = new Float32Array(64 * 784);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 784; j++) out[i * 784 + j] = (bytes[16 + i * DIGIT_STRIDE * 784 + j] ?? 0) / 255;
  return out;
}

const mm = (a: [number, number], b: [number, number], transposeA = false, transposeB = false): Op => ({ kind: 'matmul', a, b, transposeA, transposeB });

/** The step's products, as tfjs' dense and conv gradients call them (batch 64; NHWC, valid padding, stride 1). */
const CASES: Case[] = [
  { recipe: 'mlp', name: 'dense1 forward', op: mm([64, 784], [784, 256]), digits: true },
  { recipe: 'mlp', name: 'dense2 forward', op: mm([64, 256], [256, 128]) },
  { recipe: 'mlp', name: 'dense3 forward', op: mm([64, 128], [128, 10]) },
  { recipe: 'mlp', name: 'dense1 dW = xT dy', op: mm([64, 784], [64, 256], true), digits: true },
  { recipe: 'mlp', name: 'dense2 dW', op: mm([64, 256], [64, 128], true) },
  { recipe: 'mlp', name: 'dense3 dW', op: mm([64, 128], [64, 10], true) },
  { recipe: 'mlp', name: 'dense2 dx = dy WT', op: mm([64, 128], [256, 128], false, true) },
  { recipe: 'mlp', name: 'dense3 dx', op: mm([64, 10], [128, 10], false, true) },
  { recipe: 'cnn', name: 'conv1 forward', op: { kind: 'conv', x: [64, 28, 28, 1], filter: [3, 3, 1, 16] }, digits: true },
  { recipe: 'cnn', name: 'conv1 backward (dW)', op: { kind: 'convBackward', x: [64, 28, 28, 1], filter: [3, 3, 1, 16], dx: false }, digits: true },
  { recipe: 'cnn', name: 'conv2 forward', op: { kind: 'conv', x: [64, 13, 13, 16], filter: [3, 3, 16, 32] } },
  { recipe: 'cnn', name: 'conv2 backward (dW, dx)', op: { kind: 'convBackward', x: [64, 13, 13, 16], filter: [3, 3, 16, 32], dx: true } },
  { recipe: 'cnn', name: 'dense forward', op: mm([64, 800], [800, 10]) },
  { recipe: 'cnn', name: 'dense dW', op: mm([64, 800], [64, 10], true) },
  { recipe: 'cnn', name: 'dense dx', op: mm([64, 10], [800, 10], false, true) },
  // spam-lstm: batch 64, 200 steps, 64 features, 64 units (gates 4·64)
  { recipe: 'lstm', name: 'input projection X·W', op: mm([12800, 64], [64, 256]) },
  { recipe: 'lstm', name: 'one step h·R (x200)', op: mm([64, 64], [64, 256]) },
  { recipe: 'lstm', name: 'one step back dZ·Rᵀ (x200)', op: mm([64, 256], [64, 256], false, true) },
  { recipe: 'lstm', name: 'dW = Xᵀ·dZ', op: mm([12800, 64], [12800, 256], true) },
  { recipe: 'lstm', name: 'dR = Hᵀ·dZ', op: mm([12800, 64], [12800, 256], true) },
  { recipe: 'lstm', name: 'dX = dZ·Wᵀ', op: mm([12800, 256], [64, 256], false, true) },
  ...[16, 32, 48, 64, 96, 128, 256].map((n): Case => ({ recipe: 'size', name: `${n}x${n}x${n}`, op: mm([n, n], [n, n]) })),
];

/** How often a case runs per training step (the LSTM's per-timestep products run once per step of the sequence). */
const perStep = (c: Case) => (c.name.includes('(x200)') ? 200 : 1);

/** Multiply-adds x 2 of one case. */
function flops(op: Op): number {
  if (op.kind === 'matmul') {
    const m = op.transposeA ? op.a[1] : op.a[0];
    const k = op.transposeA ? op.a[0] : op.a[1];
    const n = op.transposeB ? op.b[0] : op.b[1];
    return 2 * m * k * n;
  }
  const [n, h, w] = op.x;
  const [kh, kw, cin, cout] = op.filter;
  const forward = 2 * n * (h - kh + 1) * (w - kw + 1) * kh * kw * cin * cout;
  return op.kind === 'conv' ? forward : op.dx ? 2 * forward : forward;
}

/** The upstream gradient of a convolution case (made once: tf.ones of this size alone takes ~10 ms on wasm). */
function convDy(op: Op): tf.Tensor | null {
  if (op.kind === 'matmul') return null;
  const [n, h, w] = op.x;
  const [kh, kw, , cout] = op.filter;
  return tf.ones([n, h - kh + 1, w - kw + 1, cout]);
}

/** One call of the case on the active tfjs backend; the result is disposed by the caller's tidy. */
function tfjsCall(op: Op, a: tf.Tensor, b: tf.Tensor, dy: tf.Tensor | null): tf.Tensor {
  if (op.kind === 'matmul') return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, op.transposeA, op.transposeB);
  if (op.kind === 'conv') return tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid');
  if (dy === null) throw new Error('a convolution case has its upstream gradient');
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: a, dy }, { ...attrs, filterShape: op.filter }) as tf.Tensor;
  return op.dx ? (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: b }, { ...attrs, inputShape: op.x }) as tf.Tensor) : dw;
}

/** Median milliseconds per call on tfjs. */
function timeTfjs({ op }: Case, digits: Float32Array | null, reps: number): number {
  const aShape = op.kind === 'matmul' ? op.a : op.x;
  const a = digits ? tf.tensor(digits, aShape) : tf.randomUniform(aShape);
  const b = tf.randomUniform(op.kind === 'matmul' ? op.b : op.filter);
  const dy = convDy(op);
  const times: number[] = [];
  for (let i = 0; i < reps + 3; i++) {
    const t0 = performance.now();
    // Kernels run synchronously on wasm; no read-back (tidy would walk a returned array element by element).
    tf.tidy(() => {
      tfjsCall(op, a, b, dy);
    });
    if (i >= 3) times.push(performance.now() - t0);
  }
  tf.dispose([a, b, ...(dy ? [dy] : [])]);
  return median(times);
}

const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] ?? Number.NaN;

const fmt = (ms: number | undefined, d = 3) => (ms === undefined ? '-' : ms.toFixed(d));
const gflops = (f: number, ms: number | undefined) => (ms === undefined ? '-' : (f / ms / 1e6).toFixed(1));

/** A column of the table: its heading and milliseconds per case. */
interface Column {
  label: string;
  ms: number[];
}

/** Times every case on wasm without BLAS, then with BLAS at each thread count (every product on BLAS, no threshold). */
async function tfjsColumns(cases: Case[], digits: Float32Array | null, reps: number, threads: number[]): Promise<Column[]> {
  const time = () => cases.map((c) => timeTfjs(c, c.digits ? digits : null, reps));
  useBlas(null);
  const columns: Column[] = [{ label: 'XNNPACK', ms: time() }];
  for (const t of threads) {
    const found = await findBlas('auto', t);
    const blas: BlasLibrary | null = found.ok ? found.blas : null;
    if (blas === null) {
      process.stderr.write('no platform BLAS found (install libopenblas0-pthread): BLAS columns left out\n');
      break;
    }
    if (t === threads[0]) process.stderr.write(`BLAS: ${blas.name} (${blas.path})\n`);
    useBlas(blas);
    setBlasThreshold(0);
    // Every product on all t threads (OpenBLAS's own choice), as BLAS ran before Kiln chose threads per product.
    setMacsPerThread(0);
    columns.push({ label: `BLAS ${blas.threads ?? t}t`, ms: time() });
    // What training runs: BLAS where it wins (size threshold, conv method by shape), threads by product size.
    setBlasThreshold();
    setMacsPerThread();
    columns.push({ label: `Kiln ${blas.threads ?? t}t`, ms: time() });
  }
  useBlas(null);
  setBlasThreshold();
  setMacsPerThread();
  return columns;
}

/** Median ms of fn (3 warm-ups), each call's tensors disposed. */
function timeCalls(fn: () => tf.Tensor | tf.Tensor[] | void, reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < reps + 3; i++) {
    const t0 = performance.now();
    tf.tidy(() => {
      fn();
    });
    if (i >= 3) times.push(performance.now() - t0);
  }
  return median(times);
}

/** tfjs-backend-wasm's own kernel (the one Kiln wraps) called directly. */
function tfjsKernel(name: string, inputs: tf.NamedTensorMap, attrs: object = {}): tf.Tensor {
  const config = tfjsWasmKernel(name);
  if (config === undefined) throw new Error(`Kiln wraps no ${name} kernel`);
  const info = config.kernelFunc({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * The CNN step's other kernels, before (tfjs-backend-wasm's own, or Kiln's earlier JS loop) and with Kiln's SIMD
 * kernels, ms per call; and one conv layer's forward, dW and dx as training runs them (tf.grads: dW reuses the
 * forward pass's patches), XNNPACK / shifted (the way before) / Kiln's auto. Needs the BLAS for the last rows.
 */
async function simdTable(reps: number): Promise<string[]> {
  const lines = ['', '| CNN kernel (MNIST recipe, batch 64) | before, ms | Kiln, ms | before / Kiln |', '| --- | --- | --- | --- |'];
  const row = (name: string, before: number, kiln: number) => lines.push(`| ${name} | ${fmt(before)} | ${fmt(kiln)} | ${(before / kiln).toFixed(1)} |`);
  const backend = tf.backend() as unknown as { typedArrayFromHeap(t: tf.TensorInfo): Float32Array };
  for (const shape of [[64, 26, 26, 16], [64, 11, 11, 32]] as const) {
    const x = tf.randomUniform([...shape]) as tf.Tensor4D;
    const y = tf.maxPool(x, 2, 2, 'valid');
    const dy = tf.randomUniform(y.shape);
    const info = tf.backend_util.computePool2DInfo([...shape], 2, 2, 1, 'valid');
    const js = () => {
      const out = tf.zeros(x.shape);
      scatterToMaxima(info, backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(dy), backend.typedArrayFromHeap(out));
      return out;
    };
    row(`MaxPoolGrad 2x2 of ${shape.join('x')} (JS loop / SIMD)`, timeCalls(js, reps), timeCalls(() => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor, reps));
    const bias = tf.randomUniform([shape[3]]);
    row(`bias gradient: Sum of ${shape.join('x')} over n, h, w`, timeCalls(() => tfjsKernel('Sum', { x }, { axis: [0, 1, 2], keepDims: false }), reps), timeCalls(() => tf.sum(x, [0, 1, 2]), reps));
    row(`bias add: ${shape.join('x')} + [${shape[3]}]`, timeCalls(() => tfjsKernel('Add', { a: x, b: bias }), reps), timeCalls(() => tf.add(x, bias), reps));
    // dy = x: any values of the activation's shape
    const tfjsReluGrad = () => tf.mul(x, tfjsKernel('Cast', { x: tf.step(x) }, { dtype: 'float32' }));
    row(`ReLU gradient of ${shape.join('x')} (Step, Cast, Multiply / one pass)`, timeCalls(tfjsReluGrad, reps), timeCalls(() => tf.engine().runKernel(KILN_RELU_GRAD, { dy: x, x }) as tf.Tensor, reps));
    tf.dispose([x, y, dy, bias]);
  }
  const found = await findBlas('auto', 1);
  if (!found.ok || found.blas === null) return lines;
  lines.push('', '| conv layer, forward + dW (+ dx) under tf.grads | XNNPACK, ms | shifted/grid (before), ms | Kiln auto, ms |', '| --- | --- | --- | --- |');
  for (const [xs, fs, dx] of [[[64, 28, 28, 1], [3, 3, 1, 16], false], [[64, 13, 13, 16], [3, 3, 16, 32], true]] as const) {
    const [x, w] = [tf.randomUniform([...xs]) as tf.Tensor4D, tf.randomUniform([...fs]) as tf.Tensor4D];
    const step = () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')))([x, w]);
    const filterOnly = () => tf.grad((b: tf.Tensor) => tf.sum(tf.conv2d(x, b as tf.Tensor4D, 1, 'valid')))(w);
    const run = dx ? step : filterOnly;
    useBlas(null);
    const xnn = timeCalls(run, reps);
    useBlas(found.blas);
    setConvMethod(fs[2] === 1 ? 'grid' : 'shifted');
    const before = timeCalls(run, reps);
    setConvMethod();
    const kiln = timeCalls(run, reps);
    lines.push(`| ${xs.join('x')} * ${fs.join('x')}${dx ? '' : ' (no dx: first layer)'} | ${fmt(xnn)} | ${fmt(before)} | ${fmt(kiln)} |`);
    tf.dispose([x, w]);
  }
  lines.push(...fusionTable(reps));
  useBlas(null);
  return lines;
}

/**
 * Each conv layer of the recipe with its bias and ReLU, forward and gradients as training records them (tf.grads;
 * the first layer takes no input gradient): tfjs' Conv2D, Add and Relu with their gradients, against Kiln's fused
 * kernel and its one-pass activation gradient (backend/wasm-kernels/conv-bias-activation.ts). Runs on the active BLAS.
 */
function fusionTable(reps: number): string[] {
  const lines = ['', '| conv layer + bias + ReLU, forward and gradients | Conv2D, Add, Relu, ms | fused, ms | unfused / fused |', '| --- | --- | --- | --- |'];
  for (const [xs, fs, dx] of [[[64, 28, 28, 1], [3, 3, 1, 16], false], [[64, 13, 13, 16], [3, 3, 16, 32], true]] as const) {
    const [x, w, b] = [tf.randomUniform([...xs], -1, 1) as tf.Tensor4D, tf.randomUniform([...fs], -1, 1) as tf.Tensor4D, tf.randomUniform([fs[3]], -1, 1)];
    const layer = (fused: boolean) => (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
      tf.sum(fused ? convBiasActivation(a, k, c, [1, 1], 'valid', 'relu') : tf.relu(tf.add(tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, 1, 'valid'), c)));
    const run = (fused: boolean) => () => (dx ? tf.grads(layer(fused))([x, w, b]) : tf.grads((k: tf.Tensor, c: tf.Tensor) => layer(fused)(x, k, c))([w, b]));
    const [unfused, fused] = [timeCalls(run(false), reps), timeCalls(run(true), reps)];
    lines.push(`| ${xs.join('x')} * ${fs.join('x')}${dx ? '' : ' (no dx)'} | ${fmt(unfused)} | ${fmt(fused)} | ${(unfused / fused).toFixed(2)} |`);
    tf.dispose([x, w, b]);
  }
  return lines;
}

/** Runs the benchmark and prints its table (GFLOP/s, ms in parentheses) plus per-recipe sums. */
export async function main(args: string[] = []): Promise<void> {
  const reps = Number(args[args.indexOf('--reps') + 1] ?? 30) || 30;
  const threadsArg = args.includes('--threads') ? (args[args.indexOf('--threads') + 1] ?? '') : '1,2';
  const threads = threadsArg.split(',').map(Number).filter((t) => Number.isInteger(t) && t > 0);
  const recipes = args.includes('--recipes') ? (args[args.indexOf('--recipes') + 1] ?? '').split(',') : null;
  const cases = CASES.filter((c) => recipes === null || recipes.includes(c.recipe));
  const withTorch = !args.includes('--no-torch') && torchAvailable();
  if (!args.includes('--no-torch') && !withTorch) process.stderr.write(`${TORCH_INSTALL_HINT}\n`);
  await selectBackend('wasm', { threads: 1, blas: 'off' });
  const digits = existsSync(MNIST_FILE) ? mnistDigits() : null;
  if (!digits) process.stderr.write(`no ${MNIST_FILE} (the reference kit): first layers read uniform values instead of digits\n`);
  const columns = await tfjsColumns(cases, digits, reps, threads);
  if (withTorch) {
    const ops = cases.map((c) => ({ op: c.op, digits: digits !== null && c.digits === true }));
    for (const t of threads) columns.push({ label: `PyTorch ${t}t`, ms: timeTorch(ops, digits ? MNIST_FILE : null, DIGIT_STRIDE, reps, t) });
  }
  const lines = [`| recipe | product | ${columns.map((c) => `${c.label} GFLOP/s (ms)`).join(' | ')} |`, `| --- | --- |${columns.map(() => ' --- |').join('')}`];
  cases.forEach((c, i) => {
    const f = flops(c.op);
    lines.push(`| ${c.recipe} | ${c.name} | ${columns.map((col) => `${gflops(f, col.ms[i])} (${fmt(col.ms[i])})`).join(' | ')} |`);
  });
  for (const recipe of (['mlp', 'cnn', 'lstm'] as const).filter((r) => cases.some((c) => c.recipe === r))) {
    const picked = cases.flatMap((c, i) => (c.recipe === recipe ? [{ i, times: perStep(c) }] : []));
    const sum = (xs: number[]) => picked.reduce((s, { i, times }) => s + (xs[i] ?? 0) * times, 0);
    lines.push('', `${recipe}: these products of one step take ${columns.map((col) => `${fmt(sum(col.ms), 2)} ms (${col.label})`).join(', ')}`);
  }
  if (recipes === null || recipes.includes('cnn')) lines.push(...(await simdTable(reps)));
  lines.push('', `median of ${reps} calls after 3 warm-ups; BLAS columns send every product to BLAS on all its threads; Kiln columns are what training runs (BLAS where it wins: size threshold, convolution method by shape; a thread per 64M multiply-adds); tfjs ${tf.version_core}${withTorch ? '' : '; PyTorch not run'}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
