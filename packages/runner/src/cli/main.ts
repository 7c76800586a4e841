import { readFileSync } from 'node:fs';
import { KilnFailure, type KilnError } from '@kiln/core/errors';
import { packagePath } from '@kiln/core/paths';
import { didYouMean } from '@kiln/core/spec/suggest';
import { parseCommandArgs } from './args.ts';
import { renderCommandHelp, renderMainHelp } from './help.ts';
import { ALIASES, COMMANDS } from './options.ts';
import { formatErrors } from './report.ts';

/** Exit codes: 0 ok, 1 a run or command failed, 2 bad input (spec, data, arguments). */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** The Kiln version, from the runner's package.json. */
export function kilnVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath(import.meta.url, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function fail(errors: KilnError[]): number {
  process.stderr.write(`${formatErrors(errors)}\n`);
  return EXIT.badInput;
}

/** Runs the CLI for argv (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    const cmd = topic ? COMMANDS[ALIASES[topic] ?? topic] : undefined;
    process.stdout.write(`${cmd && topic ? renderCommandHelp(topic, cmd) : renderMainHelp(kilnVersion())}\n`);
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${kilnVersion()}\n`);
    return EXIT.ok;
  }
  const name = ALIASES[first] ?? first;
  const def = COMMANDS[name];
  if (!def) {
    const guess = didYouMean(first, [...Object.keys(COMMANDS), ...Object.keys(ALIASES)]);
    return fail([{ code: 'cli/unknown-command', path: '', message: `unknown command "${first}"`, hint: guess ? `did you mean "kiln ${guess}"?` : 'run kiln --help for the list of commands' }]);
  }
  const parsed = parseCommandArgs(name, def, rest);
  if ('code' in parsed) return fail([parsed]);
  if (parsed.options.help) {
    process.stdout.write(`${renderCommandHelp(name, def)}\n`);
    return EXIT.ok;
  }
  try {
    const mod = await def.load();
    return await mod.run(parsed);
  } catch (e) {
    if (e instanceof KilnFailure) return fail(e.errors);
    const err = e as Error;
    process.stderr.write(`kiln ${name}: ${err.message}\n`);
    if (process.env.KILN_DEBUG) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('  (set KILN_DEBUG=1 to see the stack trace)\n');
    return EXIT.failed;
  }
}
