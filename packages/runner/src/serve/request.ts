/**
 * Reading a POST /predict body: `{ "rows": [...] }` or one row object, each row checked with ajv
 * against the schema generated from the pipeline. Problems come back as one entry per row and
 * column, in words (the column's rule), so a client sees every bad row of a request at once.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Row } from '../data/table.ts';
import type { PreprocessState } from '../data/types.ts';
import { columnRules, requestSchema, rowSchema, type ColumnRule, type JsonSchema, type SchemaOptions } from './input-schema.ts';

/** One problem of a request: the row (its index in `rows`) and column it is about, when it is about one. */
export interface RowError {
  row: number | null;
  field: string | null;
  message: string;
}

/** A readable request, or why not. */
export type CheckResult = { ok: true; rows: Row[]; warnings: string[] } | { ok: false; message: string; errors: RowError[] };

/** Validates request bodies for one served model. */
export interface RequestChecker {
  /** The POST /predict body's JSON Schema (GET /schema). */
  schema: JsonSchema;
  check(body: unknown): CheckResult;
}

/** At most this many problems are listed: a million bad rows need not make a million-line answer. */
const MAX_ERRORS = 100;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a value is, for "got ..." in messages; never more than a short prefix of it. */
function described(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** ajv's errors of one row as RowErrors: one per column, worded from the column's rule. */
function rowErrors(row: unknown, index: number, errors: readonly ErrorObject[], rules: ReadonlyMap<string, ColumnRule>): RowError[] {
  if (!isObject(row)) return [{ row: index, field: null, message: `row ${index} is ${described(row)}, not an object of input columns` }];
  const byField = new Map<string, RowError>();
  for (const e of errors) {
    const field = fieldOf(e);
    if (field === null || byField.has(field)) continue;
    const rule = rules.get(field);
    const message =
      e.keyword === 'required'
        ? `column "${field}" is missing: it must be ${rule?.expects ?? 'given'}`
        : e.keyword === 'additionalProperties'
          ? `column "${field}" is not an input of this model (strict: only its input columns are accepted)`
          : `column "${field}" must be ${rule?.expects ?? 'valid'}, got ${described(row[field])}`;
    byField.set(field, { row: index, field, message });
  }
  // In the pipeline's column order, whatever order ajv found them in.
  const order = [...rules.keys()];
  return [...byField.values()].sort((a, b) => rank(order, a.field) - rank(order, b.field));
}

const rank = (order: readonly string[], field: string | null) => (field === null ? -1 : order.indexOf(field) < 0 ? order.length : order.indexOf(field));

/** The column an ajv error is about (`/Island`, a missing or an extra property), decoded from its JSON pointer. */
function fieldOf(e: ErrorObject): string | null {
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  if (e.keyword === 'required' && params.missingProperty !== undefined) return params.missingProperty;
  if (e.keyword === 'additionalProperties' && params.additionalProperty !== undefined) return params.additionalProperty;
  const first = e.instancePath.split('/')[1];
  return first === undefined ? null : first.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The rows of a body: `{ rows: [...] }` (when no input column is called rows) or one row object. */
function rowsOf(body: unknown, columns: ReadonlySet<string>): Row[] | string {
  if (isObject(body) && 'rows' in body && !columns.has('rows')) {
    const rows = body.rows;
    if (!Array.isArray(rows)) return `"rows" must be an array of row objects, got ${described(rows)}`;
    const extra = Object.keys(body).filter((k) => k !== 'rows');
    if (extra.length > 0) return `the body has ${extra.map((k) => JSON.stringify(k)).join(', ')} beside "rows"; send {"rows": [...]} or one row object`;
    if (rows.length === 0) return '"rows" is empty: send at least one row';
    return rows as Row[];
  }
  if (isObject(body)) return [body as Row];
  return `the body is ${described(body)}; send {"rows": [{...}, ...]} or one row object`;
}

/** Columns of the rows that the model does not read (kiln predict ignores them; strict refuses them). */
function unknownColumns(rows: readonly Row[], columns: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.has(k)) seen.add(k);
  return [...seen];
}

/** A checker for requests to a model with this preprocessing state. */
export function requestChecker(state: PreprocessState, opts: SchemaOptions, title: string): RequestChecker {
  const rules = columnRules(state, opts);
  const byName = new Map(rules.map((r) => [r.name, r]));
  const columns = new Set(byName.keys());
  const validate: ValidateFunction = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(rowSchema(rules, opts));
  return {
    schema: requestSchema(rules, opts, title),
    check(body) {
      const rows = rowsOf(body, columns);
      if (typeof rows === 'string') return { ok: false, message: rows, errors: [] };
      const errors: RowError[] = [];
      for (let i = 0; i < rows.length && errors.length < MAX_ERRORS; i++) if (!validate(rows[i])) errors.push(...rowErrors(rows[i], i, validate.errors ?? [], byName));
      if (errors.length > 0) {
        const bad = new Set(errors.map((e) => e.row)).size;
        return { ok: false, message: `${bad} of ${rows.length} row(s) do not fit the model's input columns${errors.length >= MAX_ERRORS ? ` (the first ${MAX_ERRORS} problems)` : ''}`, errors: errors.slice(0, MAX_ERRORS) };
      }
      const extra = unknownColumns(rows, columns);
      const warnings = extra.length > 0 ? [`column(s) ${extra.map((c) => JSON.stringify(c)).join(', ')} are not inputs of this model and were ignored`] : [];
      // A column left out is read as missing (the schema allows it only where missing is not an error).
      return { ok: true, rows: rows.map((r) => withAllColumns(r, rules)), warnings };
    },
  };
}

/** The row with every input column present (null where left out), as the model's transform expects. */
function withAllColumns(row: Row, rules: readonly ColumnRule[]): Row {
  if (rules.every((r) => r.name in row)) return row;
  const filled: Row = { ...row };
  for (const r of rules) if (!(r.name in filled)) filled[r.name] = null;
  return filled;
}
