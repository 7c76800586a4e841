/** Per-kernel timings: every kernel registered for a backend is wrapped with a timer while `fn` runs. */
import { getKernelsForBackend, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';

export interface KernelTime {
  kernel: string;
  calls: number;
  seconds: number;
}

/** Runs `fn` with every `backend` kernel timed; returns its result and the kernels by total time, slowest first. */
export async function profileKernels<T>(backend: string, fn: () => Promise<T>): Promise<{ result: T; kernels: KernelTime[] }> {
  const originals = getKernelsForBackend(backend);
  const times = new Map<string, KernelTime>();
  const swap = (config: KernelConfig) => {
    unregisterKernel(config.kernelName, backend);
    registerKernel(config);
  };
  for (const config of originals) {
    const inner = config.kernelFunc;
    const entry: KernelTime = { kernel: config.kernelName, calls: 0, seconds: 0 };
    times.set(config.kernelName, entry);
    const timed: KernelFunc = (params) => {
      const t0 = performance.now();
      const out = inner(params);
      entry.seconds += (performance.now() - t0) / 1000;
      entry.calls++;
      return out;
    };
    swap({ ...config, kernelFunc: timed });
  }
  try {
    const result = await fn();
    return { result, kernels: [...times.values()].filter((k) => k.calls > 0).sort((a, b) => b.seconds - a.seconds) };
  } finally {
    for (const config of originals) swap(config);
  }
}
