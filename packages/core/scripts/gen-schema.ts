// Writes packages/core/schema/pipeline.schema.json from the TypeBox definition (the one source of truth).
import { writeFileSync } from 'node:fs';
import { pipelineJsonSchema } from '../src/spec/json-schema.ts';

const target = new URL('../schema/pipeline.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
