/** The run's split as a file: which source rows trained, validated and tested it, so another tool can use exactly the same rows. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunHandle } from '@kiln/core/store';
import type { PreparedData } from '../data/types.ts';

/** Name of the split artifact (kind 'split'). */
export const SPLIT_FILE = 'split.json';

/**
 * Records split.json: per split, the source row numbers (0-based, header excluded: a CSV's Nth record, a JSON
 * array's Nth element, as pandas numbers them) of the rows the model saw, in row order. Rows dropped before the
 * split (filter, limit, missing: drop) are in none of the lists.
 */
export async function logSplit(run: RunHandle, data: PreparedData, dir: string): Promise<void> {
  const file = join(dir, SPLIT_FILE);
  const rows = (part: Int32Array) => Array.from(part).sort((a, b) => a - b);
  await writeFile(file, JSON.stringify({ rowBase: 0, train: rows(data.train.rows), val: rows(data.val.rows), test: rows(data.test.rows) }));
  await run.logArtifact(file, 'split');
}
