/** The model registry through the real CLI: register, alias, ls, show, predict NAME@ALIAS, model.from.model; PostgreSQL races. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTracker, openStore } from '@kiln/core/store';
import { freshPgUrl, stopTestCluster } from '@kiln/core/testing';
import { BIN, kiln, REPO } from './run-cli.ts';

afterAll(stopTestCluster);

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;
const PENGUINS = 'pipelines/penguins-mlp.yaml';
const ROWS = [
  { 'Beak Length (mm)': 39.1, 'Beak Depth (mm)': 18.7, 'Flipper Length (mm)': 181, 'Body Mass (g)': 3750, Island: 'Torgersen', Sex: 'MALE' },
  { 'Beak Length (mm)': 46.5, 'Beak Depth (mm)': 13.5, 'Flipper Length (mm)': 210, 'Body Mass (g)': 4550, Island: 'Biscoe', Sex: 'FEMALE' },
];

interface Version {
  name: string;
  version: number;
  runId: string;
  aliases: string[];
  metrics: Record<string, { final: number | null; best: number | null }>;
  monitor: string | null;
  dataFingerprint: string | null;
  configHash: string;
  description: string | null;
  tags: Record<string, string>;
}

/** A run that kept a model file but ended `status`, written with the store's own tracker (as a crashed trainer leaves it). */
async function endedRun(store: string, status: 'crashed' | 'failed', withModel: boolean): Promise<string> {
  const s = await openStore(store);
  try {
    const run = await createTracker(s).startRun({ experiment: 'e', name: `r-${status}`, config: {}, yaml: 'name: x\n', configHash: 'h' });
    if (withModel) {
      const file = join(mkdtempSync(join(tmpdir(), 'kiln-reg-')), 'model.json');
      writeFileSync(file, '{}');
      await run.logArtifact(file, 'model');
    }
    await run.end(status, 'worker lost');
    return run.id;
  } finally {
    s.close();
  }
}

