import { parseArgs } from 'node:util';
import type { KilnError } from '@kiln/core/errors';
import { didYouMean } from '@kiln/core/spec/suggest';
import type { AnyOptionValues, OptionDef, OptionTable } from './option-types.ts';
import { checkPositionals } from './positionals.ts';

/** A command line parsed against a table, values not yet narrowed to that table's types. */
export interface RawArgs {
  positionals: string[];
  values: AnyOptionValues;
}

/**
 * Parses argv against a command's option table (global options included); unknown options, bad
 * numbers and choices, missing or extra arguments come back as KilnErrors.
 */
export function parseCommandArgs(name: string, usage: readonly string[], table: OptionTable, argv: string[]): RawArgs | KilnError {
  const config = Object.fromEntries(
    Object.entries(table).map(([k, o]) => [k, { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: o.type === 'string[]', ...(o.short ? { short: o.short } : {}) }]),
  );
  let parsed: { values: Record<string, RawValue>; positionals: string[] };
  try {
    parsed = parseArgs({ args: dashValuesInline(argv, table), options: config, allowPositionals: true, strict: true });
  } catch (e) {
    return parseFailure(name, table, e instanceof Error ? e.message : String(e));
  }
  const values: AnyOptionValues = {};
  for (const [k, o] of Object.entries(table)) {
    const v = typed(k, o, parsed.values[k]);
    if (isError(v)) return v;
    values[k] = v;
  }
  // --help answers even when the arguments are incomplete
  const problem = values.help === true ? undefined : checkPositionals(name, usage, parsed.positionals);
  return problem ?? { positionals: parsed.positionals, values };
}

type RawValue = string | boolean | (string | boolean)[] | undefined;

const isError = (v: unknown): v is KilnError => typeof v === 'object' && v !== null && !Array.isArray(v) && 'code' in v;

/** One option's raw parseArgs value as its table type says: defaults, flags false and lists empty when absent. */
function typed(k: string, o: OptionDef, v: RawValue): AnyOptionValues[string] | KilnError {
  if (o.type === 'boolean') return v === true;
  if (o.type === 'string[]') return Array.isArray(v) ? v.map(String) : [];
  if (v === undefined) return o.default;
  const text = String(v);
  if (o.type === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) return { code: 'cli/bad-option', path: `--${k}`, message: `--${k} expects a number, got ${JSON.stringify(text)}`, hint: o.description };
    return n;
  }
  if (o.choices !== undefined && !o.choices.includes(text)) {
    const guess = didYouMean(text, [...o.choices]);
    return { code: 'cli/bad-choice', path: `--${k}`, message: `--${k} must be one of ${o.choices.join(', ')}, got ${JSON.stringify(text)}`, hint: guess ? `did you mean --${k} ${guess}?` : o.description };
  }
  return text;
}

/**
 * node's parseArgs refuses a value that starts with '-' (`--sort -metrics.val.accuracy` is
 * "ambiguous"), yet a descending sort key or a negative number is one. A value-taking option
 * followed by such a word that is not itself an option of the table gets it as `--name=word`.
 */
export function dashValuesInline(argv: readonly string[], table: OptionTable): string[] {
  const byShort = new Map(Object.entries(table).flatMap(([k, o]) => (o.short ? [[o.short, k] as const] : [])));
  // `--name` or `-x` exactly: `--name=value` and `-xVALUE` already carry their value
  const optionName = (word: string): string | undefined => {
    const name = word.startsWith('--') ? word.slice(2) : word.length === 2 ? byShort.get(word.charAt(1)) : undefined;
    return name !== undefined && Object.hasOwn(table, name) ? name : undefined;
  };
  const takesValue = (word: string) => {
    const name = optionName(word);
    return name !== undefined && table[name]?.type !== 'boolean' ? name : undefined;
  };
  const isOption = (word: string) => optionName(word.split('=')[0] ?? word) !== undefined;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = takesValue(word);
    if (name !== undefined && next !== undefined && next.length > 1 && next.startsWith('-') && next !== '--' && !isOption(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(word);
  }
  return out;
}

function parseFailure(name: string, table: OptionTable, msg: string): KilnError {
  const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(msg);
  if (unknown) {
    const [, dashes = '--', option = ''] = unknown;
    const guess = didYouMean(option, Object.keys(table));
    return { code: 'cli/unknown-option', path: `${dashes}${option}`, message: `unknown option ${dashes}${option} for kiln ${name}`, hint: guess ? `did you mean --${guess}?` : `see kiln ${name} --help` };
  }
  return { code: 'cli/bad-arguments', path: '', message: msg.split('\n')[0] ?? msg, hint: `see kiln ${name} --help` };
}
