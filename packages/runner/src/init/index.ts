/** `kiln init`'s work without the CLI: read a data file, guess a pipeline for it, render it as commented YAML. */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { choiceHint, KilnFailure, kilnError } from '@kiln/core';
import { fail } from '../data/table.ts';
import { guessColumn, type ColumnGuess } from './columns.ts';
import { renderPipeline, usedColumns } from './render.ts';
import { schemaFile } from './schema-file.ts';
import { guessTask } from './task.ts';
import { SAMPLE_ROWS, sampleFile } from './sample.ts';

export { SAMPLE_ROWS };

const SOURCE_TYPES: Record<string, 'csv' | 'jsonl' | 'json'> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json' };

export interface InitOptions {
  /** The data file, as the user wrote it (relative to the current folder). */
  file: string;
  target: string;
  /** Where the pipeline will be written: its source path is made relative to this file's folder. */
  out: string;
  /** The command line, for the file's header comment. */
  command: string;
  /** Folder that file and out are relative to (default: the current folder). */
  cwd?: string;
}

/** A pipeline name from the file name (the spec's pattern: a letter or digit, then letters, digits, _ . -). */
const nameOf = (file: string) => basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'pipeline';

/** Reads the data file and returns the commented pipeline.yaml text, with the column guesses. */
export async function initPipeline(opts: InitOptions): Promise<{ yaml: string; columns: ColumnGuess[] }> {
  const type = SOURCE_TYPES[extname(opts.file).toLowerCase()];
  if (!type) fail('cli/init-file', 'FILE', `cannot tell the format of ${opts.file} from its extension`, `kiln init reads ${Object.keys(SOURCE_TYPES).join(', ')} files`);
  const cwd = opts.cwd ?? process.cwd();
  const path = resolve(cwd, opts.file);
  if (!existsSync(path)) fail('cli/init-file', 'FILE', `file not found: ${opts.file}`, `looked in ${path}`);
  const file = await sampleFile(type, path, opts.target);
  if (file.target === undefined) {
    const error = kilnError('cli/init-target', '--target', `column "${opts.target}" is not in ${opts.file}`, choiceHint(opts.target, file.columns));
    // a CSV's columns are its first line: point at it
    throw new KilnFailure(type === 'csv' ? { ...error, file: opts.file, line: 1, col: 1 } : error);
  }
  const columns = file.columns.filter((c) => c !== opts.target).map((c) => guessColumn(c, file.sample.get(c) ?? []));
  if (usedColumns(columns).used.length === 0)
    fail('cli/init-features', 'FILE', `no column of ${opts.file} besides "${opts.target}" can be used as a feature`, columns.map((g) => `${g.name}: ${g.reason}`).join('; ') || 'the file has only the target column');
  const task = guessTask(file.target);
  const outDir = dirname(resolve(cwd, opts.out));
  const fromOut = (file: string) => relative(outDir, file).split(sep).join('/');
  const schema = schemaFile();
  const yaml = renderPipeline({ name: nameOf(opts.file), command: opts.command, source: { type, path: fromOut(path) }, ...(schema ? { schema: fromOut(schema) } : {}), rows: file.rows, sampled: Math.min(file.rows, SAMPLE_ROWS), columns, target: { name: opts.target, task } });
  return { yaml, columns };
}
