/** Starting a tracked run for a pipeline: params, tags, provenance, and per-epoch metric points. */
import { readFileSync } from 'node:fs';
import type { ResolvedPipeline } from '@kiln/core';
import { packagePath } from '@kiln/core/paths';
import { collectProvenance, createTracker, flattenParams, type MetricPoint, type RunHandle, type Store } from '@kiln/core/store';
import type { SelectedBackend } from '../backend/select.ts';
import { describeBlas } from '../backend/blas/setup.ts';
import { fromModelTags, type FromModel } from './from-model.ts';
import type { EpochMetrics } from '../train/monitor.ts';

/** Kiln's version, from the runner package. */
export const KILN_VERSION = (JSON.parse(readFileSync(packagePath(import.meta.url, 'package.json'), 'utf8')) as { version: string }).version;

export interface StartOptions {
  store: Store;
  pipeline: ResolvedPipeline;
  backend: SelectedBackend;
  /** null for a k-fold parent: each fold prepares its own split. */
  dataFingerprint: string | null;
  sweep?: { sweepId: string; trial: number };
  /** A k-fold child: its parent run and fold (1-based). */
  foldOf?: { parentId: string; fold: number };
  /** model.from.model resolved: the registered version the run starts from (its run becomes the parent). */
  fromModel?: FromModel;
}

/** Starts the run, records every param of the resolved spec, its tags and the backend in use. */
export async function startTrackedRun({ store, pipeline, backend, dataFingerprint, sweep, foldOf, fromModel }: StartOptions): Promise<RunHandle> {
  const { spec } = pipeline;
  const run = await createTracker(store).startRun({
    experiment: spec.experiment ?? spec.name,
    pipeline: spec.name,
    config: spec,
    yaml: pipeline.yaml,
    configHash: pipeline.hash,
    dataFingerprint,
    seed: spec.seed,
    provenance: { ...collectProvenance(pipeline.baseDir), tfjsVersion: backend.version, tfjsBackend: backend.name, kilnVersion: KILN_VERSION },
    sweepId: sweep?.sweepId ?? null,
    trial: sweep?.trial ?? null,
    parentRunId: fromModel?.runId ?? spec.model.from?.run ?? null,
    foldParentId: foldOf?.parentId ?? null,
    fold: foldOf?.fold ?? null,
  });
  await run.logParams(flattenParams(spec));
  for (const [key, value] of Object.entries(spec.tags ?? {})) await run.setTag(key, value);
  for (const [key, value] of Object.entries(fromModelTags(fromModel))) await run.setTag(key, value);
  await run.setTag('backend', `${backend.name} (${backend.threads} thread${backend.threads === 1 ? '' : 's'})`);
  // What computed the wasm backend's products: the BLAS library and its threads, or off / xnnpack.
  if (backend.blas) await run.setTag('blas', describeBlas(backend.blas));
  return run;
}

/** An epoch's metrics as store points: train.*, val.*, lr and the epoch's wall time, at the epoch's last step. */
export function epochPoints(epoch: number, step: number, m: EpochMetrics, seconds: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const split of ['train', 'val'] as const) for (const [k, v] of Object.entries(m[split])) points.push({ key: `${split}.${k}`, step, epoch, value: v });
  points.push({ key: 'lr', step, epoch, value: m.lr }, { key: 'time.epoch_seconds', step, epoch, value: seconds });
  return points;
}
