import { KilnFailure } from '@kiln/core/errors';
import { must } from '@kiln/core/errors';

/** Where a CSV error points: the spec path and, when reading a file, the file. */
interface Where {
  path: string;
  file?: string;
}

/** A located CSV error. */
function csvError(w: Where, code: string, line: number, col: number, message: string, hint: string): never {
  throw new KilnFailure({ code, path: w.path, ...(w.file === undefined ? {} : { file: w.file, line, col }), message, hint });
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
/** Powers of ten exactly representable as doubles: m / 10^k is then correctly rounded, as Number() is. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * One parsed record, valid only during the sink's `row` call: field k spans bytes [start, end) of `buf`
 * (inside the quotes for a quoted field). Reading a field as a number needs no string at all.
 */
export class CsvRecord {
  buf: Buffer = Buffer.alloc(0);
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 0 plain, 1 quoted, 2 quoted with "" escapes. */
  flags = new Uint8Array(64);

  /** The field's text; null for an empty unquoted cell (a quoted "" is the empty string). */
  text(k: number): string | null {
    const [s, e, f] = [this.starts[k] ?? 0, this.ends[k] ?? 0, this.flags[k] ?? 0];
    if (f === 0 && s === e) return null;
    const t = this.buf.toString('utf8', s, e);
    return f === 2 ? t.replaceAll('""', '"') : t;
  }

  /** The field as a plain decimal (sign, digits, one point; at most 15 digits), exactly as Number() reads it; undefined otherwise. */
  number(k: number): number | undefined {
    const b = this.buf;
    let i = this.starts[k] ?? 0;
    const e = this.ends[k] ?? 0;
    if (this.flags[k] !== 0 || i === e) return undefined;
    let neg = false;
    if (b[i] === 45 || b[i] === 43) neg = b[i++] === 45;
    let m = 0;
    let digits = 0;
    let frac = -1;
    for (; i < e; i++) {
      const c = b[i] ?? 0;
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (frac >= 0) frac++;
      } else if (c === 46 && frac < 0) frac = 0;
      else return undefined;
    }
    if (digits === 0 || digits > 15) return undefined;
    const v = frac > 0 ? m / (POW10[frac] ?? 1) : m;
    return neg ? -v : v;
  }

  /** Makes room for one more field. */
  grow(): void {
    const n = this.starts.length * 2;
    const [s, e, f] = [new Int32Array(n), new Int32Array(n), new Uint8Array(n)];
    s.set(this.starts);
    e.set(this.ends);
    f.set(this.flags);
    [this.starts, this.ends, this.flags] = [s, e, f];
  }
}

/** Receives the header once, then every record with its 1-based starting line. */
export interface CsvSink {
  header(names: string[], line: number): void;
  row(rec: CsvRecord, line: number): void;
}

/**
 * RFC 4180 CSV read incrementally from byte chunks: comma separator, double-quoted fields with "" as an
 * escaped quote, LF, CRLF or lone CR line ends, quoted fields may span lines, a UTF-8 BOM is dropped,
 * blank lines are skipped, the last line needs no newline. Only the record being read is kept between chunks.
 */
export class CsvParser {
  private rest: Buffer = Buffer.alloc(0);
  private line = 1;
  private width = -1;
  private first = true;
  private readonly rec = new CsvRecord();

  constructor(
    private readonly where: Where,
    private readonly sink: CsvSink,
  ) {}

  /** Parses every complete record in `chunk` (plus what was left from the previous one). */
  push(chunk: Buffer): void {
    if (this.first) {
      // Hold the first bytes until there are three, to drop a BOM.
      const start = Buffer.concat([this.rest, chunk]);
      this.rest = Buffer.alloc(0);
      if (start.length < 3) return void (this.rest = start);
      this.first = false;
      chunk = start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf ? start.subarray(3) : start;
    }
    const buf = this.rest.length === 0 ? chunk : this.joinRest(chunk);
    const used = this.records(buf, false);
    // Copy the partial record: a view would keep the whole chunk alive.
    this.rest = Buffer.from(buf.subarray(used));
  }

  /**
   * The record left from the previous chunk, finished with this chunk's first line and parsed; returns what is
   * still to parse. Only that line is copied, not the whole chunk (unless a quoted field runs past it).
   */
  private joinRest(chunk: Buffer): Buffer {
    const k = chunk.indexOf(LF) + 1;
    if (k === 0) return Buffer.concat([this.rest, chunk]);
    const head = Buffer.concat([this.rest, chunk.subarray(0, k)]);
    const used = this.records(head, false);
    this.rest = Buffer.alloc(0);
    return used === head.length ? chunk.subarray(k) : Buffer.concat([head.subarray(used), chunk.subarray(k)]);
  }

  /** Parses the last record (which may lack a newline) and checks that the file had a header. */
  end(): void {
    this.records(this.rest, true);
    this.rest = Buffer.alloc(0);
    if (this.width < 0) csvError(this.where, 'data/empty-source', 1, 1, 'the CSV file is empty', 'the first line must be a header of column names');
  }

