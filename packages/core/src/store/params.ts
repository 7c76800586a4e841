/** Flattening a resolved config into typed param rows (`train.optimizer.learningRate`, `model.layers[1].units`). */
import type { ParamType } from './schema.ts';

export type ParamLeaf = number | string | boolean | null | unknown[] | Record<string, unknown>;

/** Flattens every leaf of a config into dotted/indexed keys; empty objects and arrays stay as JSON leaves. */
export function flattenParams(config: unknown, prefix = ''): Record<string, ParamLeaf> {
  const out: Record<string, ParamLeaf> = {};
  walk(config, prefix, out);
  return out;
}

function walk(value: unknown, path: string, out: Record<string, ParamLeaf>): void {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, out));
    return;
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`, out);
    return;
  }
  if (path === '') return;
  out[path] = toLeaf(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toLeaf(value: unknown): ParamLeaf {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value) || isPlainObject(value)) return value;
  return String(value);
}

export interface TypedParam {
  type: ParamType;
  numValue: number | null;
  textValue: string;
}

/** Types one leaf for storage: numbers and bools also get a numeric column so they compare numerically. */
export function typeParam(value: unknown): TypedParam {
  if (typeof value === 'number') return { type: 'number', numValue: Number.isFinite(value) ? value : null, textValue: String(value) };
  if (typeof value === 'boolean') return { type: 'bool', numValue: value ? 1 : 0, textValue: String(value) };
  if (typeof value === 'string') return { type: 'string', numValue: null, textValue: value };
  return { type: 'json', numValue: null, textValue: JSON.stringify(value ?? null) };
}

/** Turns a stored param row back into its value. */
export function untypeParam(type: ParamType, textValue: string, numValue: number | null): unknown {
  if (type === 'number') return numValue ?? Number(textValue);
  if (type === 'bool') return textValue === 'true';
  if (type === 'string') return textValue;
  return JSON.parse(textValue) as unknown;
}
