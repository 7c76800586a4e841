import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsFolderProblem } from './folder-option.ts';

describe('artifactsFolderProblem', () => {
  it('accepts a folder or a path still to be made, and refuses a file or nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-artifacts-option-'));
    writeFileSync(join(dir, 'file'), '');
    expect(artifactsFolderProblem(dir, '--artifacts')).toBeUndefined();
    expect(artifactsFolderProblem(join(dir, 'new', 'deeper'), '--artifacts')).toBeUndefined();
    expect(artifactsFolderProblem(join(dir, 'file'), 'KILN_ARTIFACTS')).toEqual({
      code: 'cli/bad-option',
      path: 'KILN_ARTIFACTS',
      message: `KILN_ARTIFACTS names ${join(dir, 'file')}, which is a file, not a folder`,
      hint: 'name a folder (it is created if missing) that every machine using the store can read',
    });
    expect(artifactsFolderProblem(' ', '--artifacts')).toMatchObject({ code: 'cli/bad-option', message: '--artifacts is empty' });
  });
});
