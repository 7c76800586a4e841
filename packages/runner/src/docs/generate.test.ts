import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED } from './generate.ts';

describe('generated files', () => {
  it.each(Object.keys(GENERATED))('%s is up to date (run `pnpm gen` if this fails)', (path) => {
    const committed = readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
    expect(committed).toBe(GENERATED[path]?.());
  });
});
