// The files a user writes in their own project: a small CSV and a pipeline (with a 2-trial sweep) over it.

/** `n` rows of two numeric columns and a category; the label is whether x1 + x2 > 0 (seeded, so the same every time). */
export function pointsCsv(n: number): string {
  let seed = 7;
  const random = () => ((seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296);
  const lines = ['x1,x2,color,label'];
  for (let i = 0; i < n; i++) {
    const [x1, x2] = [random() * 4 - 2, random() * 4 - 2];
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${['red', 'green', 'blue'][i % 3]},${x1 + x2 > 0 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

export const POINTS_PIPELINE = `name: points
experiment: my-project
seed: 7
data:
  source: { type: csv, path: points.csv }
  features:
    - { name: x1, type: numeric }
    - { name: x2, type: numeric }
    - { name: color, type: category }
  target: { name: label, type: binary, positive: 'yes' }
  split: { train: 0.7, val: 0.15, test: 0.15 }
model:
  layers:
    - { type: dense, units: 8, activation: relu }
    - { type: dense, units: 1, activation: sigmoid }
train:
  loss: binaryCrossentropy
  optimizer: { name: adam, learningRate: 0.05 }
  epochs: 3
  batchSize: 16
  metrics: [accuracy]
sweep:
  method: grid
  metric: val.accuracy
  goal: maximize
  parallel: 2
  parameters:
    train.optimizer.learningRate: { type: values, values: [0.01, 0.05] }
`;
