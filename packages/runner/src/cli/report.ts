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

function formatOne(e: KilnError, readSource: (file: string) => string | undefined): string {
  const where = e.file ? `${e.file}${e.line ? `:${e.line}:${e.col ?? 1}` : ''}` : '';
  const lines = [`${paint('31;1', 'error')}${paint('2', `[${e.code}]`)} ${where}${e.path ? `  ${paint('36', e.path)}` : ''}`, `  ${e.message}`];
  const src = e.file && e.line ? readSource(e.file)?.split(/\r?\n/)[e.line - 1] : undefined;
  if (src !== undefined && e.line) {
    const num = String(e.line);
    lines.push(`  ${paint('2', `${num} |`)} ${src}`, `  ${' '.repeat(num.length)} ${paint('2', '|')} ${' '.repeat(Math.max(0, (e.col ?? 1) - 1))}${paint('31', '^')}`);
  }
  if (e.hint) lines.push(`  ${paint('32', 'hint:')} ${e.hint}`);
  return lines.join('\n');
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
