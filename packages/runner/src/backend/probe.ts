/** Times one epoch of the probe CNN on 7000 random 28x28 samples, batch 64: `pnpm exec tsx packages/runner/src/backend/probe.ts [backend]`. */
import * as tf from '@tensorflow/tfjs-core';
import { buildProbeCnn, randomImages } from './probe-cnn.ts';
import { selectBackend, type BackendChoice } from './select.ts';

const choice = (process.argv[2] ?? 'wasm') as BackendChoice;
const backend = await selectBackend(choice);
const model = buildProbeCnn();
const { xs, ys } = randomImages(7000);
// One warm-up batch so operator setup is not billed to the epoch.
const warmX = tf.slice(xs, 0, 64);
const warmY = tf.slice(ys, 0, 64);
await model.fit(warmX, warmY, { epochs: 1, batchSize: 64, verbose: 0 });
tf.dispose([warmX, warmY]);
const start = performance.now();
const cpuStart = process.cpuUsage();
const history = await model.fit(xs, ys, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 });
const seconds = (performance.now() - start) / 1000;
// CPU time too: on a shared machine wall time mostly measures the neighbours.
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(
  `${backend.name} (tfjs ${backend.version}, ${backend.threads} thread(s)): ` +
    `${seconds.toFixed(2)} s/epoch wall (${cpuSeconds.toFixed(2)} s CPU), loss ${Number(history.history.loss?.[0]).toFixed(4)}, tf backend ${tf.getBackend()}`,
);
