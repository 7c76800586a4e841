/** What the fused LSTM kernels share: names, attributes, gate activations, heap views. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export const LSTM_FORWARD = 'KilnLstmSequence';
export const LSTM_BACKWARD = 'KilnLstmSequenceGrad';

/** The recurrent (gate) activations the kernels implement. */
export type GateActivation = 'sigmoid' | 'hardSigmoid';

export interface LstmAttrs {
  recurrentActivation: GateActivation;
  returnSequences: boolean;
  /** Keep every step's gates and states for the backward kernel; false (inference) keeps only the current step's. */
  keepStates: boolean;
  [key: string]: string | boolean;
}

/** Float32 views of tensors on the wasm heap, re-taken when the heap has grown (growing detaches old views). */
export class HeapViews {
  private buffer: ArrayBufferLike | null = null;
  private cached: Float32Array[] = [];

  constructor(
    private readonly backend: BackendWasm,
    private readonly infos: TensorInfo[],
  ) {}

  /** Views of the tensors, in the order given; call again after anything that may allocate on the heap. */
  get(): Float32Array[] {
    const heap = (this.backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer;
    if (heap !== this.buffer) {
      this.cached = this.infos.map((t) => this.backend.typedArrayFromHeap(t) as Float32Array);
      this.buffer = heap;
    }
    return this.cached;
  }
}

/** A view of a tensor with another shape (same data, no copy, no reference taken: never dispose it). */
export const asShape = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, dtype: t.dtype, shape });
