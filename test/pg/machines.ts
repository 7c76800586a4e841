/** Helpers for the tests where several "machines" (separate working folders and caches) share one store. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kiln, REPO } from '../cli/run-cli.ts';
import { startKiln, waitUntil, type Kiln } from '../sweep/helpers.ts';

/** A machine: its own working folder, data cache and artifact cache, and the store it shares. */
export interface Machine {
  cwd: string;
  env: Record<string, string>;
}

/** A new machine on `store`; extra env (e.g. KILN_ARTIFACTS) is added to each command. */
export function machine(store: string, extra: Record<string, string> = {}): Machine {
  const cwd = mkdtempSync(join(tmpdir(), 'kiln-machine-'));
  mkdirSync(join(cwd, 'home'));
  return { cwd, env: { KILN_STORE: store, KILN_CACHE_DIR: join(cwd, 'data-cache'), KILN_ARTIFACT_CACHE: join(cwd, 'artifact-cache'), XDG_CACHE_HOME: join(cwd, 'xdg'), ...extra } };
}

/** The tiny penguins pipeline (builtin data, so any folder can train it), written into the machine's folder. */
export function penguins(m: Machine, name: string, replace: [string, string][] = []): string {
  let yaml = readFileSync(join(REPO, 'pipelines/penguins-mlp.yaml'), 'utf8');
  for (const [a, b] of replace) yaml = yaml.replace(a, b);
  const file = join(m.cwd, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

/** Runs kiln on the machine (its folder as cwd). */
export function on(m: Machine, args: string[]) {
  return kiln(args, { cwd: m.cwd, env: m.env });
}

/** Three rows to predict, in the pipeline's input columns. */
export function rows(m: Machine): string {
  const file = join(m.cwd, 'rows.jsonl');
  const row = (mm: number, sex: string) => JSON.stringify({ 'Beak Length (mm)': 40 + mm, 'Beak Depth (mm)': 18, 'Flipper Length (mm)': 190 + mm, 'Body Mass (g)': 3700, Island: 'Dream', Sex: sex });
  writeFileSync(file, `${[row(0, 'male'), row(8, 'female'), row(15, 'male')].join('\n')}\n`);
  return file;
}

/** Starts `kiln ui --port 0` on the machine and resolves with its URL once it listens. */
export async function startUi(m: Machine, args: string[] = [], env: Record<string, string> = {}): Promise<{ ui: Kiln; url: string }> {
  const ui = startKiln(['ui', '--port', '0', ...args], { cwd: m.cwd, env: { ...m.env, ...env } });
  const url = await waitUntil(async () => /Kiln UI: (http:\S+)/.exec(ui.stdout())?.[1], 30_000, 'the UI to listen').catch((e: Error) => {
    throw new Error(`${e.message}\n${ui.stderr()}`);
  });
  return { ui, url };
}

/** Stops a started UI and waits for it. */
export async function stopUi(ui: Kiln): Promise<void> {
  ui.proc.kill('SIGTERM');
  await ui.exited;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
