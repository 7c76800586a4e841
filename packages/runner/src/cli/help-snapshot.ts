import { renderCommandHelp, renderMainHelp } from './help.ts';
import { ALIASES, COMMANDS } from './options.ts';

/**
 * Every help screen, rendered ahead of time (by `pnpm gen`) into generated/help.json, so that
 * bin/kiln.mjs can answer `kiln --help` without loading the TypeScript loader at all.
 */
export function renderHelpSnapshot(version: string): string {
  const commands = Object.fromEntries(Object.entries(COMMANDS).map(([name, def]) => [name, `${renderCommandHelp(name, def)}\n`]));
  return `${JSON.stringify({ main: `${renderMainHelp(version)}\n`, commands, aliases: ALIASES }, null, 2)}\n`;
}
