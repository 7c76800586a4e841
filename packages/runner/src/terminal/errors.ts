import { readFileSync } from 'node:fs';
import type { KilnError } from '@kiln/core/errors';

const MAX_SHOWN = 15;
const useColor = () => process.stderr.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string, s: string) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Renders errors the way a compiler does: code, location, message, the source line with a caret, and a hint. */
export function formatErrors(errors: KilnError[], readSource: (file: string) => string | undefined = tryRead): string {
  const shown = errors.slice(0, MAX_SHOWN).map((e) => formatOne(e, readSource));
  if (errors.length > MAX_SHOWN) shown.push(`... and ${errors.length - MAX_SHOWN} more`);
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
  return `${shown.join('\n\n')}\n\n${paint('1', count)} found.`;
}

/** Renders load warnings like errors (labelled warning); they never change the exit code. */
export function formatWarnings(warnings: KilnError[], readSource: (file: string) => string | undefined = tryRead): string {
  const count = warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`;
  return `${warnings.map((w) => formatOne(w, readSource, ['33;1', 'warning'])).join('\n\n')}\n\n${paint('1', count)}.`;
}

function formatOne(e: KilnError, readSource: (file: string) => string | undefined, [color, label] = ['31;1', 'error']): string {
  const where = e.file ? `${clip(e.file, MAX_MESSAGE)}${e.line ? `:${e.line}:${e.col ?? 1}` : ''}` : '';
  const lines = [`${paint(color, label)}${paint('2', `[${e.code}]`)} ${where}${e.path ? `  ${paint('36', clip(e.path, MAX_MESSAGE))}` : ''}`, `  ${clip(e.message, MAX_MESSAGE)}`];
  const src = e.file && e.line ? sourceLine(readSource(e.file), e.line) : undefined;
  if (src !== undefined && e.line) {
    const num = String(e.line);
    const cut = excerpt(src, e.col ?? 1, MAX_EXCERPT);
    lines.push(`  ${paint('2', `${num} |`)} ${cut.text}`, `  ${' '.repeat(num.length)} ${paint('2', '|')} ${' '.repeat(cut.caret - 1)}${paint('31', '^')}`);
  }
  if (e.hint) lines.push(`  ${paint('32', 'hint:')} ${clip(e.hint, MAX_MESSAGE)}`);
  return lines.join('\n');
}

// An error stays one screen however long the offending line or value is (a 200,000-character line once printed 201 KB).
const MAX_EXCERPT = 100;
const MAX_MESSAGE = 500;

/** Line `n` (1-based) of a text, found without splitting the whole text into lines. */
function sourceLine(text: string | undefined, n: number): string | undefined {
  if (text === undefined) return undefined;
  let start = 0;
  for (let k = 1; k < n; k++) {
    start = text.indexOf('\n', start) + 1;
    if (start === 0) return undefined;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** A window of at most `width` characters of a source line around column `col`, marked with ... where cut, and the caret's column in it. */
export function excerpt(line: string, col: number, width: number): { text: string; caret: number } {
  const at = Math.max(1, Math.min(col, line.length + 1));
  if (line.length <= width) return { text: line, caret: at };
  const from = Math.max(0, Math.min(at - 1 - Math.floor(width / 2), line.length - width));
  const head = from > 0 ? '...' : '';
  const tail = from + width < line.length ? '...' : '';
  return { text: `${head}${line.slice(from, from + width)}${tail}`, caret: at - from + head.length };
}

/** A message cut to `max` characters, saying how much was left out. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}... (${s.length - max} more characters)`;
}

/** Text the user typed on the command line (a --filter query), shown like a file line with a caret. */
const typedSources = new Map<string, string>();

/** Registers command-line text so errors located in it can show it. */
export function registerTypedSource(name: string, text: string): void {
  typedSources.set(name, text);
}

function tryRead(file: string): string | undefined {
  if (typedSources.has(file)) return typedSources.get(file);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