  /** Parses records from buf; returns how many bytes were consumed (the rest is an incomplete record). */
  private records(buf: Buffer, final: boolean): number {
    let p = 0;
    while (p < buf.length) {
      const next = this.scan(buf, p, final);
      if (next < 0) return p;
      p = next;
    }
    return p;
  }

  /** Scans one record starting at p into this.rec; returns the offset after it, or -1 when buf ends first. */
  private scan(buf: Buffer, p: number, final: boolean): number {
    const rec = this.rec;
    const n = buf.length;
    const startLine = this.line;
    let inner = 0; // newlines inside quoted fields
    rec.buf = buf;
    rec.count = 0;
    const lineStart = p;
    for (;;) {
      if (rec.count === rec.starts.length) rec.grow();
      const k = rec.count++;
      if (buf[p] === QUOTE) {
        let q = p + 1;
        let flag = 1;
        let close: number;
        for (;;) {
          close = buf.indexOf(QUOTE, q);
          if (close < 0 || (close + 1 === n && !final)) {
            if (!final) return -1;
            csvError(this.where, 'data/csv-syntax', startLine, p - lineStart + 1, `unterminated quoted field starting on line ${startLine}`, 'close the quote, or write a quote inside a quoted field as ""');
          }
          if (buf[close + 1] !== QUOTE) break;
          flag = 2;
          q = close + 2;
        }
        rec.starts[k] = p + 1;
        rec.ends[k] = close;
        rec.flags[k] = flag;
        for (let j = p + 1; j < close; j++) if (buf[j] === LF) inner++;
        p = close + 1;
        const c = buf[p];
        if (p < n && c !== COMMA && c !== LF && c !== CR) csvError(this.where, 'data/csv-syntax', startLine + inner, 1, `unexpected character after a closing quote on line ${startLine + inner}`, 'a quoted field must be followed by a comma or the end of the line');
      } else {
        let j = p;
        while (j < n) {
          const c = buf[j];
          if (c === COMMA || c === LF || c === CR) break;
          j++;
        }
        if (j === n && !final) return -1;
        rec.starts[k] = p;
        rec.ends[k] = j;
        rec.flags[k] = 0;
        p = j;
      }
      if (p < n && buf[p] === COMMA) {
        p++;
        continue;
      }
      if (p === n && !final) return -1;
      if (buf[p] === CR) {
        if (p + 1 === n && !final) return -1; // a LF may follow in the next chunk
        p++;
      }
      if (buf[p] === LF) p++;
      break;
    }
    this.line = startLine + inner + 1;
    if (rec.count === 1 && rec.flags[0] === 0 && rec.starts[0] === rec.ends[0]) return p; // blank line
    this.deliver(startLine, lineStart);
    return p;
  }

  /** Hands the record to the sink: the first one is the header; the rest must have its width. */
  private deliver(line: number, lineStart: number): void {
    const rec = this.rec;
    if (this.width < 0) {
      const names = Array.from({ length: rec.count }, (_, k) => (rec.text(k) ?? '').trim() || `column_${k + 1}`);
      this.checkHeader(names, line, lineStart);
      this.width = names.length;
      this.sink.header(names, line);
      return;
    }
    if (rec.count !== this.width) csvError(this.where, 'data/csv-row-width', line, 1, `line ${line} has ${rec.count} fields, the header has ${this.width}`, 'quote fields that contain commas');
    this.sink.row(rec, line);
  }

  /** Refuses a header that names a column twice, pointing at the second occurrence. */
  private checkHeader(names: string[], line: number, lineStart: number): void {
    const firstOf = new Map<string, number>();
    const dup = names.findIndex((h, k) => firstOf.has(h) || !firstOf.set(h, k));
    if (dup < 0) return;
    const name = must(names[dup], 'dup indexes the header');
    const first = must(firstOf.get(name), 'a duplicate was seen before');
    // The column in characters: decode the header line up to the field (quote included).
    const at = (this.rec.starts[dup] ?? 0) - (this.rec.flags[dup] === 0 ? 0 : 1);
    const col = this.rec.buf.toString('utf8', lineStart, at).length + 1;
    csvError(this.where, 'data/csv-duplicate-column', line, col, `the header names column ${JSON.stringify(name)} twice (columns ${first + 1} and ${dup + 1})`, 'rename one of them: a feature would otherwise read whichever came last');
  }
}

/** Parsed CSV: header, records (null = empty unquoted cell), and each record's 1-based starting line. */
export interface CsvParsed {
  header: string[];
  records: (string | null)[][];
  lines: number[];
}

/** Parses a whole CSV text (small files, tests); `path` is the spec path used in errors, `file` the file they point into. */
export function parseCsv(text: string, path: string, file?: string): CsvParsed {
  const out: CsvParsed = { header: [], records: [], lines: [] };
  const parser = new CsvParser(file === undefined ? { path } : { path, file }, {
    header: (names) => (out.header = names),
    row: (rec, line) => {
      out.records.push(Array.from({ length: rec.count }, (_, k) => rec.text(k)));
      out.lines.push(line);
    },
  });
  parser.push(Buffer.from(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'utf8'));
  parser.end();
  return out;
}
