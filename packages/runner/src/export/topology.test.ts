import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { input, layers, loadLayersModel, model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { MaskedGlobalAveragePooling1D, MaskedGlobalMaxPooling1D } from '../model/attention/layers.ts';
import { shippedClasses, standardizeTopology } from './topology.ts';

/** ids -> embedding (with or without a padding mask) -> Kiln's masked average and max pooling -> dense. */
function pooled(maskZero: boolean): LayersModel {
  const x = input({ shape: [6], dtype: 'int32' });
  const e = layers.embedding({ inputDim: 9, outputDim: 4, maskZero }).apply(x) as SymbolicTensor;
  const avg = new MaskedGlobalAveragePooling1D({ name: 'avg' }).apply(e) as SymbolicTensor;
  const max = new MaskedGlobalMaxPooling1D({ name: 'max' }).apply(e) as SymbolicTensor;
  const out = layers.dense({ units: 2, activation: 'softmax' }).apply(layers.concatenate().apply([avg, max]) as SymbolicTensor) as SymbolicTensor;
  return functionalModel({ inputs: x, outputs: out });
}

/** The model's topology and weights after the export's rewrite, loaded back. */
async function exported(m: LayersModel): Promise<{ report: ReturnType<typeof standardizeTopology>; loaded: LayersModel }> {
  let saved: tf.io.ModelArtifacts | undefined;
  await m.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  if (!saved) throw new Error('nothing saved');
  const report = standardizeTopology(saved.modelTopology);
  return { report, loaded: await loadLayersModel(tf.io.fromMemory(saved)) };
}

describe('standardizeTopology', () => {
  it("writes Kiln's masked pooling as tfjs' own when no padding mask reaches it, with the same outputs", async () => {
    await tf.setBackend('cpu');
    const m = pooled(false);
    const { report, loaded } = await exported(m);
    expect(report.map((r) => [r.layer, r.replacedBy])).toEqual([
      ['avg', 'GlobalAveragePooling1D'],
      ['max', 'GlobalMaxPooling1D'],
    ]);
    expect(shippedClasses(report)).toEqual([]);
    expect(loaded.layers.map((l) => l.getClassName())).toContain('GlobalAveragePooling1D');
    const ids = tf.tensor2d([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 1]], [2, 6], 'int32');
    expect(Array.from((loaded.predict(ids) as tf.Tensor).dataSync())).toEqual(Array.from((m.predict(ids) as tf.Tensor).dataSync()));
  });

  it('keeps them (for kiln-layers.js) when an embedding sends a padding mask, and always keeps attention', async () => {
    await tf.setBackend('cpu');
    const { report } = await exported(pooled(true));
    expect(report.map((r) => [r.kilnClass, r.replacedBy])).toEqual([
      ['KilnMaskedGlobalAveragePooling1D', undefined],
      ['KilnMaskedGlobalMaxPooling1D', undefined],
    ]);
    expect(shippedClasses(report)).toEqual(['KilnMaskedGlobalAveragePooling1D', 'KilnMaskedGlobalMaxPooling1D']);
    const attention = { class_name: 'Model', config: { layers: [{ class_name: 'KilnMultiHeadAttention', config: { name: 'mha', num_heads: 2 } }, { class_name: 'Bidirectional', config: { layer: { class_name: 'LSTM', config: { name: 'lstm' } } } }] } };
    expect(standardizeTopology(attention)).toEqual([{ layer: 'mha', kilnClass: 'KilnMultiHeadAttention', why: 'tfjs-layers has no multi-head attention layer' }]);
  });
});
