/** Where @kiln/core's pipeline JSON Schema is on this machine, so a written pipeline can point editors at it. */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEMA = join('schema', 'pipeline.schema.json');

/**
 * The schema file, found by walking up from this module: a sibling package in the workspace (packages/core), or
 * @kiln/core installed beside @kiln/runner (node_modules/@kiln/core, hoisted or pnpm's own link, followed to where it
 * really is). undefined when neither is there: the pipeline is then written without the editor hint.
 */
export function schemaFile(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    for (const candidate of [join(dir, 'core', SCHEMA), join(dir, 'node_modules', '@kiln', 'core', SCHEMA)]) if (existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}
