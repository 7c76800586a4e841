import { pipelineJsonSchema } from '@kiln/core/spec';
import { EXIT } from '../exit.ts';

/** `kiln schema`: the JSON Schema editors use to complete and check pipeline files. */
export async function run(): Promise<number> {
  process.stdout.write(`${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
