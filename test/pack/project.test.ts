// Kiln in a user's own project: the three packages as `pnpm pack` makes them, installed with npm
// into a fresh project in the OS temp dir (dependencies from the registry, through the shared npm
// cache), then every command a user runs there with `npx kiln`, and the tracking example. Nothing
// may come from the workspace: npm's tree, module resolution and the modules the CLI actually
// loads all stay inside the project.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../cli/run-cli.ts';
import { groupMembers } from '../cli/process-group.ts';
import { pointsCsv, POINTS_PIPELINE } from './project-files.ts';

const WORKSPACE = realpathSync(REPO).replace(/[\\/]$/, '');
const RECORD_HOOK = join(WORKSPACE, 'test', 'cli', 'record-modules.mjs');
const PACKAGES = ['core', 'tracker-ui', 'runner'];
const EXAMPLE = join(WORKSPACE, 'examples', 'track-fit.mjs');
// What the example imports besides Kiln, at the versions Kiln itself uses.
const EXAMPLE_DEPS = ['@tensorflow/tfjs-core@4.22.0', '@tensorflow/tfjs-backend-cpu@4.22.0', '@tensorflow/tfjs-layers@4.22.0', 'vega-datasets@3.2.1'];

const root = realpathSync(mkdtempSync(join(tmpdir(), 'kiln-pack-')));
const project = join(root, 'my-project');
const packs = join(root, 'packs');

/**
 * The environment of a user's shell: no pnpm/npm script variables (INIT_CWD, npm_config_*, ...),
 * no NODE_OPTIONS or NODE_PATH, and no workspace folder on PATH (pnpm puts node_modules/.bin there).
 */
function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['HOME', 'USER', 'LANG', 'TERM', 'TMPDIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
  const env: Record<string, string> = { NO_COLOR: '1', ...extra };
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => p !== '' && !p.startsWith(WORKSPACE))
    .join(delimiter);
  return env;
}

/**
 * Runs a command to completion; `all` is its output, for error messages. Asynchronous: a minute of
 * spawnSync would block the test worker past vitest's RPC timeout.
 */
async function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}) {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? project, env: opts.env ?? userEnv(), timeout: opts.timeoutMs ?? 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return { code, stdout, stderr, all: `$ ${cmd} ${args.join(' ')}\n${stdout}\n${stderr}` };
}

/** `npx kiln ...` in the project; --no: never fetch a registry package named kiln if ours is missing. */
const kiln = async (args: string[], extra: Record<string, string> = {}) => run('npx', ['--no', 'kiln', ...args], { env: userEnv(extra) });

const inside = (dir: string) => (p: string) => p === dir || p.startsWith(dir + sep);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let runId = '';

