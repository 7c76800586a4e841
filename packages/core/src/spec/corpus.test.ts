import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPipelineFile } from './load.ts';

const DIR = new URL('./fixtures/invalid/', import.meta.url).pathname;

// file, path of the first error, line:col, its message, how many errors the file has in all
const CORPUS: [string, string, string, string, number][] = [
  ['01-yaml-syntax.yaml', "", '18:1', "All mapping items must start at the same column", 1],
  ['02-yaml-duplicate-key.yaml', "", '19:3', "Map keys must be unique", 1],
  ['03-not-a-mapping.yaml', "", '1:1', "a pipeline file must be a mapping of sections (name, data, model, train, ...)", 1],
  ['04-unknown-top-level-key.yaml', "", '1:1', "missing required key \"train\"", 2],
  ['05-missing-section.yaml', "", '1:1', "missing required key \"train\"", 1],
  ['06-source-type-typo.yaml', "data.source.type", '4:19', "unknown type \"bultin\"", 1],
  ['07-builtin-name-typo.yaml', "data.source.name", '4:34', "\"pengiuns\" is not one of the allowed values", 1],
  ['08-feature-type-typo.yaml', "data.features[0].type", '6:39', "unknown type \"numerc\"", 1],
  ['09-feature-unknown-option.yaml', "data.features[0].normalise", '6:48', "unknown key \"normalise\"", 1],
  ['10-numeric-normalize-typo.yaml', "data.features[0].normalize", '6:59', "\"standardise\" is not one of the allowed values", 1],
  ['11-text-vocab-too-small.yaml', "data.features[0].vocabSize", '5:44', "must be >= 3, got 2", 1],
  ['12-image-shape-rank.yaml', "data.features[0].shape", '5:42', "must have at least 3 item(s), got 2", 1],
  ['13-target-type-typo.yaml', "data.target.type", '8:34', "\"multi-class\" is not one of the allowed values", 1],
  ['14-split-sum.yaml', "data.split", '9:10', "split fractions add up to 1.1, not 1", 1],
  ['15-split-train-zero.yaml', "data.split.train", '9:19', "must be > 0, got 0", 1],
  ['16-layer-type-typo.yaml', "model.layers[1].type", '13:15', "unknown type \"dropuot\"", 1],
  ['17-units-string.yaml', "model.layers[0].units", '12:29', "expected an integer, got \"16\" (a string)", 1],
  ['18-units-zero.yaml', "model.layers[0].units", '12:29', "must be >= 1, got 0", 1],
  ['19-dropout-rate-one.yaml', "model.layers[1].rate", '13:30', "must be < 1, got 1", 1],
  ['20-activation-case.yaml', "model.layers[0].activation", '12:45', "\"Relu\" is not one of the allowed values", 1],
  ['21-conv-on-tabular.yaml', "model.layers[0]", '12:7', "conv2d needs an image (height x width x channels), but its input is a flat vector [?]", 1],
  ['22-dense-after-conv-no-flatten.yaml', "model.layers[2]", '11:7', "dense needs a flat vector, but the input has shape [13, 13, 8]; add a flatten or a global pooling layer before it", 1],
  ['23-lstm-without-embedding.yaml', "model.layers[0]", '9:7', "lstm needs vectors, but gets token ids; put an embedding layer before it", 1],
  ['24-embedding-on-tabular.yaml', "model.layers[1]", '13:7', "embedding needs token ids: a text feature, or category features with encoding: index", 1],
  ['25-loss-target-mismatch.yaml', "train.loss", '16:9', "loss mse does not fit a multiclass target", 1],
  ['26-binary-head-softmax.yaml', "model.layers[2]", '11:7', "binary cross-entropy needs one sigmoid unit, but the last layer has 2 unit(s) with softmax", 1],
  ['27-last-layer-not-dense.yaml', "model.layers[3]", '15:7', "the last layer is dropout; the output layer must be dense", 1],
  ['28-optimizer-name-typo.yaml', "train.optimizer.name", '17:22', "unknown name \"adma\"", 1],
  ['29-optimizer-unknown-option.yaml', "train.optimizer.lerningRate", '17:28', "unknown key \"lerningRate\"", 1],
  ['30-learning-rate-negative.yaml', "train.optimizer.learningRate", '17:42', "must be > 0, got -0.01", 1],
  ['31-sgd-option-on-adam.yaml', "train.optimizer.momentum", '17:48', "unknown key \"momentum\"", 1],
  ['32-epochs-zero.yaml', "train.epochs", '18:11', "must be >= 1, got 0", 1],
  ['33-batch-size-float.yaml', "train.batchSize", '19:14', "expected an integer, got 16.5 (a number)", 1],
  ['34-metric-wrong-task.yaml', "train.metrics[1]", '20:23', "metric rmse does not apply to a multiclass target", 1],
  ['35-metric-typo.yaml', "train.metrics[0]", '20:13', "\"acuracy\" is not one of the allowed values", 1],
  ['36-metrics-duplicate.yaml', "train.metrics", '20:12', "has duplicate items (#1 and #0)", 1],
  ['37-monitor-not-computed.yaml', "train.earlyStopping.monitor", '21:29', "val.f1 is not computed", 1],
  ['38-schedule-type-typo.yaml', "train.lrSchedule.type", '18:23', "unknown type \"cosin\"", 1],
  ['39-sweep-path-missing.yaml', "sweep.parameters.train.optimizer.learningRat", '23:5', "train.optimizer.learningRat is not a field of this spec (unknown key \"learningRat\")", 1],
  ['40-sweep-low-above-high.yaml', "sweep.parameters.train.batchSize", '23:22', "low (64) is greater than high (8)", 1],
  ['41-sweep-value-invalid.yaml', "sweep.parameters.model.layers[1].rate", '23:5', "value 1.5 is not valid for model.layers[1].rate: must be < 1, got 1.5", 1],
  ['42-sweep-method-typo.yaml', "sweep.method", '22:11', "\"bayes\" is not one of the allowed values", 1],
  ['43-csv-file-missing.yaml', "data.source.path", '4:30', "file not found: no-such-file.csv", 1],
  ['44-backend-typo.yaml', "runtime.backend", '21:21', "\"gpu\" is not one of the allowed values", 1],
  ['45-name-with-space.yaml', "name", '1:7', "\"my corpus\" is not a valid value here (pattern ^[A-Za-z0-9][A-Za-z0-9_.-]*$)", 1],
  ['46-seed-float.yaml', "seed", '2:7', "expected an integer, got 1.5 (a number)", 1],
  ['47-graph-unknown-node.yaml', "model.graph.nodes[1].from[1]", '16:36', "node head takes deep, which is no input or node", 1],
  ['48-graph-cycle.yaml', "model.graph.nodes[0].from", '15:26', "the nodes form a cycle (each takes the next): a -> head -> b -> a", 1],
  ['49-graph-merge-shapes.yaml', "model.graph.nodes[2].from", '17:29', "node head: add needs equal shapes, but gets wide [8], deep [4]", 1],
  ['50-graph-layer-shape.yaml', "model.graph.nodes[1].layers[0]", '16:44', "lstm needs a sequence (length x features), but its input is a flat vector [8]", 1],
  ['51-transformer-on-tabular.yaml', "model.layers[0]", '12:7', "transformerEncoder needs a sequence (length x features), but its input is a flat vector [?]", 1],
  ['52-model-layers-and-graph.yaml', "model", '11:3', "model has both layers and graph", 1],
  ['53-multitask-unknown-target.yaml', "model.graph.outputs[1].target", '25:40', "output mass predicts Mass, which is not a target", 1],
  ['54-multitask-unbound-target.yaml', "data.targets[1]", '10:7', "the target Body Mass (g) is predicted by no output", 1],
  ['55-multitask-feature-unused.yaml', "data.features[2]", '8:7', "the feature Sex feeds no model input", 1],
  ['56-multitask-merge-shapes.yaml', "model.graph.nodes[2].from", '20:30', "node trunk: add needs equal shapes, but gets a [8], b [4]", 1],
  ['57-multitask-duplicate-output.yaml', "model.graph.outputs[1].name", '25:17', "the output name species is used twice", 1],
  ['58-multitask-target-and-targets.yaml', "data", '4:3', "data has both target and targets", 1],
  ['59-multitask-monitor-unknown-head.yaml', "train.earlyStopping.monitor", '31:29', "val.mass.accuracy is not computed", 1],
  ['60-multitask-metric-wrong-head.yaml', "train.metrics[0]", '31:13', "metric accuracy does not apply to a regression target (output mass)", 1],
  ['61-multitask-input-without-features.yaml', "model.graph.inputs[1]", '16:9', "input cats does not list its features, and the graph has 2 inputs", 1],
  ['62-unfreeze-nothing-frozen.yaml', 'model.from.unfreeze', '13:15', 'nothing to unfreeze: model.from.freeze is false, so every kept layer trains from the start', 1],
  ['63-unfreeze-epoch-never-comes.yaml', 'model.from.unfreeze.epoch', '13:24', 'epoch 8 never comes: train.epochs is 5', 1],
];

describe('invalid spec corpus', () => {
  it('covers every fixture file, and at least 30', () => {
    expect(CORPUS.map((c) => c[0]).sort()).toEqual(readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort());
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CORPUS)('%s', (file, path, at, message, count) => {
    const result = loadPipelineFile(`${DIR}${file}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [first] = result.errors;
    expect({ path: first!.path, at: `${first!.line}:${first!.col}`, message: first!.message }).toEqual({ path, at, message });
    expect(first!.file).toBe(`${DIR}${file}`);
    expect(result.errors).toHaveLength(count);
    for (const e of result.errors) expect(e.code).toMatch(/^(spec|check|yaml)\//);
  });
});
