// Tracks a plain TensorFlow.js training script with Kiln: startRun + kilnCallback around model.fit.
// Run it with `node examples/track-fit.mjs`, then look at the run with `npx kiln runs` / `npx kiln ui`.
// EPOCHS=3 node examples/track-fit.mjs trains for fewer epochs (the default is 20, a few seconds).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { kilnCallback, startRun } from '@kiln/runner';

const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'];
const epochs = Number(process.env.EPOCHS ?? 20);

// Palmer penguins as vega-datasets ships them: its JSON file, read from the installed package
// (the package's JavaScript entry would fetch the same file from a CDN instead).
const vega = dirname(dirname(createRequire(import.meta.url).resolve('vega-datasets')));
const rows = JSON.parse(readFileSync(join(vega, 'data', 'penguins.json'), 'utf8')).filter((r) => FEATURES.every((f) => typeof r[f] === 'number'));

// A seeded shuffle (a small LCG), so every run sees the same split.
let seed = 42;
const random = () => ((seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296);
for (let i = rows.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [rows[i], rows[j]] = [rows[j], rows[i]];
}
const nTest = Math.round(rows.length * 0.2);
const [test, train] = [rows.slice(0, nTest), rows.slice(nTest)];

// Standardize with the train rows' mean and standard deviation; they are saved with the run for predictions.
const stats = FEATURES.map((f) => {
  const values = train.map((r) => r[f]);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { feature: f, mean, std };
});
const toXs = (rs) => tf.tensor2d(rs.map((r) => stats.map((s) => (r[s.feature] - s.mean) / s.std)));
const toYs = (rs) => tf.tensor1d(rs.map((r) => SPECIES.indexOf(r.Species)), 'float32');

await tf.setBackend('cpu');
const params = { hidden: 16, learningRate: 0.01, epochs, batchSize: 16, testFraction: 0.2 };
const run = await startRun({ experiment: 'penguins-own-code', params, tags: { data: 'vega-datasets penguins' }, tf });
console.log(`run ${run.id} (${run.name}) in ${run.store}`);

const model = tfl.sequential({
  layers: [tfl.layers.dense({ inputShape: [FEATURES.length], units: params.hidden, activation: 'relu' }), tfl.layers.dense({ units: SPECIES.length, activation: 'softmax' })],
});
model.compile({ optimizer: tf.train.adam(params.learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(toXs(train), toYs(train), {
  epochs,
  batchSize: params.batchSize,
  validationSplit: 0.2,
  verbose: 0,
  callbacks: [kilnCallback(run)],
});

// A custom metric: accuracy on the held-out test rows, logged at the last training step and
// recorded as a value of the kept model (the callback saved the last epoch's), which `kiln runs` lists.
const predicted = tf.argMax(model.predict(toXs(test)), -1).dataSync();
const testAccuracy = test.filter((r, i) => SPECIES[predicted[i]] === r.Species).length / test.length;
run.log({ 'test.accuracy': testAccuracy }, { step: run.step });
await run.recordKept(history.epoch.length, { 'test.accuracy': testAccuracy });

// An artifact: what a prediction needs besides the model (the callback saved model.json + weights.bin).
const features = join(mkdtempSync(join(tmpdir(), 'track-fit-')), 'features.json');
writeFileSync(features, JSON.stringify({ features: stats, classes: SPECIES }, null, 2));
await run.logArtifact(features, 'features');
await run.setTag('note', 'tracked from examples/track-fit.mjs');
await run.end();

const last = (key) => history.history[key].at(-1).toFixed(3);
console.log(`val.loss ${last('val_loss')}  val.accuracy ${last('val_acc')}  test.accuracy ${testAccuracy.toFixed(3)}`);
console.log(`see it with: npx kiln show ${run.id}`);
