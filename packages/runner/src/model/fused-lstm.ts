/**
 * The LSTM layer Kiln builds: tfjs-layers' LSTM, except that on the wasm backend a whole sequence
 * runs as one fused kernel pair (backend/wasm-kernels/lstm-*.ts) instead of ~10 small kernels per
 * timestep. It serializes as a plain 'LSTM' (same config, same weights), so saved models load in
 * any tfjs; registering it under that name makes Kiln's own loads use the fused path too.
 */
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';
import type { LSTM, LSTMCell, LSTMLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/recurrent.js';
// tfjs-layers registers its layer classes on import; LSTM is not exported, so it is taken from the registry.
import '@tensorflow/tfjs-layers';
import { LSTM_BACKWARD, LSTM_FORWARD, type GateActivation, type LstmAttrs } from '../backend/wasm-kernels/lstm-common.ts';

type LstmClass = new (args: LSTMLayerArgs) => LSTM;
const registry = serialization.SerializationMap.getMap().classNameMap as unknown as Record<string, [LstmClass, unknown] | undefined>;
const BaseLSTM: LstmClass = registry.LSTM![0];

const GATES = new Set<string>(['sigmoid', 'hardSigmoid']);

/** An LSTM over a whole [B, T, D] sequence on wasm, with its hand-written backward (BPTT). */
export function lstmSequence(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D, attrs: LstmAttrs): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [xs, k, r, b] = args as tf.Tensor[];
    const save = args[4] as (saved: tf.Tensor[]) => void;
    const [out, gates, cells, tanhCells, hPrev] = tf.engine().runKernel(LSTM_FORWARD, { x: xs!, kernel: k!, recurrentKernel: r!, bias: b! }, attrs) as tf.Tensor[];
    save([xs!, k!, r!, gates!, cells!, tanhCells!, hPrev!]);
    return {
      value: out!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sk, sr, sg, sc, stc, shp] = saved;
        return tf.engine().runKernel(LSTM_BACKWARD, { dy, x: sx!, kernel: sk!, recurrentKernel: sr!, gates: sg!, cells: sc!, tanhCells: stc!, hPrev: shp! }, attrs) as tf.Tensor[];
      },
    };
  });
  return op(x, kernel, recurrentKernel, bias);
}

/** tfjs-layers' LSTM with a fused whole-sequence path on wasm (same maths, same weights, same config). */
export class FusedLSTM extends BaseLSTM {
  static className = 'LSTM';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? (inputs.length === 1 ? (inputs[0] ?? null) : null) : inputs;
    const attrs = x === null ? null : this.fusedAttrs(x, kwargs);
    if (attrs === null) return super.call(inputs, kwargs);
    const cell = this.cell as LSTMCell;
    return tf.tidy(() => lstmSequence(x as tf.Tensor3D, cell.kernel.read() as tf.Tensor2D, cell.recurrentKernel.read() as tf.Tensor2D, cell.bias.read() as tf.Tensor1D, attrs));
  }

  /** The kernel attributes when this call can take the fused path, else null (tfjs-layers' own loop runs). */
  private fusedAttrs(x: tf.Tensor, kwargs: Kwargs): LstmAttrs | null {
    const cell = this.cell as LSTMCell;
    const gate = cell.recurrentActivation.getClassName();
    const plain =
      tf.getBackend() === 'wasm' &&
      x.rank === 3 &&
      x.dtype === 'float32' &&
      (x.shape[1] ?? 0) > 0 &&
      kwargs?.mask == null &&
      kwargs?.initialState == null &&
      cell.activation.getClassName() === 'tanh' &&
      GATES.has(gate) &&
      cell.useBias &&
      cell.dropout === 0 &&
      cell.recurrentDropout === 0 &&
      !this.returnState &&
      !this.goBackwards &&
      !this.stateful &&
      !this.unroll;
    // Outside gradient recording (predict, evaluate) the kernel keeps no per-step history.
    return plain ? { recurrentActivation: gate as GateActivation, returnSequences: this.returnSequences, keepStates: tf.engine().isTapeOn() } : null;
  }
}

serialization.registerClass(FusedLSTM as unknown as serialization.SerializableConstructor<serialization.Serializable>);
