import type { ErrorObject, ValidateFunction } from 'ajv';
import type { KilnError } from '../errors.ts';
import { pickVariant, type SchemaNode } from './defaults.ts';
import { formatPath, fromPointer, getAt, type PathSegments } from './path.ts';
import { choiceHint } from './suggest.ts';

/** A schema problem, located by path; `at: 'key'` when the key itself is the problem. */
export interface SchemaProblem extends KilnError {
  segments: PathSegments;
  at: 'key' | 'value';
}

/** Validates a value against a schema and turns ajv's errors into located, readable problems. */
export function validateAgainst(schema: SchemaNode, fn: ValidateFunction, value: unknown): SchemaProblem[] {
  const tagProblems: SchemaProblem[] = [];
  const chosen = new Map<string, number>();
  walkUnions(schema, value, [], chosen, tagProblems);
  if (fn(value)) return tagProblems;
  const problems = (fn.errors ?? [])
    .map((e) => ({ e, node: schemaNodeOf(e, schema, chosen) }))
    .filter(({ node }) => node !== null)
    .map(({ e, node }) => toProblem(e, node ?? undefined, value))
    .filter((p): p is SchemaProblem => p !== undefined);
  return dedupe([...tagProblems, ...problems]);
}

/** Records which variant each tagged union picked, and reports unknown tags with a did-you-mean. */
function walkUnions(schema: SchemaNode, value: unknown, at: PathSegments, chosen: Map<string, number>, out: SchemaProblem[]): void {
  if (schema.anyOf && schema['x-discriminator']) {
    const key = schema['x-discriminator'];
    const variant = pickVariant(schema, value);
    if (!variant) {
      if (value && typeof value === 'object' && !Array.isArray(value)) out.push(unknownTag(schema, key, value as Record<string, unknown>, at));
      return;
    }
    chosen.set(formatPath(at), schema.anyOf.indexOf(variant));
    return walkUnions(variant, value, at, chosen, out);
  }
  if (schema.properties && value && typeof value === 'object') {
    for (const [k, sub] of Object.entries(schema.properties)) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) walkUnions(sub, v, [...at, k], chosen, out);
    }
  }
  const record = schema.patternProperties && Object.values(schema.patternProperties)[0];
  // A record of plain values (tags) holds no unions: walking its entries would only cost time on huge files.
  if (record && (record.anyOf || record.properties || record.items) && value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkUnions(record, v, [...at, k], chosen, out);
  if (schema.items && Array.isArray(value)) value.forEach((v, i) => walkUnions(schema.items!, v, [...at, i], chosen, out));
}

function unknownTag(schema: SchemaNode, key: string, value: Record<string, unknown>, at: PathSegments): SchemaProblem {
  const tagValue = value[key];
  const choices = schema.anyOf!.map((v) => String(v.properties?.[key]?.const));
  const segments = [...at, key];
  const base = { code: 'spec/unknown-variant', path: formatPath(segments), segments };
  if (tagValue === undefined) {
    // `type: adam` where the tag is `name`: the value is right, the key is not, so say which key to write.
    const misnamed = Object.entries(value).find(([, v]) => typeof v === 'string' && choices.includes(v));
    const hint = misnamed ? `write ${key}: ${misnamed[1]} instead of ${misnamed[0]}: ${misnamed[1]} (choices: ${choices.join(', ')})` : `choices: ${choices.join(', ')}`;
    return { ...base, path: formatPath(at), segments: at, at: 'key', code: 'spec/missing-key', message: `missing required key "${key}"`, hint };
  }
  return { ...base, at: 'value', message: `unknown ${key} ${show(tagValue)}`, hint: choiceHint(String(tagValue), choices) };
}

/**
 * The schema node an error belongs to (its parent schema), found by walking the error's schemaPath;
 * null for errors to drop: those from union branches other than the one the tag picked.
 */
