import { KilnFailure, loadPipelineText, type KilnError, type PipelineSpec } from '@kiln/core';

const HEADS = {
  binary: "{ type: dense, units: 1, activation: sigmoid }\ntrain: { loss: binaryCrossentropy, optimizer: { name: adam }, metrics: [accuracy] }",
  multiclass: "{ type: dense, units: 3, activation: softmax }\ntrain: { loss: sparseCategoricalCrossentropy, optimizer: { name: adam }, metrics: [accuracy] }",
  regression: "{ type: dense, units: 1, activation: linear }\ntrain: { loss: mse, optimizer: { name: adam }, metrics: [mae] }",
} as const;

/** A resolved pipeline (through the real loader, defaults filled) around a `data:` block written as YAML. */
export function pipelineWith(dataYaml: string, target: keyof typeof HEADS, baseDir = '/tmp'): PipelineSpec {
  const yaml = `name: t\nseed: 42\ndata:\n${dataYaml.replace(/^/gm, '  ')}\nmodel:\n  layers:\n    - ${HEADS[target]}\n`;
  const r = loadPipelineText(`${baseDir}/pipeline.yaml`, yaml);
  if (!r.ok) throw new Error(`test pipeline does not load: ${JSON.stringify(r.errors)}`);
  return r.pipeline.spec;
}

/** The first KilnError that `f` throws (as a KilnFailure); fails when it throws nothing or something else. */
export async function firstKilnError(f: () => unknown): Promise<KilnError> {
  try {
    await f();
  } catch (e) {
    const [first] = e instanceof KilnFailure ? e.errors : [];
    if (first !== undefined) return first;
    throw e;
  }
  throw new Error('expected a KilnFailure');
}
