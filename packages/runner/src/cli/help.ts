import { ALIASES, COMMANDS, GLOBAL_OPTIONS, type CommandDef, type OptionDef } from './options.ts';

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(1, n - s.length));

function optionLines(options: Record<string, OptionDef>): string[] {
  const rows = Object.entries(options).map(([k, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${k}${o.type === 'boolean' ? '' : ` ${o.value ?? o.type.toUpperCase().replace('[]', '')}`}`;
    const extra = 'default' in o && o.default !== undefined ? ` (default: ${String(o.default)})` : o.type === 'string[]' ? ' (repeatable)' : '';
    return [flag, o.description + extra] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, d]) => `  ${pad(f, width)}${d}`);
}

/** `kiln --help`. */
export function renderMainHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  const aliases = Object.entries(ALIASES).map(([a, c]) => `${a} = ${c}`).join(', ');
  return [
    `kiln ${version}: declarative ML pipelines on TensorFlow.js, tracked in SQL`,
    '',
    'Usage: kiln <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${pad(name, width)}${c.summary}`),
    ...(aliases ? ['', `Aliases: ${aliases}`] : []),
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run kiln <command> --help for the options of one command.',
  ].join('\n');
}

/** `kiln <command> --help`. */
export function renderCommandHelp(name: string, def: CommandDef): string {
  return [
    `kiln ${name}: ${def.summary}`,
    '',
    `Usage: kiln ${name}${def.args.length ? ` ${def.args.join(' ')}` : ''}${Object.keys(def.options).length ? ' [options]' : ''}`,
    ...(Object.keys(def.options).length ? ['', 'Options:', ...optionLines({ ...def.options, ...GLOBAL_OPTIONS })] : []),
    ...(def.examples?.length ? ['', 'Examples:', ...def.examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}
