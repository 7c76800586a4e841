/** Seeds a real libsql store through core's tracker API, for route tests, browser tests and benches. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTracker, flattenParams, openStore, type MetricPoint, type Store } from '@kiln/core/store';
import { freshPgUrl } from '@kiln/core/testing';

export interface SeedRun {
  experiment: string;
  name: string;
  config: Record<string, unknown>;
  /** Final status; 'running' leaves the run open. */
  status?: 'finished' | 'failed' | 'running';
  epochs?: number;
  /** Scales the curves so runs differ. */
  quality?: number;
  tags?: Record<string, string>;
  /** Extra metric keys (one point per epoch, value = epoch). */
  extraMetrics?: string[];
  confusion?: { labels: string[]; matrix: number[][] };
  /** Confusion artifacts of a multi-output run, one per head (recorded after `confusion`). */
  headConfusions?: { output: string; classes: string[]; matrix: number[][] }[];
  yaml?: string;
  /** The machine the run is recorded as trained on (none when absent). */
  host?: string;
  /** The run this one started from (model.from.run). */
  parentRunId?: string;
}

/**
 * A fresh store in a temp folder; with KILN_UI_TEST_DIALECT=pg a fresh PostgreSQL database instead
 * (artifacts still in the temp folder), so the route tests can run against either dialect.
 */
export async function tempStore(prefix = 'kiln-ui-'): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (process.env.KILN_UI_TEST_DIALECT === 'pg') return openStore(await freshPgUrl(), { artifactsDir: join(dir, 'artifacts') });
  return openStore(join(dir, 'kiln.db'));
}

/** Deterministic train/val loss and accuracy curves for one run. */
export function curves(epochs: number, quality: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (let e = 0; e < epochs; e++) {
    const decay = Math.exp(-(e + 1) * 0.3 * quality);
    points.push(
      { key: 'train.loss', step: e, epoch: e, value: 2 * decay + 0.05 },
      { key: 'val.loss', step: e, epoch: e, value: 2 * decay + 0.1 + 0.01 * e },
      { key: 'train.accuracy', step: e, epoch: e, value: 1 - 0.9 * decay },
      { key: 'val.accuracy', step: e, epoch: e, value: 0.97 - 0.9 * decay },
    );
  }
  return points;
}

/** Records one run with params, curves, test metrics, tags and an optional confusion artifact; returns its id. */
export async function seedRun(store: Store, spec: SeedRun): Promise<string> {
  const epochs = spec.epochs ?? 8;
  const quality = spec.quality ?? 1;
  const run = await createTracker(store).startRun({
    experiment: spec.experiment,
    name: spec.name,
    config: spec.config,
    yaml: spec.yaml ?? `name: ${JSON.stringify(spec.name)}\n`,
    configHash: `hash-${spec.name}`,
    seed: 1,
    ...(spec.host === undefined ? {} : { provenance: { host: spec.host } }),
    parentRunId: spec.parentRunId ?? null,
  });
  await run.logParams(flattenParams(spec.config));
  const extra = (spec.extraMetrics ?? []).flatMap((key) => Array.from({ length: epochs }, (_, e) => ({ key, step: e, epoch: e, value: e })));
  const last = curves(epochs, quality).filter((p) => p.step === epochs - 1 && p.key.startsWith('val.'));
  run.logMetrics([...curves(epochs, quality), ...extra, ...last.map((p) => ({ ...p, key: p.key.replace('val.', 'test.') }))]);
  for (const [k, v] of Object.entries(spec.tags ?? {})) await run.setTag(k, v);
  if (spec.confusion !== undefined) {
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-art-')), 'confusion.json');
    writeFileSync(file, JSON.stringify(spec.confusion));
    await run.logArtifact(file, 'confusion');
  }
  for (const [i, c] of (spec.headConfusions ?? []).entries()) {
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-art-')), `confusion.head${i}.json`);
    writeFileSync(file, JSON.stringify({ split: 'test', ...c }));
    await run.logArtifact(file, 'confusion');
  }
  if ((spec.status ?? 'finished') === 'running') await run.flush();
  else await run.end(spec.status === 'failed' ? 'failed' : 'finished', spec.status === 'failed' ? 'diverged' : undefined);
  return run.id;
}

/** The config of a small classifier with the given learning rate, units and optimizer. */
export function smallConfig(lr: number, units: number, optimizer = 'adam'): Record<string, unknown> {
  return { model: { layers: [{ type: 'dense', units }, { type: 'dense', units: 3 }] }, train: { epochs: 8, optimizer: { name: optimizer, learningRate: lr } } };
}
