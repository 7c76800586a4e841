/**
 * The run's numbers are the kept model's, through the real `kiln` binary on builtin penguins and
 * cars with a few epochs: restored best weights, the last epoch kept, unique run names found by
 * their pipeline's name, a NaN loss and an exploding loss, and a sweep's objective. Each case
 * checks the exit code, the first line of output and what the store holds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getRun, listRuns, listTrials, metricHistory, openStore, type Store } from '@kiln/core/store';
import { fmtValue } from '@kiln/core/format';
import { kiln } from '../cli/run-cli.ts';

const firstLine = (s: string) => s.split('\n').find((l) => l.trim() !== '') ?? '';
const STACK_FRAME = /\n\s+at /;

/** Penguins from two measurements and the island; `train` is appended to the train: section. */
const penguins = (name: string, train = '', extra = '') => `name: ${name}
experiment: kept
seed: 42
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Beak Length (mm), type: numeric }
    - { name: Flipper Length (mm), type: numeric }
    - { name: Island, type: category }
  target: { name: Species, type: multiclass }
model:
  layers:
    - { type: dense, units: 16, activation: relu }
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam, learningRate: 0.1 }
  epochs: 4
  batchSize: 16
  metrics: [accuracy]
${train}${extra}`;

// val.loss is lowest at epoch 1 with this seed and rate, then rises: early stopping restores epoch 1.
const EARLY_STOPPING = '  earlyStopping: { monitor: val.loss, patience: 10, restoreBestWeights: true }\n';

let store: Store | undefined;
afterEach(() => store?.close());

function setup(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-kept-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const db = join(dir, 'kiln.db');
  return { dir, db, env: { KILN_STORE: db }, file: (name: string) => join(dir, name) };
}

async function onlyRun(db: string) {
  store = await openStore(db);
  const page = await listRuns(store);
  expect(page.total).toBe(1);
  return (await getRun(store, page.runs[0]!.id))!;
}

describe('the run records the model it kept', () => {
  it("with restored best weights: every surface reports the restored epoch's values, the history stays as logged", async () => {
    const t = setup({ 'es.yaml': penguins('penguins-es', EARLY_STOPPING) });
    const train = kiln(['train', t.file('es.yaml')], { env: t.env });
    expect(train.stderr).not.toMatch(STACK_FRAME);
    expect(train.code).toBe(0);
    expect(firstLine(train.stdout)).toMatch(/^metric\s+val \(epoch 1\)\s+test$/);
    expect(train.stdout).toMatch(/kept {8}epoch 1 of 4 \(best val\.loss, weights restored\)/);

    const run = await onlyRun(t.db);
    expect(run.keptEpoch).toBe(1);
    const history = await metricHistory(store!, run.id, 'val.accuracy');
    expect(history.points.map((p) => p.epoch)).toEqual([1, 2, 3, 4]);
    const acc = run.metrics['val.accuracy']!;
    expect(acc.final).toBe(history.points[0]!.value);
    expect(acc.last).toBe(history.points[3]!.value);
    expect(run.metrics['val.loss']!.final).toBe(run.metrics['val.loss']!.min);
    expect(run.metrics['test.accuracy']!.final).toBe(run.metrics['test.accuracy']!.last);

    // kiln runs and kiln show print the final value (the restored epoch's), labelled.
    const printed = fmtValue(acc.final);
    const runs = kiln(['runs'], { env: t.env });
    expect([runs.code, firstLine(runs.stdout)]).toEqual([0, expect.stringMatching(/^id\s+name\s+experiment\s+status\s+started\s+duration\s+kept epoch\s+val\.accuracy\s+val\.loss\s+test\.accuracy/)]);
    expect(runs.stdout).toMatch(new RegExp(`\\s${printed.replace('.', '\\.')}\\s`));
    expect(runs.stdout).toContain("metrics are the kept model's (final)");
    const show = kiln(['show', run.id], { env: t.env });
    expect(show.code).toBe(0);
    expect(firstLine(show.stdout)).toBe(`run ${run.id}  ${run.name}  (pipeline penguins-es, experiment kept)`);
    expect(show.stdout).toMatch(new RegExp(`\\nval\\.accuracy +${printed.replace('.', '\\.')} +`));
    expect(show.stdout).toContain('kept      the model of epoch 1');
  });

  it('without early stopping: the last epoch is kept and the summary says so; runs are named and found by their pipeline', async () => {
    const t = setup({ 'plain.yaml': penguins('penguins-plain') });
    const train = kiln(['train', t.file('plain.yaml'), '--set', 'train.epochs=3'], { env: t.env });
    expect(train.code).toBe(0);
    expect(firstLine(train.stdout)).toMatch(/^metric\s+val \(epoch 3\)\s+test$/);
    expect(train.stdout).toMatch(/kept {8}epoch 3 of 3 \(the last(, also the best val\.loss|; the best val\.loss was at epoch [12], not restored)\)/);
    expect(train.stdout).not.toContain('best epoch');
    const run = await onlyRun(t.db);
    expect(run.keptEpoch).toBe(3);
    expect(run.metrics['val.accuracy']!.final).toBe(run.metrics['val.accuracy']!.last);
  });

});

