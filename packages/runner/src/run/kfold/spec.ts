/** Which pipelines cross-validate, and the pipeline of each fold's child run. */
import { canonicalize, hashConfig, Pipeline, type PipelineSpec, type ResolvedPipeline } from '@kiln/core';

/** A k-fold parent: `data.split.folds` without a `fold` (a pipeline with a fold set trains that one fold as a plain run). */
export function isKFoldParent(spec: PipelineSpec): boolean {
  return spec.data.split.folds !== undefined && spec.data.split.fold === undefined;
}

/** The pipeline of fold `fold` (1-based): the parent's with `data.split.fold` set, re-hashed, so each child records its fold as a param. */
export function foldPipeline(parent: ResolvedPipeline, fold: number): ResolvedPipeline {
  const copy = structuredClone(parent.spec);
  copy.data.split.fold = fold;
  const spec = canonicalize(Pipeline as unknown as Parameters<typeof canonicalize>[0], copy) as PipelineSpec;
  return { ...parent, spec, hash: hashConfig(spec) };
}
