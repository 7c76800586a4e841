/**
 * The CLI's commands and options, defined once: parsing, `--help` and the README's CLI reference
 * all come from this table.
 */
export type OptionType = 'boolean' | 'string' | 'number' | 'string[]';

export interface OptionDef {
  type: OptionType;
  description: string;
  short?: string;
  default?: string | number | boolean;
  /** Placeholder shown in --help, e.g. URL. */
  value?: string;
}

export interface CommandDef {
  summary: string;
  /** Positional arguments as shown in usage, e.g. ['FILE...']. */
  args: string[];
  options: Record<string, OptionDef>;
  examples?: string[];
  /** Loaded lazily so `kiln --help` does not pay for tfjs or the store. */
  load: () => Promise<{ run: (args: ParsedArgs) => Promise<number> }>;
}

/** The result of parsing one command line against its command's table. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | number | boolean | string[] | undefined>;
}

const store: OptionDef = { type: 'string', value: 'URL', description: 'Tracking store: a path, file:, libsql:// or http:// URL (default .kiln/kiln.db, or $KILN_STORE).' };
const set: OptionDef = { type: 'string[]', value: 'PATH=VALUE', description: 'Override a spec field, typed and validated like the file (repeatable), e.g. --set train.epochs=5.' };
const json: OptionDef = { type: 'boolean', description: 'Print a machine-readable result as JSON on stdout.' };
const quiet: OptionDef = { type: 'boolean', short: 'q', description: 'Print nothing but errors.' };

export const DEFAULT_PIPELINE = 'pipelines/penguins-mlp.yaml';

export const COMMANDS: Record<string, CommandDef> = {
  train: {
    summary: 'Validate and train a pipeline, tracking the run in the store.',
    args: ['[FILE]'],
    options: { set, store, quiet, json },
    examples: ['kiln train pipelines/mnist-cnn.yaml', 'kiln train pipelines/penguins-mlp.yaml --set train.epochs=20'],
    load: () => import('./commands/train.ts'),
  },
  validate: {
    summary: 'Check pipeline files against the schema and the cross-field rules.',
    args: ['FILE...'],
    options: { set, json },
    examples: ['kiln validate pipelines/*.yaml'],
    load: () => import('./commands/validate.ts'),
  },
  schema: {
    summary: 'Print the pipeline JSON Schema.',
    args: [],
    options: {},
    load: () => import('./commands/schema.ts'),
  },
};

export const ALIASES: Record<string, string> = { pipeline: 'train' };

/** Global options accepted before or after any command. */
export const GLOBAL_OPTIONS: Record<string, OptionDef> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for kiln or a command.' },
  version: { type: 'boolean', short: 'v', description: 'Print the Kiln version.' },
};
