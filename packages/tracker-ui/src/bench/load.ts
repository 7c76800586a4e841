/**
 * The load test of `pnpm bench ui`: 50 connections for 60 s on a static file, then on /runs, then on /api/runs,
 * each alone against the same server process, and the verdict: no errors, and each page's p99 latency within 5x
 * the static file's in the same run (a loaded machine slows all three alike; the ratio is what the page costs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
}
type Cannon = (opts: { url: string; connections: number; duration: number; requests: { path: string }[] }) => Promise<CannonResult>;
// autocannon ships no types; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

/** One load phase's outcome. */
export interface PhaseResult {
  label: string;
  path: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  /** Connection errors, timeouts and non-2xx answers. */
  failures: number;
}

/** The p99 ratio a page may reach against the static file. */
export const MAX_P99_RATIO = 5;

/** Starts the UI on `store` in a child process (same loader flags as this one); resolves with its URL and a stop. */
export async function startServer(store: string): Promise<{ url: string; stop: () => void }> {
  const script = fileURLToPath(new URL('./serve-child.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, script, store], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the UI server exited (${code}) before listening`)));
  });
  return { url, stop: () => child.stdin?.end() };
}

/** Runs one phase: `connections` clients asking for `path` for `duration` s. */
export async function runPhase(url: string, label: string, path: string, connections: number, duration: number): Promise<PhaseResult> {
  const check = await fetch(`${url}${path}`);
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`${path} answered ${check.status} before the load`);
  const r = await autocannon({ url, connections, duration, requests: [{ path }] });
  return { label, path, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, failures: r.errors + r.timeouts + r.non2xx };
}

/** The side-by-side table of the phases. */
export function phaseTable(phases: PhaseResult[]): string {
  const head = `${'path'.padEnd(14)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'errors'.padStart(9)}`;
  const rows = phases.map((p) => `${p.label.padEnd(14)}${p.reqPerSec.toFixed(1).padStart(10)}${String(p.p50).padStart(9)}${String(p.p99).padStart(9)}${String(p.max).padStart(9)}${String(p.failures).padStart(9)}`);
  return [head, ...rows].join('\n');
}

/** Each page's p99 against the static file's, and whether the run passes (no errors anywhere, every ratio within bounds). */
export function verdict(staticPhase: PhaseResult, pages: PhaseResult[]): { lines: string[]; pass: boolean } {
  // a p99 of 0 ms (sub-millisecond answers) would make every ratio infinite: 1 ms is the clock's grain here
  const base = Math.max(1, staticPhase.p99);
  const lines: string[] = [];
  let pass = staticPhase.failures === 0;
  for (const p of pages) {
    const ratio = Math.max(1, p.p99) / base;
    const ok = p.failures === 0 && ratio <= MAX_P99_RATIO;
    pass &&= ok;
    lines.push(`${p.label}: p99 ${p.p99} ms = ${ratio.toFixed(2)}x the static file's ${staticPhase.p99} ms (target <= ${MAX_P99_RATIO}x), ${p.failures} errors: ${ok ? 'PASS' : 'FAIL'}`);
  }
  if (staticPhase.failures > 0) lines.push(`static file: ${staticPhase.failures} errors: FAIL`);
  return { lines, pass };
}
