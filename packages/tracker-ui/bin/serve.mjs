#!/usr/bin/env node
// Runs the UI server's TypeScript entry through tsx's loader (no build step), like bin/kiln.mjs.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// tsx looks for tsconfig.json in the working directory; Kiln runs from anywhere, so name ours.
process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
register();
await import('../src/main.ts');
