import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuns, openStore } from '@kiln/core/store';
import { BIN, kiln } from './run-cli.ts';

/** Palmer penguins (a builtin, real data) cross-validated in 3 folds, tiny and quick. */
const PIPELINE = `name: penguins-cv
seed: 7
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Beak Length (mm), type: numeric }
    - { name: Beak Depth (mm), type: numeric }
    - { name: Island, type: category }
  target: { name: Species, type: multiclass }
  split: { folds: 3, test: 0.15 }
model:
  layers:
    - { type: dense, units: 16, activation: relu }
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam, learningRate: 0.05 }
  epochs: 1
  batchSize: 32
  metrics: [accuracy]
`;

interface Summary {
  final: number | null;
}
interface Shown {
  id: string;
  status: string;
  keptEpoch: number | null;
  foldParentId: string | null;
  fold: number | null;
  metrics: Record<string, Summary>;
  params: Record<string, unknown>;
  folds: { id: string; fold: number; status: string; foldParentId: string; metrics: Record<string, Summary>; params: Record<string, unknown> }[];
}

function setup(yaml = PIPELINE) {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-kfold-'));
  writeFileSync(join(dir, 'cv.yaml'), yaml);
  return { dir, env: { KILN_STORE: join(dir, 'kiln.db') } };
}

const final = (m: Record<string, Summary>, key: string) => m[key]?.final ?? Number.NaN;