describe('Kiln in a fresh npm project, installed from packed tarballs', () => {
  beforeAll(async () => {
    expect(inside(WORKSPACE)(root)).toBe(false);
    mkdirSync(packs);
    // core's prepack builds all three packages (with declarations); the other two reuse that build.
    for (const [i, name] of PACKAGES.entries()) {
      const args = [...(i === 0 ? [] : ['--config.ignore-scripts=true']), 'pack', '--pack-destination', packs];
      const r = await run('pnpm', args, { cwd: join(WORKSPACE, 'packages', name), env: { ...process.env } as Record<string, string>, timeoutMs: 300_000 });
      expect(r.code, r.all).toBe(0);
    }
    const tarballs = readdirSync(packs).map((f) => join(packs, f));
    expect(tarballs).toHaveLength(3);
    mkdirSync(project);
    expect((await run('npm', ['init', '-y'])).code).toBe(0);
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...EXAMPLE_DEPS], { timeoutMs: 480_000 });
    expect(install.code, install.all).toBe(0);
    writeFileSync(join(project, 'points.csv'), pointsCsv(120));
    writeFileSync(join(project, 'new-points.csv'), 'x1,x2,color\n1.5,0.5,red\n-1.2,-0.7,blue\n');
    writeFileSync(join(project, 'pipeline.yaml'), POINTS_PIPELINE);
  }, 600_000);
  // The project's node_modules is a few hundred MB; the npm cache keeps what the next run needs.
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('installs every package, Kiln included, inside the project', async () => {
    const tree = await run('npm', ['ls', '--all', '--parseable']);
    expect(tree.code, tree.all).toBe(0);
    const paths = tree.stdout.trim().split('\n');
    expect(paths.filter((p) => !inside(project)(p))).toEqual([]);
    for (const name of ['core', 'runner', 'tracker-ui']) expect(realpathSync(join(project, 'node_modules', '@kiln', name))).toBe(join(project, 'node_modules', '@kiln', name));
    const script = "for (const m of ['@kiln/runner', '@kiln/core/store', '@kiln/tracker-ui', '@tensorflow/tfjs-core']) console.log(import.meta.resolve(m))";
    const resolved = await run(process.execPath, ['--input-type=module', '-e', script]);
    expect(resolved.code, resolved.all).toBe(0);
    for (const url of resolved.stdout.trim().split('\n')) expect(url.startsWith(pathToFileURL(join(project, 'node_modules')).href + '/'), url).toBe(true);
    expect(realpathSync(join(project, 'node_modules', '.bin', 'kiln'))).toBe(join(project, 'node_modules', '@kiln', 'runner', 'bin', 'kiln.mjs'));
  });

  it('npx kiln validate', async () => {
    const r = await kiln(['validate', 'pipeline.yaml']);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/^ok +pipeline\.yaml +points:/m);
  });

  it('npx kiln train, loading every module from the project', async () => {
    const list = join(root, 'train-modules.txt');
    const r = await kiln(['train', 'pipeline.yaml'], { KILN_RECORD_MODULES: list, NODE_OPTIONS: `--import=${pathToFileURL(RECORD_HOOK).href}` });
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/^run +\w+/m);
    const modules = readFileSync(list, 'utf8').trim().split('\n');
    const hook = pathToFileURL(join(WORKSPACE, 'test', 'cli')).href + '/';
    const fromWorkspace = modules.filter((m) => m.startsWith(pathToFileURL(WORKSPACE).href + '/') && !m.startsWith(hook));
    expect(fromWorkspace).toEqual([]);
    // The control: the hook saw the installed CLI and TensorFlow.js load.
    expect(modules.some((m) => m.startsWith(pathToFileURL(join(project, 'node_modules', '@kiln', 'runner', 'dist')).href))).toBe(true);
    expect(modules.some((m) => m.includes('/node_modules/@tensorflow/tfjs-core/'))).toBe(true);
  });

  it('npx kiln runs lists the run from the project store', async () => {
    const r = await kiln(['runs', '--json']);
    expect(r.code, r.all).toBe(0);
    const { runs } = JSON.parse(r.stdout) as { runs: { id: string; status: string; experiment: string }[] };
    expect(runs.map((x) => [x.experiment, x.status])).toEqual([['my-project', 'finished']]);
    runId = runs[0]!.id;
    expect(existsSync(join(project, '.kiln', 'kiln.db'))).toBe(true);
  });

  it('npx kiln predict', async () => {
    const r = await kiln(['predict', runId, 'new-points.csv']);
    expect(r.code, r.all).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { row: number; class: string });
    expect(rows.map((x) => x.row)).toEqual([0, 1]);
    for (const x of rows) expect(['yes', 'no']).toContain(x.class);
  });

  it('npx kiln sweep: 2 trials on 2 workers', async () => {
    const r = await kiln(['sweep', 'pipeline.yaml']);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/finished: 2 trials \(2 complete/);
  });

  it('npx kiln ui serves the project store', async () => {
    const port = await freePort();
    const ui = spawn('npx', ['--no', 'kiln', 'ui', '--port', String(port)], { cwd: project, env: userEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    ui.stdout.on('data', (d: Buffer) => (out += d.toString()));
    ui.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => ui.once('exit', () => resolve()));
    try {
      const until = Date.now() + 60_000;
      while (!out.includes(`Kiln UI: http://127.0.0.1:${port}`) && Date.now() < until) await sleep(100);
      const res = await fetch(`http://127.0.0.1:${port}/api/runs`);
      expect(res.status, out).toBe(200);
      const body = (await res.json()) as { total: number };
      expect(body.total).toBe(3);
    } finally {
      process.kill(-ui.pid!, 'SIGTERM');
      await exited;
      for (let i = 0; i < 50 && groupMembers(ui.pid!).length > 0; i++) await sleep(100);
      for (const pid of groupMembers(ui.pid!)) process.kill(pid, 'SIGKILL');
    }
  });

  it('the tracking example (startRun + kilnCallback) records a run that npx kiln runs lists', async () => {
    copyFileSync(EXAMPLE, join(project, 'track-fit.mjs'));
    const r = await run(process.execPath, ['track-fit.mjs'], { env: userEnv({ EPOCHS: '2' }) });
    expect(r.code, r.all).toBe(0);
    const listed = await kiln(['runs', '--experiment', 'penguins-own-code', '--json']);
    expect(listed.code, listed.all).toBe(0);
    const { runs } = JSON.parse(listed.stdout) as { runs: { status: string }[] };
    expect(runs.map((x) => x.status)).toEqual(['finished']);
  });
});
