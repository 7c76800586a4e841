import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, kiln } from './run-cli.ts';

const STACK = /\n\s+at .+:\d+:\d+/;

describe('kiln validate (as a user runs it)', () => {
  it('accepts the example pipelines with a one-line summary each and exit 0', () => {
    const r = kiln(['validate', 'pipelines/penguins-mlp.yaml']);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {3}pipelines\/penguins-mlp\.yaml {2}penguins-mlp: builtin penguins, 6 feature\(s\) -> Species \(multiclass\)/);
  });

  it('points at a typo with file:line:col, the source line, a caret and a did-you-mean; exit 2, no stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-validate-'));
    const file = join(dir, 'typo.yaml');
    writeFileSync(
      file,
      [
        'name: typo',
        'data:',
        '  source: { type: builtin, name: penguins }',
        '  features: [{ name: Island, type: category }]',
        '  target: { name: Species, type: multiclass }',
        'model:',
        '  layers: [{ type: dense, units: 3, activation: softmax }]',
        'train:',
        '  loss: sparseCategoricalCrossentropy',
        '  optimizer: { name: adam, lerningRate: 0.01 }',
        '',
      ].join('\n'),
    );
    const r = kiln(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toContain(`error[spec/unknown-key] ${file}:10:28  train.optimizer.lerningRate`);
    expect(r.stderr).toContain('  unknown key "lerningRate"');
    expect(r.stderr).toContain('  10 |   optimizer: { name: adam, lerningRate: 0.01 }');
    expect(r.stderr).toContain(`     | ${' '.repeat(27)}^`);
    expect(r.stderr).toContain('hint: did you mean "learningRate"?');
  });

  it('reports a missing file, an unknown command and an unknown option as located input errors', () => {
    const missing = kiln(['validate', 'nope.yaml']);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('error[spec/file-not-found] nope.yaml')]);
    const cmd = kiln(['valdate']);
    expect([cmd.code, cmd.stderr]).toEqual([2, expect.stringContaining('did you mean "kiln validate"?')]);
    const opt = kiln(['validate', '--sett', 'x=1', 'pipelines/penguins-mlp.yaml']);
    expect([opt.code, opt.stderr]).toEqual([2, expect.stringContaining('did you mean --set?')]);
  });

  it('validates --set overrides like the file and locates their errors at the flag', () => {
    const ok = kiln(['validate', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=3']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('3 epochs');
    const bad = kiln(['validate', 'pipelines/penguins-mlp.yaml', '--set', 'train.epochs=zero']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error[spec/wrong-type] --set train.epochs=zero  train.epochs');
  });

  it('prints help from the option table and the JSON Schema', () => {
    const help = kiln(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n {2}train +Validate and train a pipeline/);
    const sub = kiln(['validate', '--help']);
    expect(sub.stdout).toContain('--set PATH=VALUE');
    const schema = kiln(['schema']);
    expect(JSON.parse(schema.stdout).title).toBe('Kiln pipeline');
  });

  it('prints all of a long output into a pipe whose reader is slow (the 219 KB schema, not its first 64 KB)', async () => {
    const proc = spawn(process.execPath, [BIN, 'schema'], { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.stdout.pause();
    // The pipe fills up while nobody reads; kiln has finished its work long before this resumes.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stdout.resume();
    const code = await new Promise((resolve) => proc.on('close', resolve));
    expect(code).toBe(0);
    expect(out.length).toBeGreaterThan(100_000);
    expect(JSON.parse(out).title).toBe('Kiln pipeline');
  }, 60_000);
});
