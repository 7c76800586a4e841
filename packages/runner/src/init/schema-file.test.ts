import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaFile } from './schema-file.ts';

const root = mkdtempSync(join(tmpdir(), 'kiln-schema-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the pipeline schema for kiln init', () => {
  it('is found in the workspace and beside an installed runner, and is undefined where there is none', () => {
    expect(schemaFile()?.replaceAll('\\', '/')).toMatch(/packages\/core\/schema\/pipeline\.schema\.json$/);
    const kiln = join(root, 'project', 'node_modules', '@kiln');
    mkdirSync(join(kiln, 'core', 'schema'), { recursive: true });
    mkdirSync(join(kiln, 'runner', 'dist'), { recursive: true });
    writeFileSync(join(kiln, 'core', 'schema', 'pipeline.schema.json'), '{}');
    expect(schemaFile(join(kiln, 'runner', 'dist', 'init.js'))).toBe(realpathSync(join(kiln, 'core', 'schema', 'pipeline.schema.json')));
    mkdirSync(join(root, 'alone', 'dist'), { recursive: true });
    expect(schemaFile(join(root, 'alone', 'dist', 'init.js'))).toBeUndefined();
  });
});
