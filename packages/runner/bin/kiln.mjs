#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so the workspace needs no build step.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Help screens come pre-rendered (pnpm gen), so `kiln --help` skips the loader's start-up cost. */
function preRenderedHelp(args) {
  const isHelp = (a) => a === '--help' || a === '-h';
  let topic;
  if (args.length === 0 || (args.length === 1 && isHelp(args[0]))) topic = '';
  else if (args.length === 2 && args[0] === 'help') topic = args[1];
  else if (args.length === 2 && isHelp(args[1])) topic = args[0];
  else return undefined;
  try {
    const help = JSON.parse(readFileSync(new URL('../src/cli/generated/help.json', import.meta.url), 'utf8'));
    return topic === '' ? help.main : help.commands[help.aliases[topic] ?? topic];
  } catch {
    return undefined;
  }
}

const help = preRenderedHelp(process.argv.slice(2));
if (help !== undefined) {
  process.stdout.write(help);
} else {
  const { register } = await import('tsx/esm/api');
  // tsx looks for tsconfig.json in the working directory; Kiln runs from anywhere, so name ours.
  process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
  register();
  await import('../src/cli/bin.ts');
}
