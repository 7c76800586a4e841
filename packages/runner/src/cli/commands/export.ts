import { exportRuns, toCsv } from '@kiln/core/store';
import { writeFileSync } from 'node:fs';
import { EXIT } from '../exit.ts';
import type { Args } from '../options.ts';
import { withQuery, withStore } from '../store.ts';

/** `kiln export`: runs as CSV (formula-looking cells neutralised) or JSON, to stdout or --out. */
export async function run(args: Args<'export'>): Promise<number> {
  const { format, out, filter, experiment, sort } = args.options;
  const rows = await withStore(args, (store) => withQuery({ filter, sort }, () => exportRuns(store, { filter, experiment, sort })));
  const text = format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
  if (out === undefined) process.stdout.write(text);
  else {
    writeFileSync(out, text);
    process.stderr.write(`wrote ${rows.length} run(s) to ${out}\n`);
  }
  return EXIT.ok;
}
