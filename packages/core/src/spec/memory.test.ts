import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPipelineFile, loadPipelineText } from './load.ts';
import { estimateMemory, formatBytes, MEMORY_LIMIT_BYTES } from './memory.ts';

const PIPELINES = new URL('../../../../pipelines/', import.meta.url).pathname;
const penguins = readFileSync(`${PIPELINES}penguins-mlp.yaml`, 'utf8');
const load = (text: string, overrides: string[] = []) => loadPipelineText('p.yaml', text, { overrides });

describe('estimateMemory', () => {
  it('counts a dense stack exactly: weights and biases, from at least one column per tabular feature', () => {
    const r = load(penguins);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    // 6 features -> 32 -> 16 -> 3 (the one-hot columns of Island and Sex count as one each at least)
    expect(estimateMemory(r.pipeline.spec).params).toBe(6 * 32 + 32 + 32 * 16 + 16 + 16 * 3 + 3);
  });

  it('keeps every example pipeline far below the limit', () => {
    for (const f of ['mnist-cnn.yaml', 'spam-lstm.yaml', 'spam-transformer.yaml', 'penguins-multitask.yaml']) {
      const r = loadPipelineFile(`${PIPELINES}${f}`);
      if (!r.ok) throw new Error(`${f}: ${JSON.stringify(r.errors)}`);
      const { params, bytes } = estimateMemory(r.pipeline.spec);
      expect([f, params > 0, bytes < MEMORY_LIMIT_BYTES / 10]).toEqual([f, true, true]);
    }
  });

  it('sizes an embedding by the text feature\'s vocabulary when inputDim is not given', () => {
    const r = loadPipelineFile(`${PIPELINES}spam-lstm.yaml`);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const { data, model } = r.pipeline.spec;
    const text = data.features[0];
    const embedding = model.layers?.findIndex((l) => l.type === 'embedding') ?? -1;
    const cost = estimateMemory(r.pipeline.spec).costs[embedding];
    const layer = model.layers?.[embedding];
    if (text?.type !== 'text' || layer?.type !== 'embedding' || cost === undefined) throw new Error('spam-lstm starts from a text feature and an embedding');
    expect(cost.params).toBe((layer.inputDim ?? text.vocabSize) * layer.outputDim);
    expect(cost.params).toBeGreaterThan(1000);
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(3 * 1024 ** 3)]).toEqual(['512 bytes', '1.5 KiB', '3.0 GiB']);
  });
});

describe('the memory check', () => {
  it('refuses a dense layer of ten million units at its largest layer, with the parameter count and bytes', () => {
    const r = load(penguins.replace('units: 32, activation: relu', 'units: 10000000, activation: relu'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'check/memory', path: 'model.layers[1]', file: 'p.yaml', line: 24, col: 7 });
    expect(r.errors[0]?.message).toBe('the model needs about 4.6 GiB to train (230,000,067 parameters with their gradients and adam state, and the activations of a batch of 16), over the 2.0 GiB limit of the WebAssembly heap');
  });

  it('counts the activations of a batch: a huge batch of a wide CNN is refused, a small one is not', () => {
    const cnn = readFileSync(`${PIPELINES}mnist-cnn.yaml`, 'utf8');
    expect(load(cnn, ['train.batchSize=64']).ok).toBe(true);
    const big = load(cnn, ['train.batchSize=200000']);
    expect(!big.ok && big.errors[0]?.code).toBe('check/memory');
  });

  it('refuses a too-large graph node, located in the graph', () => {
    const graph = readFileSync(`${PIPELINES}penguins-graph.yaml`, 'utf8');
    const r = load(graph, ['model.graph.nodes[0].layers[0].units=20000000']);
    expect(!r.ok && r.errors[0]).toMatchObject({ code: 'check/memory', path: expect.stringMatching(/^model\.graph\.nodes\[\d+\]\.layers\[\d+\]$/) });
  });
});