describe('divergence', () => {
  it('a NaN loss fails the run at its step and keeps the batch losses logged before it', async () => {
    const t = setup({});
    const train = kiln(['train', 'pipelines/cars-regression.yaml', '--set', 'train.optimizer.name=sgd', '--set', 'train.optimizer.learningRate=10', '--set', 'train.epochs=2'], { env: t.env });
    expect(train.stderr).not.toMatch(STACK_FRAME);
    expect(train.code).toBe(1);
    expect(firstLine(train.stdout)).toMatch(/^metric\s+val\s+test$/);
    expect(train.stdout).toMatch(/status {6}failed \(diverged at epoch 1 step (\d+)\)\nkept {8}no model \(run failed before an epoch ended\)/);
    const step = Number(/diverged at epoch 1 step (\d+)/.exec(train.stdout)![1]);
    const run = await onlyRun(t.db);
    expect([run.status, run.failureReason, run.keptEpoch]).toEqual(['failed', `diverged at epoch 1 step ${step}`, null]);
    const losses = await metricHistory(store!, run.id, 'train.batch_loss');
    expect(losses.points.map((p) => p.step)).toEqual(Array.from({ length: step - 1 }, (_, i) => i + 1));
  });

  it('a loss that explodes and sits there is flagged (kiln.warning, summary, kiln show), and fails with train.divergence.action fail', async () => {
    const t = setup({});
    const explode = ['train', 'pipelines/penguins-mlp.yaml', '--set', 'train.optimizer.learningRate=10', '--set', 'train.epochs=2'];
    const warned = kiln(explode, { env: t.env });
    expect(warned.code).toBe(0);
    expect(firstLine(warned.stdout)).toMatch(/^metric\s+val \(epoch 2\)\s+test$/);
    expect(warned.stdout).toMatch(/\nwarning {5}train loss diverged: \S+ at epoch 1 is \S+x its lowest \(\S+ at the first step\); train\.divergence\.lossIncrease is 5\n/);
    const run = await onlyRun(t.db);
    expect(run.status).toBe('finished');
    expect(run.tags['kiln.warning']).toMatch(/^train loss diverged: /);
    const show = kiln(['show', run.id], { env: t.env });
    expect(show.stdout).toContain(`\nwarning   ${run.tags['kiln.warning']}\n`);
    store!.close();
    store = undefined;

    const u = setup({});
    const failed = kiln([...explode, '--set', 'train.divergence.action=fail'], { env: u.env });
    expect(failed.code).toBe(1);
    expect(firstLine(failed.stdout)).toMatch(/^metric\s+val \(last, epoch 1\)\s+test$/);
    const fail = await onlyRun(u.db);
    expect([fail.status, fail.keptEpoch]).toEqual(['failed', null]);
    expect(fail.failureReason).toMatch(/^train loss diverged: \S+ at epoch 1 is /);
    expect(fail.metrics['train.loss']!.count).toBe(1);
  });
});

describe('sweeps score the kept model', () => {
  const SWEEP = `sweep:
  method: grid
  metric: val.accuracy
  goal: maximize
  parameters:
    train.optimizer.learningRate: { type: values, values: [0.1, 0.3] }
`;

  it("each trial's objective is its run's final value; monitoring another metric is a warning, tuning on test an error", async () => {
    const t = setup({ 'sweep.yaml': penguins('penguins-sweep', EARLY_STOPPING, SWEEP), 'on-test.yaml': penguins('penguins-sweep', EARLY_STOPPING, SWEEP.replace('val.accuracy', 'test.accuracy')) });
    const sweep = kiln(['sweep', t.file('sweep.yaml'), '--set', 'train.epochs=3'], { env: t.env });
    expect(sweep.stderr).not.toMatch(STACK_FRAME);
    expect(sweep.code).toBe(0);
    expect(firstLine(sweep.stderr)).toBe(`warning[warn/sweep-monitor] ${t.file('sweep.yaml')}:24:11  sweep.metric`);
    expect(sweep.stdout).toMatch(/\nBest: trial \d+ {2}val\.accuracy = \S+ \(maximize; final: the trial's kept model\)/);
    store = await openStore(t.db);
    const runs = await listRuns(store);
    const sweepId = runs.runs[0]!.sweepId!;
    const trials = await listTrials(store, sweepId);
    expect(trials.map((x) => x.state)).toEqual(['complete', 'complete']);
    for (const trial of trials) {
      const run = (await getRun(store, trial.runId!))!;
      expect(run.keptEpoch).toBe(1);
      expect(trial.value).toBe(run.metrics['val.accuracy']!.final);
    }

    const validate = kiln(['validate', t.file('sweep.yaml')], { env: t.env });
    expect([validate.code, firstLine(validate.stdout), firstLine(validate.stderr)]).toEqual([0, expect.stringMatching(/^ok {3}/), `warning[warn/sweep-monitor] ${t.file('sweep.yaml')}:24:11  sweep.metric`]);
    expect(validate.stderr.trim().split('\n').at(-1)).toBe('1 warning.');

    const onTest = kiln(['sweep', t.file('on-test.yaml')], { env: t.env });
    expect(onTest.code).toBe(2);
    expect(firstLine(onTest.stderr)).toBe(`error[check/sweep-on-test] ${t.file('on-test.yaml')}:24:11  sweep.metric`);
  });
});
