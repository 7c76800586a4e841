import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineFile, loadPipelineText } from './load.ts';

const BASE = `name: t
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Island, type: category }
  target: { name: Species, type: multiclass }
model:
  layers:
    - { type: dense, units: 8, activation: relu }
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam }
`;

const ok = (text: string, overrides: string[] = []) => {
  const r = loadPipelineText('t.yaml', text, { overrides });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pipeline;
};

describe('loadPipelineText', () => {
  it('a tag written under another key (type: adam for name) gets a hint naming the key to write', () => {
    const r = loadPipelineText('t.yaml', BASE.replace('optimizer: { name: adam }', 'optimizer: { type: adam }'), { overrides: [] });
    expect(r.ok).toBe(false);
    const e = r.ok ? undefined : r.errors[0];
    expect([e?.code, e?.message, e?.hint]).toEqual(['spec/missing-key', 'missing required key "name"', 'write name: adam instead of type: adam (choices: sgd, adam, adamw, adamax, rmsprop, adagrad, adadelta)']);
  });

  it('fills defaults, including those of the chosen variant', () => {
    const { spec } = ok(BASE);
    expect(spec.seed).toBe(42);
    expect(spec.train.optimizer).toEqual({ name: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(spec.data.split).toEqual({ train: 0.7, val: 0.15, test: 0.15, stratify: true });
    expect(spec.runtime).toEqual({ backend: 'auto', threads: 'auto', blas: 'auto' });
    expect(spec.data.features[0]).toEqual({ name: 'Island', type: 'category', encoding: 'oneHot', trim: true, lowercase: false, minCount: 1 });
  });

  it('hashes the resolved config, not the text: reordered keys and spelled-out defaults hash the same', () => {
    const a = ok(BASE);
    const reordered = BASE.replace('  optimizer: { name: adam }', '  optimizer: { learningRate: 0.001, name: adam }').replace('name: t\n', '') + 'name: t\nseed: 42\n';
    const b = ok(reordered);
    expect(b.hash).toBe(a.hash);
    expect(JSON.stringify(b.spec)).toBe(JSON.stringify(a.spec));
    expect(ok(BASE, ['seed=7']).hash).not.toBe(a.hash);
  });

  it('applies --set overrides typed through the schema', () => {
    const { spec } = ok(BASE, ['train.optimizer.learningRate=0.05', 'model.layers[0].units=32', 'name=123', 'train.metrics=[accuracy, f1]']);
    expect(spec.train.optimizer.learningRate).toBe(0.05);
    expect(spec.model.layers?.[0]).toMatchObject({ units: 32 });
    expect(spec.name).toBe('123');
    expect(spec.train.metrics).toEqual(['accuracy', 'f1']);
  });

  it('locates errors in an override at the --set flag', () => {
    const r = loadPipelineText('t.yaml', BASE, { overrides: ['train.optimizer.lerningRate=0.1', 'model.layers[0].units=-1'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.file, e.path, e.message])).toEqual([
      ['--set train.optimizer.lerningRate=0.1', 'train.optimizer.lerningRate', 'unknown key "lerningRate"'],
      ['--set model.layers[0].units=-1', 'model.layers[0].units', 'must be >= 1, got -1'],
    ]);
    expect(r.errors[0]?.hint).toContain('did you mean "learningRate"?');
  });

  it('rejects a malformed override', () => {
    const r = loadPipelineText('t.yaml', BASE, { overrides: ['train.epochs'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'cli/bad-override', file: '--set' });
  });

  it('reports every schema problem at once', () => {
    const text = BASE.replace('units: 8', 'units: 0').replace('name: adam', 'name: adam, beta3: 1').replace('type: category', 'type: category, encoding: onehot');
    const r = loadPipelineText('t.yaml', text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual(['data.features[0].encoding', 'model.layers[0].units', 'train.optimizer.beta3']);
  });

  it('validates every example pipeline in pipelines/', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = new URL('../../../../pipelines/', import.meta.url).pathname;
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const text = readFileSync(`${dir}${f}`, 'utf8');
      expect(text.startsWith('# yaml-language-server: $schema=../packages/core/schema/pipeline.schema.json'), f).toBe(true);
      const r = loadPipelineText(`${dir}${f}`, text);
      expect(r.ok ? [] : r.errors, f).toEqual([]);
    }
  });
});

describe('locateInPipeline', () => {
  it('places later errors that name a spec field at that field in the file, and leaves placed ones alone', async () => {
    const { locateInPipeline } = await import('./load.ts');
    const pipeline = { file: 't.yaml', yaml: BASE };
    const [named, placed, bare] = locateInPipeline(pipeline, [
      { code: 'data/missing-column', path: 'data.features[0].name', message: 'column "Island" is not in the data' },
      { code: 'x', path: 'train.loss', message: 'm', file: 'other.csv', line: 3, col: 1 },
      { code: 'y', path: '', message: 'no path' },
    ]);
    expect(named).toMatchObject({ file: 't.yaml', line: 5, col: 15 });
    expect(placed).toMatchObject({ file: 'other.csv', line: 3 });
    expect(bare!.file).toBeUndefined();
  });

  it('places an error in a field set on the command line at its --set', async () => {
    const { locateInPipeline } = await import('./load.ts');
    const pipeline = { file: 't.yaml', yaml: BASE, overrides: ['model.from.run=abc'] };
    const [e] = locateInPipeline(pipeline, [{ code: 'artifact/missing', path: 'model.from.run', message: "run abc's weights.bin is missing" }]);
    expect(e).toMatchObject({ file: '--set model.from.run=abc' });
    expect(e!.line).toBeUndefined();
  });
});

describe('input that is not a finite number or not UTF-8', () => {
  it('reads .nan and .inf as "expected a finite number", in the file and in --set', () => {
    const r = loadPipelineText('t.yaml', `${BASE}  epochs: .inf\n`, { overrides: ['seed=.nan'] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.path, e.message, e.file, e.line])).toEqual([
      ['spec/not-finite', 'train.epochs', 'expected a finite number, got Infinity', 't.yaml', 14],
      ['spec/not-finite', 'seed', 'expected a finite number, got NaN', '--set seed=.nan', undefined],
    ]);
  });

  it('names the offset, line and column of a byte that is not UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-load-'));
    const file = join(dir, 'latin.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('name: caf'), Buffer.from([0xe9]), Buffer.from(BASE.slice('name: t'.length))]));
    const r = loadPipelineFile(file);
    expect(!r.ok && r.errors).toEqual([{ code: 'spec/not-utf8', path: '', file, line: 1, col: 10, message: 'byte 0xe9 at offset 9 (line 1, column 10) is not UTF-8', hint: 'save the file as UTF-8' }]);
  });
});
