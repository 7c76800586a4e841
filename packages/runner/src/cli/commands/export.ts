import { exportRuns, toCsv } from '@kiln/core/store';
import { writeFileSync } from 'node:fs';
import { EXIT } from '../main.ts';
import type { ParsedArgs } from '../options.ts';
import { withFilter, withStore } from '../store.ts';

/** `kiln export`: runs as CSV (formula-looking cells neutralised) or JSON, to stdout or --out. */
export async function run(args: ParsedArgs): Promise<number> {
  const o = args.options;
  // the option table allows only csv and json
  const format = o.format === 'json' ? 'json' : 'csv';
  const rows = await withStore(args, (store) => withFilter(o.filter as string | undefined, () => exportRuns(store, { filter: o.filter as string | undefined, experiment: o.experiment as string | undefined, sort: o.sort as string | undefined })));
  const text = format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
  if (o.out) writeFileSync(o.out as string, text);
  else process.stdout.write(text);
  if (o.out) process.stderr.write(`wrote ${rows.length} run(s) to ${String(o.out)}\n`);
  return EXIT.ok;
}
