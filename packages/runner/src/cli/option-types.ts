/**
 * What an option table is, and the typed values parsing it gives: each command's `args.options` is
 * computed from its own table, so a command reads `o.limit` as a number, `o.format` as 'csv' | 'json'.
 */
import type { KilnError } from '@kiln/core/errors';

interface OptionBase {
  description: string;
  short?: string;
  /** Placeholder shown in --help, e.g. URL. */
  value?: string;
}

/** One option: its type decides how argv is read and what type the command gets. */
export type OptionDef =
  | (OptionBase & { type: 'boolean' })
  | (OptionBase & { type: 'number'; default?: number })
  | (OptionBase & {
      type: 'string';
      default?: string;
      /** The only values accepted; anything else is a usage error (exit 2) before the command runs. */
      choices?: readonly string[];
    })
  /** Repeatable: every occurrence, in order. */
  | (OptionBase & { type: 'string[]' });

export type OptionType = OptionDef['type'];
export type OptionTable = Readonly<Record<string, OptionDef>>;

/** The value one option parses to: a string option with choices gives their union. */
export type OptionValue<D extends OptionDef> = D extends { type: 'boolean' }
  ? boolean
  : D extends { type: 'number' }
    ? number
    : D extends { type: 'string[]' }
      ? string[]
      : D extends { choices: readonly (infer C)[] }
        ? C
        : string;

/** Options that always have a value: flags (false when absent), lists (empty) and options with a default. */
type AlwaysSet<D extends OptionDef> = D extends { type: 'boolean' | 'string[]' } ? true : D extends { default: string | number } ? true : false;

/** The parsed values of a table: every key present, undefined only where the option was not given and has no default. */
export type OptionValues<O> = {
  -readonly [K in keyof O]: O[K] extends OptionDef ? OptionValue<O[K]> | (AlwaysSet<O[K]> extends true ? never : undefined) : never;
};

/** The parsed values of any table, before they are narrowed to one command's. */
export type AnyOptionValues = Record<string, string | number | boolean | string[] | undefined>;

/** A command line parsed against table O (and the global options). */
export interface ParsedArgs<O> {
  positionals: string[];
  options: OptionValues<O>;
}

/** A parsed command line, ready to run: the command module is loaded only by run(). */
export interface Invocation {
  /** --help was given: show the command's help instead of running it. */
  help: boolean;
  /** --store as given, for locating store faults in the error report. */
  store: string | undefined;
  run: () => Promise<number>;
}

/** A command as main() and --help see it, whatever its option table. */
export interface CommandDef {
  summary: string;
  /**
   * Positional arguments as shown in usage, e.g. ['FILE...']; parsing checks them too: `[X]` is
   * optional, `X` required and `X...` one or more; a bare word list `a | b` is a required choice.
   */
  args: readonly string[];
  options: OptionTable;
  examples?: readonly string[];
  /** Parses argv (after the command name) against the table: the call to run, or the usage error. */
  parse: (argv: string[]) => Invocation | KilnError;
}