describe('k-fold cross-validation (as a user runs it)', () => {
  it('trains a parent and 3 fold runs, records mean ± std, and shows, lists and compares them', () => {
    const { dir, env } = setup();
    const train = kiln(['train', 'cv.yaml'], { cwd: dir, env });
    expect(train.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(train.code).toBe(0);
    expect(train.stderr).toContain('fold 3/3');
    expect(train.stdout).toMatch(/3-fold cross-validation\nfold\s+run\s+status\s+val\.accuracy/);
    expect(train.stdout).toMatch(/mean ± std\s+\d\.\d+ ± \d/);
    const parentId = /run\s+(\S+) \(parent of 3 fold runs\)/.exec(train.stdout)?.[1] ?? 'missing';

    const show = kiln(['show', parentId, '--json'], { cwd: dir, env });
    expect(show.code).toBe(0);
    const parent = JSON.parse(show.stdout) as Shown;
    expect([parent.status, parent.keptEpoch, parent.foldParentId]).toEqual(['finished', null, null]);
    expect(parent.folds.map((f) => [f.fold, f.status, f.foldParentId, f.params['data.split.fold']])).toEqual([1, 2, 3].map((i) => [i, 'finished', parentId, i]));
    // the parent's value of each metric is the folds' mean, with the population std beside it
    for (const key of ['val.accuracy', 'val.loss', 'test.accuracy', 'test.loss']) {
      const values = parent.folds.map((f) => final(f.metrics, key));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      expect(final(parent.metrics, key)).toBeCloseTo(mean, 6);
      expect(final(parent.metrics, `${key}.std`)).toBeCloseTo(std, 6);
    }
    // every fold validates on different rows: the folds' validation losses are not all one value
    expect(new Set(parent.folds.map((f) => final(f.metrics, 'val.loss'))).size).toBeGreaterThan(1);

    const text = kiln(['show', parentId], { cwd: dir, env }).stdout;
    expect(text).toContain('3-fold cross-validation');
    for (const f of parent.folds) expect(text).toContain(f.id);
    expect(text).toMatch(/mean ± std\s+\d\.\d+ ± \d/);
    const fold2 = parent.folds[1]?.id ?? 'missing';
    expect(kiln(['show', fold2], { cwd: dir, env }).stdout).toContain(`fold      2 of k-fold parent ${parentId}`);

    const runs = kiln(['runs'], { cwd: dir, env }).stdout;
    expect(runs).toContain('(3-fold)');
    expect(runs).not.toContain(fold2);
    expect(runs).toContain('1 of 1 run(s)');
    const all = kiln(['runs', '--folds'], { cwd: dir, env }).stdout;
    expect(all).toContain(`└ fold 2`);
    expect(all).toContain(fold2);
    expect(all).toContain('(and 3 fold runs under their k-fold parents)');
    const byFilter = kiln(['runs', '--filter', `foldParentId = "${parentId}" and fold >= 2`, '--sort', 'fold'], { cwd: dir, env }).stdout;
    expect(byFilter).toContain('2 of 2 run(s)');
    expect(byFilter.indexOf('└ fold 2')).toBeLessThan(byFilter.indexOf('└ fold 3'));

    const compare = kiln(['compare', parentId, parentId], { cwd: dir, env });
    expect(compare.code).toBe(0);
    const mean = final(parent.metrics, 'val.accuracy');
    expect(compare.stdout).toMatch(new RegExp(`val\\.accuracy \\(final\\)\\s+${String(Number(mean.toPrecision(4))).replace('.', '\\.')} ± `));

    // a parent keeps no model of its own: predict points at its folds
    writeFileSync(join(dir, 'rows.jsonl'), '{"Beak Length (mm)": 39.1, "Beak Depth (mm)": 18.7, "Island": "Torgersen"}\n');
    const predict = kiln(['predict', parentId, 'rows.jsonl'], { cwd: dir, env });
    expect(predict.code).toBe(2);
    expect(predict.stderr).toContain(`k-fold parent: pick one of its fold runs (${parent.folds.map((f) => f.id).join(', ')})`);

    // deleting the parent deletes its folds with it
    const del = kiln(['delete', parentId, '--yes'], { cwd: dir, env });
    expect(del.code).toBe(0);
    expect(del.stdout.trim().split('\n')).toHaveLength(4);
    expect(kiln(['runs', '--folds', '--json'], { cwd: dir, env }).stdout).toMatch(/"total": 0/);
  });

  it('a sweep over k-fold pipelines scores each trial by its parent run\'s fold mean', () => {
    const { dir, env } = setup();
    const sweep = kiln(['train', 'cv.yaml', '--set', 'train.epochs=1', '--set', 'data.split.folds=2', '--set', 'train.optimizer.learningRate=0.01,0.05', '--json'], { cwd: dir, env });
    expect(sweep.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(sweep.code).toBe(0);
    const summary = JSON.parse(sweep.stdout) as { sweepId: string; counts: { complete: number }; metric: string };
    expect(summary.counts.complete).toBe(2);
    const shown = JSON.parse(kiln(['sweep', 'show', summary.sweepId, '--json'], { cwd: dir, env }).stdout) as { trials: { runId: string; value: number }[] };
    for (const t of shown.trials) {
      const run = JSON.parse(kiln(['show', t.runId, '--json'], { cwd: dir, env }).stdout) as Shown;
      expect(run.folds).toHaveLength(2);
      expect(t.value).toBeCloseTo(final(run.metrics, summary.metric), 9);
    }
  });

  it('refuses folds with train/val fractions, located, and says what is allowed', () => {
    const { dir, env } = setup(PIPELINE.replace('split: { folds: 3, test: 0.15 }', 'split: { folds: 3, train: 0.7, test: 0.15 }'));
    const r = kiln(['validate', 'cv.yaml'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[check\/split-folds\] cv\.yaml:10:\d+\s+data\.split\.train/);
    expect(r.stderr).toContain('give only test');
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('Ctrl-C during a fold ends that fold and the parent killed, with what the fold logged kept', async () => {
    const { dir, env } = setup();
    const child = spawn(process.execPath, [BIN, 'train', 'cv.yaml', '--set', 'train.epochs=5000'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    // interrupt fold 1 once it has logged two epochs (one line per epoch when stderr is not a terminal)
    let stderr = '';
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/fold 1\/3[\s\S]*epoch\s+2\//.test(stderr)) resolve();
      }),
    );
    child.kill('SIGINT');
    const [code, signal] = (await exited) as [number | null, string | null];
    expect([code, signal]).toEqual([130, null]);
    const store = await openStore(env.KILN_STORE, { mode: 'read' });
    try {
      const { runs } = await listRuns(store, { sort: 'startedAt' });
      const [parent, fold1] = runs;
      expect(runs).toHaveLength(2);
      expect([parent?.status, parent?.fold, parent?.failureReason]).toEqual(['killed', null, expect.stringMatching(/^fold 1 of 3 killed: received SIGINT/) as string]);
      expect([fold1?.status, fold1?.fold, fold1?.foldParentId]).toEqual(['killed', 1, parent?.id]);
      expect(fold1?.metrics['val.loss']?.count).toBeGreaterThanOrEqual(2);
    } finally {
      store.close();
    }
  });
});
