import { parse as parseYamlValue } from 'yaml';
import type { KilnError } from '../errors.ts';
import { pickVariant, type SchemaNode } from './defaults.ts';
import { formatPath, getAt, parsePath, type PathSegments } from './path.ts';

/** One `--set path=value` override, parsed. */
export interface Override {
  raw: string;
  segments: PathSegments;
  path: string;
  value: unknown;
}

/** Parses `train.optimizer.learningRate=0.01`; the value is read as YAML, so `[1, 2]` and `true` work. */
export function parseOverride(raw: string): Override | KilnError {
  const eq = raw.indexOf('=');
  const pathText = eq < 0 ? raw : raw.slice(0, eq).trim();
  const segments = parsePath(pathText);
  if (eq < 0 || !segments)
    return {
      code: 'cli/bad-override',
      path: pathText,
      file: '--set',
      message: `cannot read override "${raw}"`,
      hint: 'write --set path=value, e.g. --set train.optimizer.learningRate=0.01 or --set model.layers[1].units=128',
    };
  let value: unknown;
  try {
    value = parseYamlValue(raw.slice(eq + 1));
  } catch {
    value = raw.slice(eq + 1);
  }
  return { raw, segments, path: formatPath(segments), value };
}

/** The schema node at a path of a value, following tagged unions by their tag. */
export function schemaAt(root: SchemaNode, value: unknown, segments: PathSegments): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const [i, seg] of segments.entries()) {
    if (!node) break;
    const here = getAt(value, segments.slice(0, i));
    if (node.anyOf) node = pickVariant(node, here) ?? node;
    if (typeof seg === 'number') node = node.items;
    else node = node.properties?.[seg] ?? (node.patternProperties ? Object.values(node.patternProperties)[0] : undefined);
  }
  if (node?.anyOf) node = pickVariant(node, getAt(value, segments)) ?? node;
  return node;
}

/** Types a value through its schema: `--set name=123` stays the string "123" where a string is expected. */
function coerce(schema: SchemaNode | undefined, value: unknown): unknown {
  const wantsString = schema?.type === 'string' || schema?.anyOf?.every((v) => v.type === 'string' || typeof v.const === 'string');
  if (wantsString && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return value;
}

/** Applies overrides to a parsed (not yet defaulted) spec, creating intermediate mappings as needed. */
export function applyOverrides(schema: SchemaNode, spec: unknown, overrides: Override[]): { spec: unknown; errors: KilnError[] } {
  // Nothing downstream mutates the spec, so without overrides there is nothing to copy (a 10 MB file costs a second).
  if (overrides.length === 0) return { spec: spec ?? {}, errors: [] };
  const out = structuredClone(spec ?? {}) as Record<string | number, unknown>;
  const errors: KilnError[] = [];
  for (const o of overrides) {
    let cur: Record<string | number, unknown> = out;
    let ok = true;
    for (const [i, seg] of o.segments.slice(0, -1).entries()) {
      const next = cur[seg];
      if (next === undefined && typeof seg === 'string') cur[seg] = typeof o.segments[i + 1] === 'number' ? [] : {};
      else if (next === null || typeof next !== 'object') {
        ok = false;
        errors.push({ code: 'cli/bad-override', path: o.path, file: '--set', message: `cannot set "${o.path}": ${formatPath(o.segments.slice(0, i + 1))} does not exist or is not a mapping/list`, hint: 'check the path against the spec (kiln schema prints it)' });
        break;
      }
      cur = cur[seg] as Record<string | number, unknown>;
    }
    const last = o.segments.at(-1);
    if (ok && last !== undefined) cur[last] = coerce(schemaAt(schema, out, o.segments), o.value);
  }
  return { spec: out, errors };
}
