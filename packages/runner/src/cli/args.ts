import { parseArgs } from 'node:util';
import type { KilnError } from '@kiln/core/errors';
import { didYouMean } from '@kiln/core/spec/suggest';
import { GLOBAL_OPTIONS, type CommandDef, type OptionDef, type ParsedArgs } from './options.ts';
import { checkPositionals } from './positionals.ts';

/** Parses argv against a command's option table; unknown options, bad choices and missing or extra arguments come back as KilnErrors. */
export function parseCommandArgs(name: string, def: CommandDef, argv: string[]): ParsedArgs | KilnError {
  const table: Record<string, OptionDef> = { ...GLOBAL_OPTIONS, ...def.options };
  const config = Object.fromEntries(
    Object.entries(table).map(([k, o]) => [k, { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: o.type === 'string[]', ...(o.short ? { short: o.short } : {}) }]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options: config, allowPositionals: true, strict: true });
    const options: ParsedArgs['options'] = {};
    for (const [k, o] of Object.entries(table)) {
      const v = values[k];
      if (v === undefined) options[k] = o.default;
      else if (o.type === 'number') {
        const n = Number(v);
        if (!Number.isFinite(n)) return { code: 'cli/bad-option', path: `--${k}`, message: `--${k} expects a number, got ${JSON.stringify(v)}`, hint: o.description };
        options[k] = n;
      } else if (o.choices !== undefined && typeof v === 'string' && !o.choices.includes(v)) {
        const guess = didYouMean(v, [...o.choices]);
        return { code: 'cli/bad-choice', path: `--${k}`, message: `--${k} must be one of ${o.choices.join(', ')}, got ${JSON.stringify(v)}`, hint: guess ? `did you mean --${k} ${guess}?` : o.description };
      } else options[k] = v as string | boolean | string[];
    }
    // --help answers even when the arguments are incomplete
    const problem = values.help === true ? undefined : checkPositionals(name, def, positionals);
    return problem ?? { positionals, options };
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(msg);
    if (unknown) {
      const guess = didYouMean(unknown[2]!, Object.keys(table));
      return { code: 'cli/unknown-option', path: `${unknown[1]}${unknown[2]}`, message: `unknown option ${unknown[1]}${unknown[2]} for kiln ${name}`, hint: guess ? `did you mean --${guess}?` : `see kiln ${name} --help` };
    }
    return { code: 'cli/bad-arguments', path: '', message: msg.split('\n')[0]!, hint: `see kiln ${name} --help` };
  }
}
