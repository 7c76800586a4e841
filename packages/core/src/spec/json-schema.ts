import type { SchemaNode } from './defaults.ts';
import { Pipeline } from './schema/pipeline.ts';

/**
 * The user-facing JSON Schema. Internally a defaulted field is required (validation runs after
 * defaults are filled, so the TS type has it); in a file the user may leave it out, so fields with
 * a default are dropped from `required` here. Our own `x-discriminator` becomes a plain annotation.
 */
export function pipelineJsonSchema(): SchemaNode {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(relax(JSON.parse(JSON.stringify(Pipeline))) as SchemaNode) };
}

function relax(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relax);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'default' || k === 'const' || k === 'enum' ? v : relax(v);
  const props = out.properties as Record<string, SchemaNode> | undefined;
  if (Array.isArray(out.required) && props) {
    const required = (out.required as string[]).filter((k) => props[k]?.default === undefined);
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}
