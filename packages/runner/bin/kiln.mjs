#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so the workspace needs no build step.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// tsx looks for tsconfig.json in the working directory; Kiln runs from anywhere, so name ours.
process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
register();
await import('../src/cli/bin.ts');
