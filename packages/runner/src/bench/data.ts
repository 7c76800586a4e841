// `pnpm bench data [rows]`: reading a big numeric CSV. Generates a seeded 200 MB file (2.2M rows, 10
// columns) once into the temp folder, then in one run measures, each in a fresh child process: Kiln's load
// (to typed columns), Kiln's whole preparation (read, split, fit, encode, cache write) and pandas' read_csv
// (Debian's /usr/bin/python3) on the same file; prints time and peak RSS side by side with the targets:
// peak RSS <= 3x the file size, load time <= 2x pandas'.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPipelineText } from '@kiln/core';
import { mulberry32 } from '../random/rng.ts';
import { prepareData } from '../data/prepare.ts';
import { openSource } from '../data/sources/index.ts';
import { columnPlan } from '../data/sources/plan.ts';

const ROWS = 2_200_000;
const COLUMNS = 10;
const PYTHON = '/usr/bin/python3';
const SELF = fileURLToPath(import.meta.url);

/** The generated file for `rows` rows: kept between runs (generating takes a while), named by its recipe. */
async function bigCsv(rows: number): Promise<string> {
  const file = join(tmpdir(), `kiln-bench-data-${rows}x${COLUMNS}-v1.csv`);
  if (existsSync(file)) return file;
  const rand = mulberry32(20261130);
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  out.write(`${Array.from({ length: COLUMNS - 1 }, (_, k) => `x${k}`).join(',')},y\n`);
  for (let start = 0; start < rows; start += 10_000) {
    let block = '';
    for (let i = start; i < Math.min(rows, start + 10_000); i++) {
      const xs = Array.from({ length: COLUMNS - 1 }, () => rand() * 200 - 100);
      block += `${xs.map((x) => x.toFixed(5)).join(',')},${((xs[0] ?? 0) * 0.5 + rand() - 0.5).toFixed(3)}\n`;
    }
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, file);
  return file;
}

interface Measure {
  seconds: number;
  maxRssMb: number;
  rows: number;
}

/** The pipeline the full preparation runs: every x a numeric feature, y a regression target. */
const pipelineYaml = (file: string) =>
  `name: bench-data\nseed: 1\ndata:\n  source: { type: csv, path: ${JSON.stringify(file)} }\n  features:\n${Array.from({ length: COLUMNS - 1 }, (_, k) => `    - { name: x${k}, type: numeric }`).join('\n')}\n  target: { name: y, type: regression }\n  split: { train: 0.8, val: 0.1, test: 0.1 }\nmodel:\n  layers:\n    - { type: dense, units: 1 }\ntrain: { loss: mse, optimizer: { name: adam }, epochs: 1 }\n`;

/** In the child: one measurement, printed as JSON. */
async function child(mode: string, file: string): Promise<void> {
  const t = performance.now();
  let rows = 0;
  if (mode === 'load') {
    const plan = columnPlan({ source: {}, features: [], targets: [], textColumns: [] });
    rows = (await (await openSource({ type: 'csv', path: file }, { baseDir: '/' })).load({ plan })).length;
  } else {
    const loaded = loadPipelineText(join(tmpdir(), 'bench-data.yaml'), pipelineYaml(file));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const cacheDir = mkdtempSync(join(tmpdir(), 'kiln-bench-data-cache-'));
    try {
      const d = await prepareData(loaded.pipeline.spec, { baseDir: '/', cacheDir });
      rows = d.train.n + d.val.n + d.test.n;
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  const m: Measure = { seconds: (performance.now() - t) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, rows };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

/** Runs a measurement in a fresh process and reads its JSON line. */
function measure(cmd: string, args: string[]): Measure {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line) as Measure;
}

const PANDAS = `
import json, resource, sys, time
import pandas
t = time.perf_counter()
df = pandas.read_csv(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": len(df)}))
`;

/** Runs the benchmark and prints its table. */
export async function main(args: string[] = []): Promise<void> {
  if (args[0] === '--child') return child(args[1] ?? 'load', args[2] ?? '');
  const rows = Number(args[0] ?? ROWS);
  const t0 = performance.now();
  const file = await bigCsv(rows);
  const mb = statSync(file).size / 1e6;
  process.stdout.write(`file: ${file} (${mb.toFixed(0)} MB, ${rows.toLocaleString('en-US')} rows x ${COLUMNS} columns; ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  const node = (mode: string) => measure(process.execPath, ['--conditions=source', '--import', 'tsx', SELF, '--child', mode, file]);
  const idle = measure(process.execPath, ['--conditions=source', '--import', 'tsx', '-e', 'process.stdout.write(JSON.stringify({ seconds: 0, rows: 0, maxRssMb: process.resourceUsage().maxRSS / 1024 }))']);
  const results: [string, Measure][] = [
    ['kiln: load to typed columns', node('load')],
    ['kiln: full prepare (split, encode, cache write)', node('prepare')],
    ['pandas.read_csv', measure(PYTHON, ['-c', PANDAS, file])],
  ];
  const pandas = results[2]?.[1].seconds ?? Number.NaN;
  const out = [`${'what'.padEnd(48)} ${'seconds'.padStart(8)} ${'peak RSS MB'.padStart(12)} ${'RSS/file'.padStart(9)} ${'time/pandas'.padStart(12)}`];
  for (const [name, m] of results) out.push(`${name.padEnd(48)} ${m.seconds.toFixed(2).padStart(8)} ${m.maxRssMb.toFixed(0).padStart(12)} ${(m.maxRssMb / mb).toFixed(2).padStart(9)} ${(m.seconds / pandas).toFixed(2).padStart(12)}`);
  const [load, prep] = [results[0]?.[1], results[1]?.[1]];
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  if (load && prep) {
    out.push('', `(an idle node child with the TypeScript loader peaks at ${idle.maxRssMb.toFixed(0)} MB)`);
    out.push(`target peak RSS <= 3x file (${(3 * mb).toFixed(0)} MB): load ${verdict(load.maxRssMb <= 3 * mb)}, full prepare ${verdict(prep.maxRssMb <= 3 * mb)}`);
    out.push(`target load time <= 2x pandas (${(2 * pandas).toFixed(2)} s): ${verdict(load.seconds <= 2 * pandas)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] === SELF) await main(process.argv.slice(2));
