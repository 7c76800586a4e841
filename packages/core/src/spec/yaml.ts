import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { KilnError } from '../errors.ts';
import type { PathSegments } from './path.ts';

/** A parsed YAML file that can map spec paths back to line and column. */
export interface SourceDoc {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parses YAML keeping positions; syntax errors come back as located KilnErrors. */
export function parseYaml(file: string, text: string): { source: SourceDoc; errors: KilnError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  // Only the first syntax error: the rest are almost always its echoes.
  const errors = [...doc.errors, ...doc.warnings].slice(0, 1).map((e): KilnError => {
    const pos = lines.linePos(e.pos[0]);
    return {
      code: `yaml/${e.code.toLowerCase().replace(/_/g, '-')}`,
      path: '',
      message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, ''),
      hint: 'fix the YAML syntax (indentation uses spaces; a "key: value" needs a space after the colon)',
      file,
      line: pos.line,
      col: pos.col,
    };
  });
  return { source: { file, text, doc, lines }, errors };
}

/**
 * The line and column of a path: its value, or its key when `at` is 'key'. A path that does not
 * exist (a missing key) resolves to the deepest part that does.
 */
export function locate(source: SourceDoc, segments: PathSegments, at: 'key' | 'value' = 'value'): { line: number; col: number } {
  let node: unknown = source.doc.contents;
  let best = rangeStart(node) ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if (keyStart !== undefined) best = keyStart;
      if (i === segments.length - 1 && at === 'key') break;
      next = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    } else break;
    if (next === undefined || next === null) break;
    node = next;
    best = rangeStart(node) ?? best;
  }
  return source.lines.linePos(best);
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | undefined)?.range?.[0];
}
