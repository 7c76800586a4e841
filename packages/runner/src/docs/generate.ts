// Regenerates everything derived from a single source of truth: the JSON Schema file and the docs.
import { writeFileSync } from 'node:fs';
import { pipelineJsonSchema } from '@kiln/core/spec';
import { renderPipelineValidator } from '@kiln/core/spec/standalone';
import { kilnVersion } from '../cli/main.ts';
import { renderHelpSnapshot } from '../cli/help-snapshot.ts';
import { renderCliReference } from './cli-reference.ts';
import { renderSpecReference } from './spec-reference.ts';

/** Each generated file and how to render it. */
export const GENERATED: Record<string, () => string> = {
  'packages/core/schema/pipeline.schema.json': () => `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`,
  'packages/core/src/spec/generated/pipeline-validator.js': renderPipelineValidator,
  'docs/spec.md': renderSpecReference,
  'docs/cli.md': () => renderCliReference(kilnVersion()),
  'packages/runner/src/cli/generated/help.json': () => renderHelpSnapshot(kilnVersion()),
};

const root = new URL('../../../../', import.meta.url);
if (process.argv[1]?.endsWith('generate.ts')) {
  for (const [path, render] of Object.entries(GENERATED)) {
    writeFileSync(new URL(path, root), render());
    process.stdout.write(`wrote ${path}\n`);
  }
}
