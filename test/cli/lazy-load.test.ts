// Commands that only read specs or the store must not pay for TensorFlow.js or the UI at start-up:
// the built CLI runs with a loader hook that lists every module it loads.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@kiln/core/store';
import { seedRuns } from '@kiln/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { kiln, REPO } from './run-cli.ts';

const HOOK = fileURLToPath(new URL('./record-modules.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kiln-lazy-'));
const store = `file:${join(dir, 'kiln.db')}`;
let runId = '';
let otherId = '';

/** The modules `kiln args` loaded, and its result. */
function loaded(args: string[]): { modules: string[]; code: number | null; stderr: string } {
  const list = join(dir, `modules-${args[0]}-${Math.random().toString(36).slice(2)}.txt`);
  const r = kiln(args, { env: { KILN_STORE: store, KILN_RECORD_MODULES: list, NODE_OPTIONS: `--import=${HOOK}` } });
  return { modules: readFileSync(list, 'utf8').trim().split('\n'), code: r.code, stderr: r.stderr };
}

const heavy = (modules: string[]) => modules.filter((m) => m.includes('@tensorflow') || m.includes('tracker-ui') || m.includes('/hono/'));

describe('commands load only what they need', () => {
  beforeAll(async () => {
    const s = await openStore(store);
    await seedRuns(s, 3);
    s.close();
    const listed = kiln(['runs', '--json'], { env: { KILN_STORE: store } });
    const ids = (JSON.parse(listed.stdout) as { runs: { id: string }[] }).runs.map((r) => r.id);
    runId = ids[0] ?? '';
    otherId = ids[1] ?? '';
  });

  it('the hook sees TensorFlow.js where a command does load it (the control)', () => {
    const r = loaded(['train', join(REPO, 'pipelines/penguins-mlp.yaml'), '--set', 'train.epochs=1']);
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => m.includes('@tensorflow/tfjs-core'))).toBe(true);
  });

  it.each([
    ['validate', () => [join(REPO, 'pipelines/penguins-mlp.yaml')]],
    ['runs', () => []],
    ['show', () => [runId]],
    ['export', () => ['--format', 'json']],
  ])('kiln %s loads neither TensorFlow.js nor the UI', (command, args) => {
    const r = loaded([command, ...args()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.modules.some((m) => m.includes('/packages/runner/dist/'))).toBe(true);
    expect(heavy(r.modules)).toEqual([]);
  });

  // core's generated spec validator (~930 KB) is bundled into a chunk of its own; the barrel @kiln/core pulls it in
  const CORE_DIST = join(REPO, 'packages/core/dist');
  const validatorChunks = () => readdirSync(join(CORE_DIST, 'chunks')).filter((f) => f.endsWith('.js') && statSync(join(CORE_DIST, 'chunks', f)).size > 500_000);
  const specModules = (modules: string[]) => modules.filter((m) => m.endsWith('/packages/core/dist/index.js') || validatorChunks().some((c) => m.endsWith(`/chunks/${c}`)));

  it('kiln validate loads the validator chunk (the control)', () => {
    expect(validatorChunks()).not.toEqual([]);
    const r = loaded(['validate', join(REPO, 'pipelines/penguins-mlp.yaml')]);
    expect(r.code).toBe(0);
    expect(specModules(r.modules)).not.toEqual([]);
  });

  it.each([
    ['runs', () => ['--sort', '-metrics.val.accuracy']],
    ['show', () => [runId]],
    ['compare', () => [runId, otherId]],
    ['export', () => ['--format', 'json']],
  ])('kiln %s loads neither the @kiln/core barrel nor the spec validator', (command, args) => {
    const r = loaded([command, ...args()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(specModules(r.modules)).toEqual([]);
  });
});
