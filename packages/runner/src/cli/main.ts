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

/**
 * Exit code by error code: a store that cannot be used (full disk, read-only, newer schema, a run
 * still running) made the command fail (1); a store path that cannot be opened, like every other
 * usage, spec or data problem, is bad input (2).
 */
const EXIT_BY_CODE: [RegExp, number][] = [
  [/^store\/cannot-open$/, EXIT.badInput],
  [/^store\//, EXIT.failed],
];

function exitCodeFor(errors: KilnError[]): number {
  const codes = errors.map((e) => EXIT_BY_CODE.find(([re]) => re.test(e.code))?.[1] ?? EXIT.badInput);
  return Math.min(...codes, EXIT.badInput);
}

function fail(errors: KilnError[]): number {
  process.stderr.write(`${formatErrors(errors)}\n`);
  return exitCodeFor(errors);
}

/** The one place a command's error becomes output and an exit code; store faults are found anywhere in the cause chain. */
async function report(name: string, e: unknown, store: string | undefined): Promise<number> {
  // loaded here, not at the top: commands that never touch a store should not pay for it at start-up
  const { causeChain, resolveStoreUrl, storeFault, storeLabel } = await import('@kiln/core/store');
  const failure = e instanceof KilnFailure ? e : storeFault(e, storeLabel(resolveStoreUrl(store)));
  if (!failure) process.stderr.write(`kiln ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
  const code = failure ? fail(failure.errors) : EXIT.failed;
  const chain = failure ? causeChain(failure.cause) : causeChain(e);
  if (chain.length === 0) return code;
  if (process.env.KILN_DEBUG) {
    for (const c of chain.slice(failure ? 0 : 1)) process.stderr.write(`caused by ${c.name}: ${c.message}\n`);
    process.stderr.write(`${chain.at(-1)?.stack ?? ''}\n`);
  } else process.stderr.write('  (set KILN_DEBUG=1 to see the cause and the stack trace)\n');
  return code;
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
    return await report(name, e, typeof parsed.options.store === 'string' ? parsed.options.store : undefined);
  }
}
