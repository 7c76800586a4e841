import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packagePath, packageRoot } from './paths.ts';

describe('packageRoot', () => {
  it('finds the same root from a source file and from a bundle one level deep', () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-paths-'));
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'src', 'store'), { recursive: true });
    mkdirSync(join(root, 'dist'));
    expect(packageRoot(pathToFileURL(join(root, 'src', 'store', 'dialect.ts')).href)).toBe(root);
    expect(packageRoot(pathToFileURL(join(root, 'dist', 'chunk-abc.js')).href)).toBe(root);
  });

  it("resolves core's own migration folder", () => {
    expect(existsSync(packagePath(import.meta.url, 'drizzle', 'sqlite'))).toBe(true);
  });
});
