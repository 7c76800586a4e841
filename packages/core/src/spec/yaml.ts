import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
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
  // yaml's own duplicate-key check compares every key with every other (68 s for a 10 MB file); ours is linear.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  // Only the first syntax error: the rest are almost always its echoes.
  const syntax = [...doc.errors, ...doc.warnings].slice(0, 1).map((e): KilnError => {
    const pos = lines.linePos(e.pos[0]);
    return {
      code: `yaml/${e.code.toLowerCase().replace(/_/g, '-')}`,
      path: '',
      message: (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+.*$/, ''),
      hint: 'fix the YAML syntax (indentation uses spaces; a "key: value" needs a space after the colon)',
      file,
      line: pos.line,
      col: pos.col,
    };
  });
  const source = { file, text, doc, lines };
  return { source, errors: syntax.length > 0 ? syntax : duplicateKeys(source) };
}

/** Keys repeated within one mapping, each located at its second occurrence; one pass over the nodes. */
function duplicateKeys(source: SourceDoc): KilnError[] {
  const errors: KilnError[] = [];
  const stack: unknown[] = [source.doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isCollection(node)) continue;
    const seen = isMap(node) ? new Map<string, number>() : undefined;
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push(item);
        continue;
      }
      stack.push(item.value);
      if (!seen || !isScalar(item.key) || item.key.value === '<<') continue;
      const name = String(item.key.value);
      const at = rangeStart(item.key) ?? 0;
      const first = seen.get(name);
      if (first === undefined) seen.set(name, at);
      else errors.push(duplicateKey(source, name, first, at));
    }
  }
  return errors.sort((a, b) => a.line! - b.line! || a.col! - b.col!);
}

function duplicateKey(source: SourceDoc, name: string, first: number, at: number): KilnError {
  const pos = source.lines.linePos(at);
  const firstLine = source.lines.linePos(first).line;
  return { code: 'yaml/duplicate-key', path: '', message: 'Map keys must be unique', hint: `${JSON.stringify(name)} is already set on line ${firstLine}; keep one of them`, file: source.file, line: pos.line, col: pos.col };
}

/** Aliases expanded at most this many times in all: more is a "billion laughs" bomb, not a pipeline. */
const MAX_ALIAS_COUNT = 100;

/** The document as plain values, or a located error when its aliases would expand without bound or do not resolve. */
export function toValue(source: SourceDoc): { value: unknown } | { error: KilnError } {
  try {
    return { value: source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    const pos = source.lines.linePos(rangeStart(worstAlias(source)) ?? 0);
    const bomb = /resource exhaustion/.test(e.message);
    return {
      error: {
        code: bomb ? 'yaml/alias-bomb' : 'yaml/bad-alias',
        path: '',
        message: bomb ? `aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies of their anchors` : e.message,
        hint: bomb ? 'write the values out, or use fewer nested aliases; a pipeline file never needs this many' : 'define the anchor (&name) before its alias (*name)',
        file: source.file,
        line: pos.line,
        col: pos.col,
      },
    };
  }
}

/** The first alias whose anchor itself holds aliases (the nesting that makes a bomb), else the first alias. */
function worstAlias(source: SourceDoc): Node | undefined {
  const anchors = new Map<string, unknown>();
  const aliases: Node[] = [];
  const stack: unknown[] = [source.doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) aliases.push(node);
    else if (isScalar(node) || isCollection(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
      if (isCollection(node)) for (const item of [...node.items].reverse()) stack.push(...(isPair(item) ? [item.value, item.key] : [item]));
    }
  }
  const holdsAlias = (n: unknown) => isCollection(n) && n.items.some((i) => isAlias(i) || (isPair(i) && isAlias(i.value)));
  return aliases.find((a) => isAlias(a) && holdsAlias(anchors.get(a.source))) ?? aliases[0];
}

/**
 * The line and column of a path: its value, or its key when `at` is 'key'. A path that does not
 * exist (a missing key) resolves to the deepest part that does.
 */
export function locate(source: SourceDoc, segments: PathSegments, at: 'key' | 'value' = 'value'): { line: number; col: number } {
  let node: unknown = source.doc.contents;
  let best = rangeStart(node) ?? 0;
  for (const [i, seg] of segments.entries()) {
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
