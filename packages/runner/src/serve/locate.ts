/**
 * When the preprocessing refuses a request the schema let through (a date that does not match the
 * feature's format), the error names a row of the whole request; this finds every such row, one at a
 * time, so the 400 lists each bad row and column like the schema's errors do.
 */
import { KilnFailure } from '@kiln/core/errors';
import type { Row } from '../data/table.ts';
import { transformRows } from '../data/transform.ts';
import type { PreprocessState } from '../data/types.ts';
import type { RowError } from './request.ts';

const MAX_ERRORS = 100;

/** The column a preprocessing error path (`data.features[3]`) is about. */
function fieldAt(state: PreprocessState, path: string): string | null {
  const m = /^data\.features\[(\d+)\]/.exec(path);
  return m ? (state.features[Number(m[1])]?.name ?? null) : null;
}

/** Each row's preprocessing errors, by row index; rows that transform fine are left out. */
export function locateRowErrors(state: PreprocessState, rows: readonly Row[]): RowError[] {
  const errors: RowError[] = [];
  for (let i = 0; i < rows.length && errors.length < MAX_ERRORS; i++) {
    try {
      transformRows(state, [rows[i] ?? {}]);
    } catch (e) {
      if (!(e instanceof KilnFailure)) throw e;
      // The transform saw a one-row table: its "row 0" is this request's row i. Hints are left out:
      // they tell a pipeline's author what to change in it, not a client what to send.
      for (const err of e.errors) errors.push({ row: i, field: fieldAt(state, err.path), message: err.message.replace(/^row 0\b/, `row ${i}`) });
    }
  }
  return errors;
}