function schemaNodeOf(e: ErrorObject, root: SchemaNode, chosen: Map<string, number>): SchemaNode | null | undefined {
  const schemaSegs = e.schemaPath.replace(/^#\//, '').split('/');
  const inst: PathSegments = [];
  const instSegs = fromPointer(e.instancePath);
  let node: SchemaNode | undefined = root;
  for (let i = 0; i < schemaSegs.length && node; i++) {
    const s = schemaSegs[i]!;
    if (s === 'properties' || s === 'patternProperties') {
      node = (node[s] as Record<string, SchemaNode>)[decodeURIComponent(schemaSegs[++i]!.replace(/~1/g, '/').replace(/~0/g, '~'))];
      inst.push(instSegs[inst.length]!);
    } else if (s === 'items') {
      node = node.items;
      inst.push(instSegs[inst.length]!);
    } else if (s === 'anyOf') {
      const idx = Number(schemaSegs[++i]);
      if (!node['x-discriminator']) return null; // untagged union: its own anyOf error explains it
      if (chosen.get(formatPath(inst)) !== idx) return null;
      node = node.anyOf![idx];
    } else if (s === 'oneOf' && e.keyword !== 'oneOf') {
      return null; // a branch's own error (its required key): the oneOf error says which keys to choose from
    } else break;
  }
  // A tagged union's summary error is redundant: the chosen branch's errors (or the unknown tag) say more.
  if (e.keyword === 'anyOf' && node?.['x-discriminator']) return null;
  return node;
}

function toProblem(e: ErrorObject, schemaNode: SchemaNode | undefined, value: unknown): SchemaProblem | undefined {
  const segments = fromPointer(e.instancePath);
  const got = getAt(value, segments);
  const p = e.params as Record<string, unknown>;
  const make = (code: string, message: string, hint?: string, segs = segments, at: 'key' | 'value' = 'value'): SchemaProblem => ({
    code: `spec/${code}`,
    path: formatPath(segs),
    segments: segs,
    at,
    message,
    ...(hint ? { hint } : {}),
  });
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(schemaNode?.properties ?? {});
      return make('unknown-key', `unknown key "${key}"`, choiceHint(key, allowed), [...segments, key], 'key');
    }
    case 'required': {
      const key = String(p.missingProperty);
      const desc = schemaNode?.properties?.[key]?.description;
      return make('missing-key', `missing required key "${key}"`, desc ? `${key}: ${String(desc)}` : undefined, segments, 'key');
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return make('invalid-value', `${show(got)} is not one of the allowed values`, choiceHint(String(got), allowed));
    }
    case 'const':
      return make('invalid-value', `must be ${show(p.allowedValue)}, got ${show(got)}`);
    case 'type':
      return make('wrong-type', `expected ${article(String(p.type))}, got ${show(got)} (${kind(got)})`, describe(schemaNode));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return make('out-of-range', `must be ${String(p.comparison)} ${String(p.limit)}, got ${show(got)}`, describe(schemaNode));
    case 'minItems':
    case 'maxItems':
      return make('wrong-length', `must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} item(s), got ${(got as unknown[]).length}`, describe(schemaNode));
    case 'minLength':
      return make('empty', 'must not be empty', describe(schemaNode));
    case 'minProperties':
      return make('empty', `must have at least ${String(p.limit)} entr${p.limit === 1 ? 'y' : 'ies'}`, describe(schemaNode));
    case 'pattern':
      return make('invalid-format', `${show(got)} is not a valid value here (pattern ${String(p.pattern)})`, describe(schemaNode));
    case 'propertyNames':
      return undefined; // ajv reports the offending name through the pattern error that follows
    case 'uniqueItems':
      return make('duplicate', `has duplicate items (#${String(p.j)} and #${String(p.i)})`, 'remove the repeated entry');
    case 'anyOf':
      return make('wrong-type', `${show(got)} has the wrong form`, describe(schemaNode) ?? 'see the schema for the accepted forms');
    case 'oneOf': {
      // Key choices (name XOR columns): each branch requires one key.
      const keys = ((schemaNode?.oneOf ?? []) as SchemaNode[]).flatMap((b) => (Array.isArray(b.required) ? (b.required as string[]) : [])).map((k) => `"${k}"`);
      if (p.passingSchemas === null) return make('missing-key', `missing a key: give one of ${keys.join(', ')}`, describe(schemaNode), segments, 'key');
      return make('conflicting-keys', `${keys.join(' and ')} cannot be given together`, describe(schemaNode), segments, 'key');
    }
    case 'dependencies':
      return make('missing-key', `"${String(p.property)}" needs "${String(p.missingProperty)}"`, describe(schemaNode?.properties?.[String(p.property)]), segments, 'key');
    default:
      return make(e.keyword, e.message ?? 'is invalid', describe(schemaNode));
  }
}

function describe(node: SchemaNode | undefined): string | undefined {
  return typeof node?.description === 'string' ? node.description : undefined;
}

function dedupe(list: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Shows a user value briefly, quoted when it is a string. */
export function show(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function article(t: string): string {
  const names: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping (key: value)', array: 'a list' };
  return t.split(',').map((x) => names[x] ?? x).join(' or ');
}
