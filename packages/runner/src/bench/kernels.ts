// `pnpm bench kernels`: the matrix products and convolutions of one training step of the issue-7
// recipes, each timed alone on Kiln's wasm backend and in PyTorch (1 thread, same shapes, same
// run), with GFLOP/s. It shows the floor under Kiln's epoch time: when the wasm kernels of a step
// alone take longer than PyTorch's whole step, no change outside those kernels can reach parity.
//
// The first layer of each recipe reads 64 real MNIST digits (the reference kit's file), as in
// training: PyTorch's generic BLAS and its cin=1 convolution run several times faster on those
// mostly-zero pixels than on dense random values. Other operands are uniform in [0, 1).
//
//   pnpm exec tsx packages/runner/src/bench/kernels.ts [--reps N] [--no-torch]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../backend/select.ts';
import { PYTHON, TORCH_INSTALL_HINT, torchAvailable } from './train-torch.ts';

type Op =
  | { kind: 'matmul'; a: [number, number]; b: [number, number]; transposeA: boolean; transposeB: boolean }
  | { kind: 'conv'; x: [number, number, number, number]; filter: [number, number, number, number] }
  /** The convolution's backward pass: the filter gradient, and the input gradient when `dx`. */
  | { kind: 'convBackward'; x: [number, number, number, number]; filter: [number, number, number, number]; dx: boolean };

interface Case {
  recipe: 'mlp' | 'cnn';
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
];

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
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC' };
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: a, dy: dy! }, { ...attrs, filterShape: op.filter }) as tf.Tensor;
  return op.dx ? (tf.engine().runKernel('Conv2DBackpropInput', { dy: dy!, filter: b }, { ...attrs, inputShape: op.x }) as tf.Tensor) : dw;
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

const TORCH_SCRIPT = `
import gzip, json, sys, time, numpy as np, torch
import torch.nn.functional as F
torch.set_num_threads(1)
cases, reps, mnist, stride = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
digits = None
if mnist:
    raw = np.frombuffer(gzip.open(mnist).read()[16:], dtype=np.uint8).reshape(-1, 784)
    digits = torch.from_numpy(raw[::stride][:64].astype(np.float32) / 255)
def timed(op, a, b):
    # As in training: weights require grad; the backward pass is autograd's, timed without its forward.
    if op['kind'] == 'matmul':
        t0 = time.perf_counter(); (a.t() if op['transposeA'] else a) @ (b.t() if op['transposeB'] else b)
        return time.perf_counter() - t0
    t0 = time.perf_counter(); y = F.conv2d(a, b); t1 = time.perf_counter()
    if op['kind'] == 'conv': return t1 - t0
    dy = torch.ones_like(y)
    t0 = time.perf_counter(); y.backward(dy); t = time.perf_counter() - t0
    a.grad = b.grad = None
    return t
out = []
for op, use_digits in cases:
    if op['kind'] == 'matmul':
        a, b = digits.clone() if use_digits else torch.rand(*op['a']), torch.rand(*op['b'])
    else:
        n, h, w, c = op['x']; kh, kw, cin, cout = op['filter']
        a = digits.reshape(n, c, h, w).clone() if use_digits else torch.rand(n, c, h, w)
        a.requires_grad_(op.get('dx', False))
        b = torch.rand(cout, cin, kh, kw, requires_grad=True)
    ts = [timed(op, a, b) * 1000 for i in range(reps + 3)][3:]
    out.append(sorted(ts)[len(ts) // 2])
print(json.dumps(out))
`;

/** Median milliseconds per call of every case in PyTorch, one process, 1 thread. */
function timeTorch(cases: Case[], withDigits: boolean, reps: number): number[] {
  const payload = JSON.stringify(cases.map((c) => [c.op, withDigits && c.digits === true]));
  const r = spawnSync(PYTHON, ['-c', TORCH_SCRIPT, payload, String(reps), withDigits ? MNIST_FILE : '', String(DIGIT_STRIDE)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyTorch timing failed: ${r.stderr.slice(-1500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as number[];
}

const fmt = (ms: number | undefined, d = 3) => (ms === undefined ? '-' : ms.toFixed(d));
const gflops = (f: number, ms: number | undefined) => (ms === undefined ? '-' : (f / ms / 1e6).toFixed(1));

/** Runs the benchmark and prints its table plus per-recipe sums. */
export async function main(args: string[] = []): Promise<void> {
  const reps = Number(args[args.indexOf('--reps') + 1] ?? 30) || 30;
  const withTorch = !args.includes('--no-torch') && torchAvailable();
  if (!args.includes('--no-torch') && !withTorch) process.stderr.write(`${TORCH_INSTALL_HINT}\n`);
  await selectBackend('wasm', { threads: 1 });
  const digits = existsSync(MNIST_FILE) ? mnistDigits() : null;
  if (!digits) process.stderr.write(`no ${MNIST_FILE} (the reference kit): first layers read uniform values instead of digits\n`);
  const kiln = CASES.map((c) => timeTfjs(c, c.digits ? digits : null, reps));
  const torch = withTorch ? timeTorch(CASES, digits !== null, reps) : [];
  const lines = ['| recipe | product | Kiln wasm ms | PyTorch ms | ratio | Kiln GFLOP/s | PyTorch GFLOP/s |', '| --- | --- | --- | --- | --- | --- | --- |'];
  CASES.forEach((c, i) => {
    const f = flops(c.op);
    const [k, t] = [kiln[i], torch[i]];
    lines.push(`| ${c.recipe} | ${c.name} | ${fmt(k)} | ${fmt(t)} | ${k !== undefined && t ? (k / t).toFixed(2) : '-'} | ${gflops(f, k)} | ${gflops(f, t)} |`);
  });
  for (const recipe of ['mlp', 'cnn'] as const) {
    const idx = CASES.flatMap((c, i) => (c.recipe === recipe ? [i] : []));
    const sum = (xs: number[]) => idx.reduce((s, i) => s + (xs[i] ?? 0), 0);
    lines.push('', `${recipe}: these products of one step (batch 64) take ${fmt(sum(kiln))} ms on Kiln's wasm backend${withTorch ? `, ${fmt(sum(torch))} ms in PyTorch (${(sum(kiln) / sum(torch)).toFixed(2)}x)` : ''}`);
  }
  lines.push('', `1 thread each; median of ${reps} calls after 3 warm-ups; tfjs ${tf.version_core}${withTorch ? '' : '; PyTorch not run'}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