describe('kiln model (libsql file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-model-cli-'));
  const env = { KILN_STORE: join(dir, 'kiln.db'), KILN_USER: 'ada' };
  const rows = join(dir, 'rows.jsonl');
  writeFileSync(rows, ROWS.map((r) => JSON.stringify(r)).join('\n'));
  const ok = (args: string[]) => {
    const r = kiln(args, { env });
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  const bad = (args: string[], located: string, message: string) => {
    const r = kiln(args, { env });
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).toContain(located);
    expect(r.stderr).toContain(message);
    return r;
  };

  it('registers, aliases, lists, shows, predicts NAME@ALIAS and fine-tunes from model.from.model', async () => {
    const runId = (JSON.parse(ok(['train', PENGUINS, '--set', 'train.epochs=2', '--json']).stdout) as { runId: string }).runId;
    const shown = JSON.parse(ok(['show', runId, '--json']).stdout) as { dataFingerprint: string; configHash: string; metrics: Record<string, { final: number }> };

    const v1 = JSON.parse(ok(['model', 'register', runId, '--name', 'penguins', '--description', 'two epochs', '--tag', 'team=ml', '--json']).stdout) as Version;
    expect(v1).toMatchObject({ name: 'penguins', version: 1, runId, description: 'two epochs', tags: { team: 'ml' }, dataFingerprint: shown.dataFingerprint, configHash: shown.configHash, createdBy: 'ada' });
    expect(v1.metrics['val.accuracy']?.final).toBe(shown.metrics['val.accuracy']?.final);
    expect(v1.metrics['test.accuracy']?.final).toBe(shown.metrics['test.accuracy']?.final);
    expect(ok(['model', 'register', runId.slice(0, 12), '--name', 'penguins']).stdout).toContain(`registered run ${runId} as penguins version 2`);

    expect(ok(['model', 'alias', 'penguins@1', 'production']).stdout).toContain('penguins@production -> version 1 (new alias)');
    expect(ok(['model', 'alias', 'penguins@2', 'staging']).stdout).toContain('version 2');
    const ls = JSON.parse(ok(['model', 'ls', '--json']).stdout) as { models: { name: string; versions: number; latest: Version; aliases: Record<string, number> }[] };
    expect(ls.models.map((m) => [m.name, m.versions, m.latest.version, m.aliases])).toEqual([['penguins', 2, 2, { production: 1, staging: 2 }]]);
    expect(ok(['model', 'ls']).stdout).toMatch(/penguins\s+2\s+2\s+production=1, staging=2\s+val\.accuracy/);
    const table = ok(['model', 'show', 'penguins']).stdout;
    expect(table).toContain('model penguins: 2 versions, aliases production=1, staging=2');
    expect(table).toMatch(/\n1\s+production\s+\S+\s+.*two epochs/);
    const one = JSON.parse(ok(['model', 'show', 'penguins@production', '--json']).stdout) as Version;
    expect([one.version, one.aliases, one.runId]).toEqual([1, ['production'], runId]);

    const byRun = ok(['predict', runId, rows]).stdout;
    const byAlias = ok(['predict', 'penguins@production', rows]);
    expect(byAlias.stdout).toBe(byRun);
    expect(byAlias.stderr).toContain(`penguins@production (version 1): run ${runId}`);
    expect(byRun.trim().split('\n')).toHaveLength(2);

    const ft = join(dir, 'ft.yaml');
    const base = readFileSync(join(REPO, PENGUINS), 'utf8');
    writeFileSync(ft, base.replace(/^model:\n(?:\s+layers:\n)?(?:\s+- .*\n)+/m, 'model:\n  from: { model: penguins@production }\n  layers:\n    - { type: dense, units: 3, activation: softmax }\n'));
    const child = (JSON.parse(ok(['train', ft, '--set', 'train.epochs=1', '--json']).stdout) as { runId: string }).runId;
    const childShown = JSON.parse(ok(['show', child, '--json']).stdout) as { parentRunId: string; tags: Record<string, string> };
    expect(childShown.parentRunId).toBe(runId);
    expect(childShown.tags).toMatchObject({ 'kiln.from_model': 'penguins@1', 'kiln.from_alias': 'production' });
    expect(ok(['show', child]).stdout).toContain('as model penguins@1 (alias production)');

    writeFileSync(ft, readFileSync(ft, 'utf8').replace('penguins@production', 'pengiuns@production'));
    const typo = bad(['train', ft, '--set', 'train.epochs=1'], `${ft}:`, 'no registered model "pengiuns"');
    expect(typo.stderr).toContain('did you mean "penguins"?');

    expect(ok(['model', 'alias', 'penguins@2', 'production']).stdout).toContain('moved from version 1');
    // an alias can be set from another: penguins@production is version 2 now
    expect(ok(['model', 'alias', 'penguins@production', 'canary']).stdout).toContain('penguins@canary -> version 2 (new alias)');
    expect(ok(['model', 'alias', 'penguins', 'staging', '--delete']).stdout).toContain('removed penguins@staging');
    bad(['model', 'show', 'penguins@staging'], 'registry/unknown-alias', 'hint: choices: canary, production');
    // the run behind production is not deleted from under the alias
    const del = kiln(['delete', runId, '--yes'], { env });
    expect([del.code, del.stderr.includes('store/run-aliased')]).toEqual([1, true]);
    expect(del.stderr).toContain(`run ${runId} is penguins@2 (alias canary), penguins@2 (alias production); nothing deleted`);
    expect(ok(['model', 'show', 'penguins@production']).stdout).toContain(runId);
  }, 120_000);

  it('refuses bad names, unknown runs and models, a run without a model, a crashed run unless --force', async () => {
    bad(['model', 'register', 'abc'], '--name', 'kiln model register needs --name');
    bad(['model', 'register', 'abc', '--name', 'a/b'], '--name', 'model name "a/b" has characters other than');
    bad(['model', 'show', '@production'], 'registry/bad-name', 'the model name is empty');
    bad(['model', 'register', 'nosuchrun', '--name', 'm'], 'cli/run-not-found', 'no run "nosuchrun"');
    bad(['model', 'register', 'abc', '--name', 'm', '--tag', 'novalue'], '--tag', 'cannot read tag "novalue"');
    bad(['model', 'frob'], 'cli/bad-choice', 'kiln model needs one of register, alias, ls, show');
    bad(['model', 'alias', 'penguins', 'production'], 'NAME@VERSION', '"penguins" names no version');
    bad(['predict', 'penguins@prodution', join(dir, 'rows.jsonl')], 'registry/unknown-alias', 'did you mean "production"?');

    const noModel = await endedRun(env.KILN_STORE, 'failed', false);
    bad(['model', 'register', noModel, '--name', 'm'], 'registry/no-model', `run ${noModel} kept no model (status failed)`);
    const crashed = await endedRun(env.KILN_STORE, 'crashed', true);
    bad(['model', 'register', crashed, '--name', 'm'], 'registry/run-not-finished', 'register it anyway with --force');
    expect(ok(['model', 'register', crashed, '--name', 'm', '--force']).stdout).toContain('as m version 1');
  }, 60_000);
});

/** Runs the real binary without waiting, so several run at once. */
function kilnAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('kiln model (PostgreSQL)', () => {
  it('concurrent kiln model register processes get distinct version numbers', async () => {
    const url = await freshPgUrl();
    const s = await openStore(url);
    let runId: string;
    try {
      const run = await createTracker(s).startRun({ experiment: 'e', name: 'r', config: {}, yaml: 'name: x\n', configHash: 'h' });
      const file = join(mkdtempSync(join(tmpdir(), 'kiln-reg-')), 'model.json');
      writeFileSync(file, '{}');
      await run.logArtifact(file, 'model');
      await run.end('finished');
      runId = run.id;
    } finally {
      s.close();
    }
    // two "machines", two registrations each, all at once
    const results = await Promise.all(Array.from({ length: 4 }, () => kilnAsync(['model', 'register', runId, '--name', 'race', '--json'], { KILN_STORE: url })));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const versions = results.map((r) => (JSON.parse(r.stdout) as Version).version).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4]);
    const shown = JSON.parse(kiln(['model', 'show', 'race', '--json'], { env: { KILN_STORE: url } }).stdout) as { versions: Version[] };
    expect(shown.versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
  }, 120_000);
});
