import type { SourceSpec } from '@kiln/core';
import type { Table } from '../table.ts';
import type { PlanOf } from './columns.ts';

/** What a source loader needs besides its spec. */
export interface SourceContext {
  /** Folder relative paths are resolved from (the pipeline file's folder). */
  baseDir: string;
}

/** How to read: which columns may be stored as numbers (default: none, every cell keeps its text), and whether to show progress. */
export interface LoadOptions {
  plan?: PlanOf;
  /** A progress bar on stderr when it is a terminal and the read takes more than a second. */
  progress?: boolean;
}

/** An opened source: the hash is known at once (for the cache key), the rows are parsed only when needed. */
export interface OpenedSource {
  /** sha256 of the source bytes (builtins: of the package name, version and preparation recipe). */
  hash: string;
  load(opts?: LoadOptions): Promise<Table>;
}

export type SourceOpener<S extends SourceSpec = SourceSpec> = (spec: S, ctx: SourceContext) => Promise<OpenedSource>;
