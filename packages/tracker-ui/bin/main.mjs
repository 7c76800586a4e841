#!/usr/bin/env node
// Entry the CLI's `kiln ui` spawns: registers tsx's loader (the workspace has no build step), then serves.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// The JSX settings (jsxImportSource hono/jsx) live in the root tsconfig; name it so any cwd works.
process.env.TSX_TSCONFIG_PATH ??= fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
register();
await import('../src/main.ts');
