import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { pipelineJsonSchema } from './json-schema.ts';

describe('pipeline.schema.json', () => {
  it('accepts a minimal file that leaves every defaulted field out', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(pipelineJsonSchema());
    const minimal = {
      name: 'm',
      data: { source: { type: 'builtin', name: 'penguins' }, features: [{ name: 'Island', type: 'category' }], target: { name: 'Species', type: 'multiclass' } },
      model: { layers: [{ type: 'dense', units: 3, activation: 'softmax' }] },
      train: { loss: 'sparseCategoricalCrossentropy', optimizer: { name: 'adam' } },
    };
    expect(validate(minimal), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...minimal, bogus: 1 })).toBe(false);
  });

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      for (const [k, v] of Object.entries((n.properties as Record<string, Record<string, unknown>>) ?? {})) {
        if (typeof v.description !== 'string' || v.description.length === 0) missing.push(`${path}.${k}`);
        walk(v, `${path}.${k}`);
      }
      for (const key of ['items', 'anyOf', 'patternProperties'] as const) {
        const child = n[key];
        if (Array.isArray(child)) child.forEach((c) => walk(c, path));
        else if (child && typeof child === 'object') Object.values(key === 'patternProperties' ? (child as object) : { x: child }).forEach((c) => walk(c, `${path}[]`));
      }
    };
    walk(pipelineJsonSchema(), '');
    expect(missing).toEqual([]);
  });
});
