import { parseArgs } from 'node:util';
import type { KilnError } from '@kiln/core/errors';
import { didYouMean } from '@kiln/core/spec/suggest';
import { GLOBAL_OPTIONS, type CommandDef, type OptionDef, type ParsedArgs } from './options.ts';

/** Parses argv against a command's option table; unknown options come back as KilnErrors with a did-you-mean. */
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
      } else options[k] = v as string | boolean | string[];
    }
    return { positionals, options };
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
