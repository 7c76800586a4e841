/**
 * Bad input is refused before it costs anything, and a run's saved files are checked before they are
 * trusted: each case drives the real `kiln` binary and expects exit 2, a first line that says where
 * (file:line:col), and no stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kiln, REPO } from '../cli/run-cli.ts';

const STACK = /\n\s+at .+:\d+:\d+/;
const PENGUINS = readFileSync(join(REPO, 'pipelines/penguins-mlp.yaml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'kiln-faults-input-'));

/** Writes a file into the test folder and returns its path. */
function put(name: string, body: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

/** Runs kiln and checks the contract for bad input: exit 2, no stack, nothing on stdout; returns stderr's first line. */
function refused(args: string[], env: Record<string, string> = {}): { first: string; stderr: string } {
  const r = kiln(args, { env: { KILN_STORE: join(dir, 'kiln.db'), ...env } });
  expect(r.stderr).not.toMatch(STACK);
  expect([r.code, r.stdout]).toEqual([2, '']);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error['));
  return { first: lines[0] ?? r.stderr, stderr: r.stderr };
}

/** A small binary-classification pipeline over a CSV file in the test folder. */
function csvPipeline(name: string, csv: string): string {
  put(`${name}.csv`, csv);
  return put(
    `${name}.yaml`,
    [
      `name: ${name}`,
      'data:',
      `  source: { type: csv, path: ${name}.csv }`,
      '  features: [{ name: x1, type: numeric }, { name: x2, type: numeric }]',
      '  target: { name: label, type: binary }',
      '  split: { train: 0.6, val: 0.2, test: 0.2, stratify: false }',
      'model:',
      '  layers: [{ type: dense, units: 1, activation: sigmoid }]',
      'train: { loss: binaryCrossentropy, optimizer: { name: adam }, epochs: 1, batchSize: 4, metrics: [accuracy] }',
      '',
    ].join('\n'),
  );
}
const rows = (f: (i: number) => string) => Array.from({ length: 10 }, (_, i) => f(i)).join('\n');

describe('bad data files', () => {
  it('a header naming a column twice: at the second occurrence', () => {
    const file = csvPipeline('dup', `x1,x2,x1,label\n${rows((i) => `${i},${i % 3},${i * 2},${i % 2 ? 'a' : 'b'}`)}\n`);
    const { first, stderr } = refused(['train', file]);
    expect(first).toBe(`error[data/csv-duplicate-column] ${join(dir, 'dup.csv')}:1:7  data.source.path`);
    expect(stderr).toContain('the header names column "x1" twice (columns 1 and 3)');
  });

  it('a byte that is not UTF-8 in the CSV: its offset, line and column', () => {
    const file = csvPipeline('latin', '');
    put('latin.csv', Buffer.concat([Buffer.from('x1,x2,label\n1,2,caf'), Buffer.from([0xe9]), Buffer.from(`\n${rows((i) => `${i},${i},a`)}\n`)]));
    const { first, stderr } = refused(['train', file]);
    expect(first).toBe(`error[data/not-utf8] ${join(dir, 'latin.csv')}:2:8  data.source.path`);
    expect(stderr).toContain('byte 0xe9 at offset 19 (line 2, column 8) is not UTF-8');
  });

  it('0x10 in a numeric column is not a number (JavaScript would read 16)', () => {
    const file = csvPipeline('hex', `x1,x2,label\n${rows((i) => `${i === 4 ? '0x10' : i},${i},${i % 2 ? 'a' : 'b'}`)}\n`);
    const { first, stderr } = refused(['train', file]);
    expect(first).toMatch(/^error\[data\/not-a-number\] .*hex\.yaml:\d+:\d+ {2}data\.features\[0\]/);
    expect(stderr).toContain('(line 6) has "0x10" in the numeric column');
  });
});

describe('bad pipeline files', () => {
  it('a model that cannot fit in memory is refused by validate, with its parameter count and bytes', () => {
    const file = put('huge.yaml', PENGUINS.replace('units: 32, activation: relu', 'units: 10000000, activation: relu'));
    const { first, stderr } = refused(['validate', file]);
    expect(first).toBe(`error[check/memory] ${file}:24:7  model.layers[1]`);
    expect(stderr).toContain('230,000,067 parameters');
    expect(stderr).toContain('4.6 GiB');
  });

  it('a 10 MB file validates in seconds (yaml\'s own duplicate-key check took minutes)', () => {
    // 50,000 keys in one mapping: yaml's pairwise check alone took over a minute on these.
    const tags = Array.from({ length: 50_000 }, (_, i) => `  key${String(i).padStart(6, '0')}: ${'v'.repeat(200)}`).join('\n');
    const file = put('big.yaml', PENGUINS.replace('tags:\n  task: tabular\n', `tags:\n${tags}\n`));
    expect(statSync(file).size).toBeGreaterThan(10_000_000);
    const t = performance.now();
    const r = kiln(['validate', file]);
    const seconds = (performance.now() - t) / 1000;
    console.log(`kiln validate of a ${(statSync(file).size / 1e6).toFixed(1)} MB file: ${seconds.toFixed(1)} s`);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(seconds).toBeLessThan(20);
    rmSync(file);
  });

  it('a duplicate key is still an error, located at the second key', () => {
    const file = put('dupkey.yaml', PENGUINS.replace('  epochs: 100\n', '  epochs: 100\n  epochs: 3\n'));
    const { first, stderr } = refused(['validate', file]);
    expect(first).toBe(`error[yaml/duplicate-key] ${file}:30:3`);
    expect(stderr).toContain('"epochs" is already set on line 29');
  });

  it('an error on a 200,000-character line prints one screen, not the line', () => {
    const file = put('long.yaml', `${PENGUINS}unknownKey: ${'x'.repeat(200_000)}\n`);
    const { first, stderr } = refused(['validate', file]);
    expect(first).toBe(`error[spec/unknown-key] ${file}:32:1  unknownKey`);
    const long = put('long-value.yaml', PENGUINS.replace('name: penguins-mlp', `name: "${'bad name '.repeat(25_000)}"`));
    const r = refused(['validate', long]);
    expect(r.first).toBe(`error[spec/invalid-format] ${long}:4:7  name`);
    expect(stderr.length + r.stderr.length).toBeLessThan(4000);
  });

  it('an alias bomb (billion laughs): exit 2 at the alias, not exit 1', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    const file = put('bomb.yaml', `${levels.join('\n')}\n`);
    const { first } = refused(['validate', file]);
    expect(first).toBe(`error[yaml/alias-bomb] ${file}:3:8`);
  });

  it('a byte that is not UTF-8 in the spec, and .nan / .inf: "expected a finite number"', () => {
    const latin = put('latin.yaml', Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${PENGUINS}`)]));
    expect(refused(['validate', latin]).first).toBe(`error[spec/not-utf8] ${latin}:1:6`);
    const nan = put('nan.yaml', PENGUINS.replace('learningRate: 0.01', 'learningRate: .nan').replace('seed: 42', 'seed: .inf'));
    const { first, stderr } = refused(['validate', nan]);
    expect(first).toBe(`error[spec/not-finite] ${nan}:9:7  seed`);
    expect(stderr).toContain('expected a finite number, got NaN');
    expect(stderr).toContain('expected a finite number, got Infinity');
  });
});

describe('a run\'s saved files are checked before predict and model.from use them', () => {
  const store = join(dir, 'runs', 'kiln.db');
  const env = { KILN_STORE: store };
  let runId = '';
  let weights = '';
  let original: Buffer;
  const input = put('rows.jsonl', '{"Beak Length (mm)": 40, "Beak Depth (mm)": 18, "Flipper Length (mm)": 190, "Body Mass (g)": 3700, "Island": "Dream", "Sex": "male"}\n');

  beforeAll(() => {
    const r = kiln(['train', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=2', '--json'], { env });
    expect(r.code).toBe(0);
    runId = (JSON.parse(r.stdout) as { runId: string }).runId;
    weights = join(dir, 'runs', 'artifacts', runId, 'weights.bin');
    original = readFileSync(weights);
    expect(kiln(['predict', runId, input], { env }).code).toBe(0);
  });

  it('a zeroed weights file (same size) is refused instead of predicting 1/3 for every class', () => {
    writeFileSync(weights, Buffer.alloc(original.length));
    const { first, stderr } = refused(['predict', runId, input], env);
    expect(first).toBe(`error[artifact/changed] ${weights}`);
    expect(stderr).toContain(`run ${runId}'s weights.bin has changed since the run saved it`);
  });

  it('a truncated weights file names its size against the recorded one', () => {
    writeFileSync(weights, original);
    truncateSync(weights, 100);
    const { stderr } = refused(['predict', runId, input], env);
    expect(stderr).toContain(`run ${runId}'s weights.bin is truncated: 100 bytes, but ${original.length} were recorded`);
  });

  it('a deleted weights file names the run and the file, for predict and for model.from', () => {
    rmSync(weights);
    expect(refused(['predict', runId, input], env).first).toBe(`error[artifact/missing] ${weights}`);
    const transfer = put('transfer.yaml', PENGUINS.replace('model:\n  layers:\n    - { type: dense, units: 32, activation: relu }\n    - { type: dense, units: 16, activation: relu }\n', `model:\n  from: { run: ${runId} }\n  layers:\n`));
    const { first, stderr } = refused(['train', transfer], env);
    expect(first).toBe(`error[artifact/missing] ${transfer}:22:16  model.from.run`);
    expect(stderr).toContain(`the file is ${weights}`);
  });
});
