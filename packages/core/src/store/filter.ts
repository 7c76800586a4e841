/**
 * The run filter language: a tokenizer and a recursive-descent parser into an AST, e.g.
 *   metrics.val.accuracy > 0.9 and (params.train.optimizer.name = "adam" or tags.team = "nlp") and status = finished
 * Grammar:  or := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | '(' or ')' | cmp
 *           cmp := field (op value | 'in' '(' value (',' value)* ')') ; op := = != < <= > >= contains like
 * Errors carry the 1-based column of the offending token.
 */
import { KilnFailure, must, type KilnError } from '../errors.ts';

export type Literal = number | string | boolean;
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'like' | 'in';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'cmp'; field: string; op: CompareOp; value: Literal | Literal[]; col: number };

type TokenKind = 'ident' | 'number' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  value?: Literal;
  col: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'like', 'true', 'false']);
const SYMBOL_OPS = ['<=', '>=', '!=', '<>', '==', '=', '<', '>'];

/** A located filter error; `col` is 1-based. */
export function filterError(message: string, col: number, hint?: string): KilnFailure {
  const e: KilnError = { code: 'store/filter', path: 'filter', message: `${message} (column ${col})`, col };
  if (hint !== undefined) e.hint = hint;
  return new KilnFailure(e);
}

/** Splits a filter string into tokens. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, col });
      i++;
    } else if (c === '"' || c === "'") {
      const [text, next] = readString(src, i);
      out.push({ kind: 'string', text: src.slice(i, next), value: text, col });
      i = next;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '.') && /[0-9.]/.test(src[i + 1] ?? ''))) {
      const m = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i));
      if (m === null) throw filterError(`bad number`, col);
      out.push({ kind: 'number', text: m[0], value: Number(m[0]), col });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      // Field paths keep dots, brackets, dashes and slashes: metrics.val/acc, params.model.layers[1].units
      const m = /^[A-Za-z_][\w.\-/]*(\[\d+\][\w.\-/]*)*/.exec(src.slice(i));
      const text = (m as RegExpExecArray)[0].replace(/[.\-/]+$/, '');
      out.push(wordToken(text, col));
      i += text.length;
    } else {
      const op = SYMBOL_OPS.find((o) => src.startsWith(o, i));
      if (op === undefined) throw filterError(`unexpected character '${c}'`, col);
      out.push({ kind: 'op', text: op === '==' ? '=' : op === '<>' ? '!=' : op, col });
      i += op.length;
    }
  }
  out.push({ kind: 'end', text: 'end of filter', col: src.length + 1 });
  return out;
}

function wordToken(text: string, col: number): Token {
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === 'false') return { kind: 'ident', text: lower, value: lower === 'true', col };
  if (lower === 'contains' || lower === 'like') return { kind: 'op', text: lower, col };
  return { kind: 'ident', text: KEYWORDS.has(lower) ? lower : text, col };
}

function readString(src: string, start: number): [string, number] {
  const quote = src[start];
  let text = '';
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length) {
      text += src[++i];
    } else if (c === quote) {
      return [text, i + 1];
    } else {
      text += c;
    }
  }
  throw filterError('unterminated string', start + 1, `close it with ${quote}`);
}

/** Parses a filter into an AST; an empty filter gives null. */
export function parseFilter(src: string): FilterNode | null {
  const tokens = tokenize(src);
  if (tokens[0]?.kind === 'end') return null;
  const p = new Parser(tokens);
  const node = p.parseOr();
  p.expectEnd();
  return node;
}

class Parser {
  private pos = 0;
  /** tokenize always ends with an end token; reading past it keeps returning it. */
  private readonly end: Token;
  constructor(private readonly tokens: Token[]) {
    this.end = must(tokens.at(-1), 'tokenize always appends an end token');
  }

  private peek(): Token {
    return this.tokens[this.pos] ?? this.end;
  }
  private next(): Token {
    return this.tokens[this.pos++] ?? this.end;
  }
  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === word;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw filterError(`unexpected '${t.text}'`, t.col, 'join conditions with and / or');
  }

  parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseNot();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): FilterNode {
    if (this.isWord('not')) {
      this.next();
      return { kind: 'not', expr: this.parseNot() };
    }
    if (this.peek().kind === 'lparen') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== 'rparen') throw filterError(`expected ')' but found '${close.text}'`, close.col);
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const field = this.next();
    if (field.kind !== 'ident' || KEYWORDS.has(field.text)) {
      throw filterError(`expected a field name but found '${field.text}'`, field.col, 'e.g. metrics.val.accuracy > 0.9');
    }
    if (this.isWord('in')) {
      this.next();
      return { kind: 'cmp', field: field.text, op: 'in', value: this.parseList(), col: field.col };
    }
    const op = this.next();
    if (op.kind !== 'op') {
      throw filterError(`expected an operator after '${field.text}' but found '${op.text}'`, op.col, 'operators: = != < <= > >= contains like in');
    }
    return { kind: 'cmp', field: field.text, op: op.text as CompareOp, value: this.parseValue(), col: field.col };
  }

  private parseList(): Literal[] {
    const open = this.next();
    if (open.kind !== 'lparen') throw filterError(`expected '(' after in`, open.col);
    const values = [this.parseValue()];
    while (this.peek().kind === 'comma') {
      this.next();
      values.push(this.parseValue());
    }
    const close = this.next();
    if (close.kind !== 'rparen') throw filterError(`expected ',' or ')' but found '${close.text}'`, close.col);
    return values;
  }

  private parseValue(): Literal {
    const t = this.next();
    if (t.value !== undefined) return t.value;
    // A bare word is a string, so `status = finished` needs no quotes.
    if (t.kind === 'ident' && !KEYWORDS.has(t.text)) return t.text;
    throw filterError(`expected a value but found '${t.text}'`, t.col);
  }
}
