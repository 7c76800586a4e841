#!/usr/bin/env node
// The `kiln` binary: runs the built CLI (dist/, made by `pnpm build`, which `pnpm install` runs).
// Help screens (pre-rendered by `pnpm gen`) and the version are answered here, before any import.
import { readFileSync } from 'node:fs';

const read = (rel) => readFileSync(new URL(rel, import.meta.url), 'utf8');

/** The pre-rendered help screen `args` ask for, if they ask for one. */
function preRenderedHelp(args) {
  const isHelp = (a) => a === '--help' || a === '-h';
  let topic;
  if (args.length === 0 || (args.length === 1 && isHelp(args[0]))) topic = '';
  else if (args.length === 2 && args[0] === 'help') topic = args[1];
  else if (args.length === 2 && isHelp(args[1])) topic = args[0];
  else return undefined;
  try {
    const help = JSON.parse(read('../src/cli/generated/help.json'));
    return topic === '' ? help.main : help.commands[help.aliases[topic] ?? topic];
  } catch {
    return undefined;
  }
}

const args = process.argv.slice(2);
const help = preRenderedHelp(args);
if (help !== undefined) {
  process.stdout.write(help);
} else if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${JSON.parse(read('../package.json')).version}\n`);
} else {
  const entry = new URL('../dist/cli/bin.js', import.meta.url);
  try {
    await import(entry.href);
  } catch (err) {
    // Only a missing build gets this answer; any other failure is the CLI's own to report.
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes(entry.pathname)) throw err;
    process.stderr.write('kiln: the CLI is not built (no dist/cli/bin.js); run `pnpm build` at the repository root\n');
    process.exit(1);
  }
}
