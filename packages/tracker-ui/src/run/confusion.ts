/** Reads a run's confusion-matrix artifact (kind 'confusion', JSON) through the confined resolver. */
import { openServable } from '../artifacts/resolve.ts';
import type { Store } from '../data/store.ts';

export interface Confusion {
  /** The model output (head) it belongs to, for multi-output runs. */
  output?: string;
  labels: string[];
  /** matrix[actual][predicted] counts. */
  matrix: number[][];
}

const MAX_BYTES = 4 * 1024 * 1024;

/** Accepts `{labels|classes, matrix}` or a bare square array; anything else is null. */
export function parseConfusion(raw: unknown): Confusion | null {
  const obj = Array.isArray(raw) ? { matrix: raw } : (raw as { labels?: unknown; classes?: unknown; matrix?: unknown; output?: unknown } | null);
  if (obj === null || typeof obj !== 'object' || !Array.isArray(obj.matrix)) return null;
  const matrix = obj.matrix as unknown[];
  const n = matrix.length;
  if (n === 0 || !matrix.every((row) => Array.isArray(row) && row.length === n && row.every((v) => typeof v === 'number'))) return null;
  const given = 'labels' in obj ? obj.labels : 'classes' in obj ? obj.classes : undefined;
  const labels = Array.isArray(given) && given.length === n ? given.map(String) : Array.from({ length: n }, (_, i) => String(i));
  const output = 'output' in obj && typeof obj.output === 'string' ? { output: obj.output } : {};
  return { ...output, labels, matrix: matrix as number[][] };
}

/** The confusion matrix logged at `path` (relative to the artifacts root), wherever the store keeps it (its blob tables or the folder), or null if unreadable. */
export async function readConfusion(store: Store, root: string, runId: string, path: string): Promise<Confusion | null> {
  const rel = path.startsWith(`${runId}/`) ? path.slice(runId.length + 1) : path;
  const found = await openServable(store, root, runId, rel);
  if (!found.ok) return null;
  if (found.size > MAX_BYTES) {
    found.stream.destroy();
    return null;
  }
  try {
    const parts: Buffer[] = [];
    for await (const chunk of found.stream) parts.push(Buffer.from(chunk as Uint8Array));
    return parseConfusion(JSON.parse(Buffer.concat(parts).toString('utf8')));
  } catch {
    return null; // damaged (the sha256 check failed mid-stream) or not JSON: the page shows no matrix
  }
}
