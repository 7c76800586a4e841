/**
 * An optimizer whose update is one fused kernel call per variable on the wasm heap: the variable,
 * its gradient and its slots are read and written in place in one pass, instead of tfjs' ten-odd
 * element-wise kernels (each allocating a new tensor) per variable.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fusedKernels, heapOffset, markChanged, ownBuffer, type FusedKernel } from './heap.ts';
import { KERNEL_SLOTS, type FusedKernelName } from './kernels.ts';

type NamedTensor = { name: string; tensor: tf.Tensor };

/** An update rule: its kernel, its slots' names and starting values, and its scalar parameters at each step. */
export interface FusedRule {
  kernel: FusedKernelName;
  /** One per slot, in the kernel's order: the name suffix (as tfjs names them) and the starting value. */
  slots: readonly { suffix: string; init: number }[];
  /** The kernel's scalar parameters for the coming step with this learning rate. */
  params(learningRate: number): number[];
  /** Advances per-step state (bias-correction powers) after a step. */
  advance?(): void;
  /** The rule's options, for getConfig. */
  config: tf.serialization.ConfigDict;
}

export class FusedOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'KilnFused';
  }
  private readonly slots = new Map<string, tf.Variable[]>();
  private readonly kernel: FusedKernel;

  constructor(
    public learningRate: number,
    private readonly rule: FusedRule,
    private readonly backend: BackendWasm,
  ) {
    super();
    if (rule.slots.length !== KERNEL_SLOTS[rule.kernel]) throw new Error(`kernel ${rule.kernel} takes ${KERNEL_SLOTS[rule.kernel]} slots`);
    this.kernel = fusedKernels(backend)[rule.kernel];
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor] as const) : Object.entries(variableGradients);
    const params = this.rule.params(this.learningRate);
    for (const [name, gradient] of entries) {
      const value = tf.engine().registeredVariables[name];
      if (!value || gradient == null) continue;
      // The kernel trusts the sizes: a mismatch would read and write past the tensors on the heap.
      if (gradient.size !== value.size) throw new Error(`gradient of ${name} has ${gradient.size} values for ${value.size} weights`);
      const slots = this.slotsOf(name, value);
      ownBuffer(this.backend, value);
      // Offsets are read after every allocation above: a growing heap moves nothing, but a copy-on-write does.
      const b = this.backend;
      this.kernel(heapOffset(b, value), heapOffset(b, gradient), ...slots.map((s) => heapOffset(b, s)), value.size, ...params);
      markChanged(b, value);
    }
    this.rule.advance?.();
    this.incrementIterations();
  }

  private slotsOf(name: string, value: tf.Variable): tf.Variable[] {
    let slots = this.slots.get(name);
    if (!slots) {
      slots = this.rule.slots.map((s) => tf.tidy(() => tf.fill(value.shape, s.init, 'float32').variable(false)));
      this.slots.set(name, slots);
    }
    return slots;
  }

  override dispose(): void {
    for (const slots of this.slots.values()) tf.dispose(slots);
    this.slots.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.slots.entries()].flatMap(([name, vars]) => vars.map((tensor, i) => ({ name: `${name}/${this.rule.slots[i]?.suffix ?? i}`, tensor })));
    return [await this.saveIterations(), ...slots];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await this.extractIterations(weightValues);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, ...this.rule.config };
  }
}
