#!/usr/bin/env node
// Process entry of the UI server that `kiln ui` starts: the built src/main.ts (`pnpm build`).
await import('../dist/main.js');
