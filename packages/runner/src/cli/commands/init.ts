import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { initPipeline } from '../../init/index.ts';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

/** A word as a shell needs it: bare when safe, else single-quoted. */
const shellWord = (w: string) => (/^[\w./@:=+-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`);

/** `kiln init FILE --target COLUMN`: guess a pipeline for a data file and write it, commented, without overwriting unless --force. */
export async function run(args: Args<'init'>): Promise<number> {
  const [file] = args.positionals;
  const { target, out, force } = args.options;
  if (file === undefined) throw usageError('cli/missing-argument', 'FILE', 'kiln init needs a data file', 'e.g. kiln init data.csv --target price');
  if (target === undefined) throw usageError('cli/missing-option', '--target', 'kiln init needs --target: the column to predict', `e.g. kiln init ${file} --target <column>`);
  if (existsSync(out) && !force) throw usageError('cli/file-exists', '--out', `${out} already exists`, 'pass --force to overwrite it, or --out to write elsewhere');
  const words = [file, '--target', target, ...(out === 'pipeline.yaml' ? [] : ['--out', out])];
  const { yaml, columns } = await initPipeline({ file, target, out, command: `kiln init ${words.map(shellWord).join(' ')}` });
  await writeFile(out, yaml);
  const used = columns.filter((c) => c.kind !== 'skip').length;
  process.stderr.write(`wrote ${out}: ${used} of ${columns.length} columns as features, target "${target}"; every guess is explained in a comment\nnext: kiln validate ${out} && kiln train ${out}\n`);
  return EXIT.ok;
}
