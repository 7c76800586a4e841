/** The PyTorch side of `pnpm bench kernels`: the same products and convolutions, timed in one Python process. */
import { spawnSync } from 'node:child_process';
import { PYTHON } from './train-torch.ts';

/** One timed operation, as kernels.ts and the Python script both read it. */
export type Op =
  | { kind: 'matmul'; a: [number, number]; b: [number, number]; transposeA: boolean; transposeB: boolean }
  | { kind: 'conv'; x: [number, number, number, number]; filter: [number, number, number, number] }
  /** The convolution's backward pass: the filter gradient, and the input gradient when `dx`. */
  | { kind: 'convBackward'; x: [number, number, number, number]; filter: [number, number, number, number]; dx: boolean };

const TORCH_SCRIPT = `
import gzip, json, sys, time, numpy as np, torch
import torch.nn.functional as F
cases, reps, mnist, stride, threads = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
torch.set_num_threads(threads)
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

/** Median milliseconds per call of every case in PyTorch at the given thread count, one process. */
export function timeTorch(cases: { op: Op; digits: boolean }[], mnistFile: string | null, digitStride: number, reps: number, threads: number): number[] {
  const payload = JSON.stringify(cases.map((c) => [c.op, c.digits]));
  const r = spawnSync(PYTHON, ['-c', TORCH_SCRIPT, payload, String(reps), mnistFile ?? '', String(digitStride), String(threads)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`PyTorch timing failed: ${r.stderr.slice(-1500)}`);
  const last = r.stdout.trim().split('\n').pop() ?? '[]';
  return JSON.parse(last) as number[];
}
