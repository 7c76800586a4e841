/** A JSON-Schema node as TypeBox emits it; only the keywords the defaults walk needs. */
export interface SchemaNode {
  type?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  const?: unknown;
  additionalProperties?: boolean | SchemaNode;
  patternProperties?: Record<string, SchemaNode>;
  'x-discriminator'?: string;
  [k: string]: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** For a tagged union, the variant whose tag equals the value's tag, if any. */
export function pickVariant(schema: SchemaNode, value: unknown): SchemaNode | undefined {
  const key = schema['x-discriminator'];
  if (!key || !schema.anyOf || !isPlainObject(value)) return undefined;
  return schema.anyOf.find((v) => v.properties?.[key]?.const === value[key]);
}

/**
 * Fills defaults into a parsed spec, walking the schema (Ludwig's order: parse -> fill defaults ->
 * validate). Tagged unions are resolved by their tag, so a `type: lstm` layer gets LSTM defaults.
 * Values of the wrong type are left alone for validation to report.
 */
export function fillDefaults(schema: SchemaNode, value: unknown): unknown {
  if (value === undefined) {
    if (schema.default === undefined) return undefined;
    value = clone(schema.default);
  }
  if (schema.anyOf) {
    const variant = pickVariant(schema, value);
    return variant ? fillDefaults(variant, value) : value;
  }
  if (schema.type === 'object' && isPlainObject(value)) {
    const record = schema.patternProperties && Object.values(schema.patternProperties)[0];
    const fillable = record && (record.default !== undefined || record.properties || record.items || record.anyOf);
    // A record of plain values (tags) has nothing to fill: copying and walking 400,000 of them cost seconds.
    if (!schema.properties && !fillable) return value;
    const out: Record<string, unknown> = { ...value };
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      const filled = fillDefaults(sub, out[key]);
      if (filled !== undefined) out[key] = filled;
    }
    if (fillable) for (const key of Object.keys(out)) out[key] = fillDefaults(record, out[key]);
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    const items = schema.items;
    return value.map((item) => fillDefaults(items, item));
  }
  return value;
}

/** Reorders object keys to schema order, so equal configs serialize (and hash) identically. */
export function canonicalize(schema: SchemaNode, value: unknown): unknown {
  if (schema.anyOf) {
    const variant = pickVariant(schema, value) ?? schema.anyOf.find((v) => v.type === typeOf(value));
    return variant ? canonicalize(variant, value) : value;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    const props = schema.properties ?? {};
    const record = schema.patternProperties && Object.values(schema.patternProperties)[0];
    for (const [key, sub] of Object.entries(props)) if (key in value) out[key] = canonicalize(sub, value[key]);
    for (const key of Object.keys(value).filter((k) => !(k in props)).sort()) out[key] = record ? canonicalize(record, value[key]) : value[key];
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => (schema.items ? canonicalize(schema.items, v) : v));
  return value;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
