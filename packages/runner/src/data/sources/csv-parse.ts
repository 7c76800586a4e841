import { must } from '@kiln/core/errors';
import { KilnFailure } from '@kiln/core/errors';
import { fail } from '../table.ts';

/** Parsed CSV: header, records (null = empty unquoted cell), and each record's 1-based starting line. */
export interface CsvParsed {
  header: string[];
  records: (string | null)[][];
  lines: number[];
}

/**
 * RFC 4180 CSV: comma separator, double-quoted fields with "" as an escaped quote, LF or CRLF line ends,
 * quoted fields may span lines. An empty unquoted cell is null (missing); a quoted "" is the empty string.
 * Blank lines are skipped. `path` is the spec path used in errors, `file` the file they point into.
 */
export function parseCsv(text: string, path: string, file?: string): CsvParsed {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: (string | null)[][] = [];
  const lines: number[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  // Where each header field starts, to point at a repeated column name.
  const headerAt: number[] = [];
  let headerLineStart = 0;
  while (i < n) {
    const startLine = line;
    const rec: (string | null)[] = [];
    if (records.length === 0) {
      headerAt.length = 0;
      headerLineStart = i;
    }
    for (;;) {
      if (records.length === 0) headerAt.push(i);
      let value: string | null;
      if (text.charCodeAt(i) === 34 /* " */) {
        let out = '';
        let from = ++i;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) fail('data/csv-syntax', path, `unterminated quoted field starting on line ${startLine}`, 'close the quote, or write a quote inside a quoted field as ""');
          out += text.slice(from, q);
          for (let k = from; k < q; k++) if (text.charCodeAt(k) === 10) line++;
          if (text.charCodeAt(q + 1) === 34) {
            out += '"';
            from = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        value = out;
        const c = text.charCodeAt(i);
        if (i < n && c !== 44 && c !== 10 && c !== 13) fail('data/csv-syntax', path, `unexpected character after a closing quote on line ${line}`, 'a quoted field must be followed by a comma or the end of the line');
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          j++;
        }
        value = j === i ? null : text.slice(i, j);
        i = j;
      }
      rec.push(value);
      if (i < n && text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      // end of record: CRLF, LF, lone CR, or end of text
      if (text.charCodeAt(i) === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    if (rec.length === 1 && rec[0] === null) continue; // blank line
    records.push(rec);
    lines.push(startLine);
  }
  if (records.length === 0) fail('data/empty-source', path, 'the CSV file is empty', 'the first line must be a header of column names');
  const header = records.shift()!.map((h, k) => (h ?? '').trim() || `column_${k + 1}`);
  const headerLine = lines.shift()!;
  const firstOf = new Map<string, number>();
  const dup = header.findIndex((h, k) => firstOf.has(h) || !firstOf.set(h, k));
  if (dup >= 0) {
    const name = must(header[dup], 'dup indexes the header');
    const first = must(firstOf.get(name), 'a duplicate was seen before');
    throw new KilnFailure({
      code: 'data/csv-duplicate-column',
      path,
      ...(file === undefined ? {} : { file, line: headerLine, col: must(headerAt[dup], 'one offset per header cell') - headerLineStart + 1 }),
      message: `the header names column ${JSON.stringify(name)} twice (columns ${first + 1} and ${dup + 1})`,
      hint: 'rename one of them: a feature would otherwise read whichever came last',
    });
  }
  records.forEach((r, k) => {
    if (r.length !== header.length) fail('data/csv-row-width', path, `line ${lines[k]} has ${r.length} fields, the header has ${header.length}`, 'quote fields that contain commas');
  });
  return { header, records, lines };
}
