/**
 * Where a training epoch's time goes: every kernel registered for a backend is wrapped with a timer
 * while a run goes on, and only the calls inside its last epoch's training steps (a performance
 * measure the loop records) count. Kiln's run and the plain loop's, side by side, use the same
 * kernels, so what Kiln adds shows as extra kernel calls and as time outside kernels.
 */
import { getKernelsForBackend, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { FusedOptimizer } from '../backend/fused-optimizers/index.ts';

interface Call {
  kernel: string;
  at: number;
  ms: number;
  /** Called from inside another kernel (Kiln's fused convolution runs FusedConv2D): its time is in the outer one's. */
  nested: boolean;
  /** The process's CPU time (user + system, µs) when the call started. */
  cpu: number;
}

export interface KernelTime {
  kernel: string;
  calls: number;
  seconds: number;
}

/** One profiled epoch: its training-step seconds, the kernels inside it (slowest first), and the time outside them. */
export interface EpochProfile {
  epochSeconds: number;
  kernels: KernelTime[];
  kernelSeconds: number;
  outsideSeconds: number;
  /** CPU seconds of the process from the epoch's first kernel call to its last: unlike wall time, not stretched by other processes' load. */
  cpuSeconds: number;
  /** Garbage-collection pauses inside the epoch, seconds. */
  gcSeconds: number;
  /** Kernel calls per training step. */
  callsPerStep: number;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Runs `fn` with every `backend` kernel timed; profiles the last `measure` entry (an epoch's training steps) it records. */
export async function profileKernels(backend: string, measure: string, fn: () => Promise<unknown>): Promise<EpochProfile> {
  const originals = getKernelsForBackend(backend);
  const calls: Call[] = [];
  const swap = (config: KernelConfig) => {
    unregisterKernel(config.kernelName, backend);
    registerKernel(config);
  };
  let depth = 0;
  for (const config of originals) {
    const inner = config.kernelFunc;
    const timed: KernelFunc = (params) => {
      const cpu = cpuNow();
      const at = performance.now();
      const nested = depth > 0;
      depth++;
      try {
        const out = inner(params);
        calls.push({ kernel: config.kernelName, at, ms: performance.now() - at, cpu, nested });
        return out;
      } finally {
        depth--;
      }
    };
    swap({ ...config, kernelFunc: timed });
  }
  // The fused optimizer step is no registered kernel (one wasm call per variable); it is timed as one.
  const fusedStep = Object.getOwnPropertyDescriptor(FusedOptimizer.prototype, 'applyGradients');
  const applyGradients = FusedOptimizer.prototype.applyGradients;
  FusedOptimizer.prototype.applyGradients = function (this: FusedOptimizer, ...args: Parameters<FusedOptimizer['applyGradients']>) {
    const cpu = cpuNow();
    const at = performance.now();
    applyGradients.apply(this, args);
    calls.push({ kernel: 'fused optimizer step', at, ms: performance.now() - at, cpu, nested: false });
  };
  const gcs: PerformanceEntry[] = [];
  const gcObserver = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ['gc'] });
  performance.clearMeasures(measure);
  try {
    await fn();
  } finally {
    // GC entries reach observers a tick later: without this wait a synchronous run (the plain loop) would show none.
    await new Promise((resolve) => setTimeout(resolve, 20));
    gcs.push(...gcObserver.takeRecords());
    gcObserver.disconnect();
    for (const config of originals) swap(config);
    if (fusedStep) Object.defineProperty(FusedOptimizer.prototype, 'applyGradients', fusedStep);
  }
  const epoch = performance.getEntriesByName(measure).at(-1);
  if (epoch === undefined) throw new Error(`the profiled run recorded no ${measure} measure`);
  const inEpoch = (at: number) => at >= epoch.startTime && at < epoch.startTime + epoch.duration;
  const gcSeconds = gcs.filter((g) => inEpoch(g.startTime)).reduce((s, g) => s + g.duration / 1000, 0);
  return { ...summarize(calls.filter((c) => inEpoch(c.at)), epoch.duration / 1000), gcSeconds };
}

function summarize(calls: Call[], epochSeconds: number): Omit<EpochProfile, 'gcSeconds'> {
  const byKernel = new Map<string, KernelTime>();
  for (const c of calls) {
    const k = byKernel.get(c.kernel) ?? { kernel: c.kernel, calls: 0, seconds: 0 };
    k.calls++;
    k.seconds += c.ms / 1000;
    byKernel.set(c.kernel, k);
  }
  const kernels = [...byKernel.values()].sort((a, b) => b.seconds - a.seconds);
  const kernelSeconds = calls.filter((c) => !c.nested).reduce((s, c) => s + c.ms / 1000, 0);
  const steps = byKernel.get('fused optimizer step')?.calls ?? Number.NaN;
  const cpuSeconds = calls.length > 1 ? ((calls.at(-1)?.cpu ?? Number.NaN) - (calls[0]?.cpu ?? Number.NaN)) / 1e6 : Number.NaN;
  return { epochSeconds, kernels, kernelSeconds, outsideSeconds: epochSeconds - kernelSeconds, cpuSeconds, callsPerStep: (calls.filter((c) => !c.nested).length - steps) / steps };
}

const f = (v: number, digits = 3) => (Number.isNaN(v) ? '-' : v.toFixed(digits));

/** Prints Kiln's and plain tfjs' epoch profiles side by side: totals, then kernels by Kiln's time, then the calls only one side makes. */
export function printProfile(label: string, kiln: EpochProfile, plain: EpochProfile): void {
  const out = process.stdout;
  out.write(`\nprofile, ${label}: the second epoch's training steps\n`);
  out.write('| | Kiln | plain tfjs | Kiln - plain |\n| --- | --- | --- | --- |\n');
  const total = (name: string, a: number, b: number) => out.write(`| ${name} | ${f(a)} | ${f(b)} | ${f(a - b)} |\n`);
  total('epoch, s', kiln.epochSeconds, plain.epochSeconds);
  total('inside kernels (a kernel called by another counted once), s', kiln.kernelSeconds, plain.kernelSeconds);
  total('outside kernels (JS: tape, loop, tensor bookkeeping), s', kiln.outsideSeconds, plain.outsideSeconds);
  total('CPU time, s (less sensitive to other load than the epoch)', kiln.cpuSeconds, plain.cpuSeconds);
  total('garbage collection, s', kiln.gcSeconds, plain.gcSeconds);
  total('kernel calls per step (optimizer step not counted)', kiln.callsPerStep, plain.callsPerStep);
  const plainBy = new Map(plain.kernels.map((k) => [k.kernel, k]));
  const names = [...new Set([...kiln.kernels, ...plain.kernels].map((k) => k.kernel))];
  const rows = names.map((name) => {
    const k = kiln.kernels.find((x) => x.kernel === name) ?? { kernel: name, calls: 0, seconds: 0 };
    const p = plainBy.get(name) ?? { kernel: name, calls: 0, seconds: 0 };
    return { name, k, p };
  });
  rows.sort((a, b) => Math.max(b.k.seconds, b.p.seconds) - Math.max(a.k.seconds, a.p.seconds));
  out.write('\n| kernel | Kiln calls | Kiln s | plain calls | plain s |\n| --- | --- | --- | --- | --- |\n');
  for (const { name, k, p } of rows.slice(0, 20)) out.write(`| ${name} | ${k.calls} | ${f(k.seconds)} | ${p.calls} | ${f(p.seconds)} |\n`);
  const differ = rows.filter(({ k, p }) => k.calls !== p.calls);
  if (differ.length > 0) out.write(`\ncall counts that differ (Kiln/plain): ${differ.map(({ name, k, p }) => `${name} ${k.calls}/${p.calls}`).join(', ')}\n`);
}
