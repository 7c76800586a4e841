/** Recurrent layers (lstm, gru, simpleRNN) and the bidirectional wrapper around one. */
import type { Static } from '@sinclair/typebox';
import { bool, int, num, oneOf } from '../fields.ts';
import { tagged } from '../fields.ts';
import { defineLayer, dim, lastDim, layer, needRank, steps, vec, weighted, type Shape } from './define.ts';

const rnnProps = {
  units: int('Size of the hidden state.', { minimum: 1 }),
  returnSequences: bool('Output the whole sequence instead of the last state (needed to stack recurrent layers).', false),
  dropout: num('Dropout on the inputs.', { minimum: 0, maximum: 1, default: 0 }),
  recurrentDropout: num('Dropout on the recurrent state.', { minimum: 0, maximum: 1, default: 0 }),
  ...weighted,
};
const rnnSchema = <T extends string>(type: T, description: string) => layer(type, description, rnnProps);
/** LSTM and GRU also choose their gates' activation. */
const gatedSchema = <T extends string>(type: T, description: string) =>
  layer(type, description, {
    ...rnnProps,
    recurrentActivation: oneOf(
      ['hardSigmoid', 'sigmoid'] as const,
      "The gates' activation: hardSigmoid (TensorFlow.js' default, cheaper) or sigmoid (PyTorch's and Keras 2's).",
      'hardSigmoid',
    ),
  });

const rnn = (input: Shape, l: Static<ReturnType<typeof rnnSchema>>): Shape | string =>
  needRank(input, 2, l.type) ?? (l.returnSequences ? { dims: [dim(input, 0), l.units], ids: false } : vec(l.units));

/** Weight sets per recurrent type: LSTM's four gates, GRU's three, the simple RNN's one. */
const GATES = { lstm: 4, gru: 3, simpleRNN: 1 } as const;
type RecurrentSpec = { type: keyof typeof GATES; units: number };
const params = (input: number[], l: RecurrentSpec) => GATES[l.type] * (lastDim(input) * l.units + l.units * l.units + l.units);
/** The per-step states kept for the backward pass. */
const kept = (input: number[], l: RecurrentSpec) => GATES[l.type] * steps(input) * l.units;

export const lstm = defineLayer({ schema: gatedSchema('lstm', 'Long short-term memory recurrent layer.'), shape: rnn, params, kept });
export const gru = defineLayer({ schema: gatedSchema('gru', 'Gated recurrent unit layer.'), shape: rnn, params, kept });
export const simpleRNN = defineLayer({ schema: rnnSchema('simpleRNN', 'Fully connected recurrent layer.'), shape: rnn, params, kept });

export const RecurrentLayer = tagged('type', [gatedSchema('lstm', 'Long short-term memory recurrent layer.'), gatedSchema('gru', 'Gated recurrent unit layer.'), rnnSchema('simpleRNN', 'Fully connected recurrent layer.')], 'A recurrent layer.');

export const bidirectional = defineLayer({
  schema: layer('bidirectional', 'Run a recurrent layer forwards and backwards.', {
    layer: RecurrentLayer,
    mergeMode: oneOf(['concat', 'sum', 'mul', 'ave'] as const, 'How the two directions are combined.', 'concat'),
  }),
  shape: (input, l) => {
    const inner = rnn(input, l.layer);
    if (typeof inner === 'string') return inner;
    const last = inner.dims.length - 1;
    return l.mergeMode === 'concat' ? { dims: inner.dims.map((d, i) => (i === last && d !== null ? d * 2 : d)), ids: false } : inner;
  },
  params: (input, l) => 2 * params(input, l.layer),
});
