import { readFileSync } from 'node:fs';
import { packagePath } from '@kiln/core/paths';
import { didYouMean } from '@kiln/core/spec/suggest';
import { EXIT, fail, reportThrown } from './exit.ts';
import { renderCommandHelp, renderMainHelp } from './help.ts';
import { ALIASES, COMMANDS } from './options.ts';

/** The Kiln version, from the runner's package.json. */
export function kilnVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath(import.meta.url, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
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
  const call = def.parse(rest);
  if ('code' in call) return fail([call]);
  if (call.help) {
    process.stdout.write(`${renderCommandHelp(name, def)}\n`);
    return EXIT.ok;
  }
  try {
    return await call.run();
  } catch (e) {
    return await reportThrown(name, e, call.store);
  }
}
