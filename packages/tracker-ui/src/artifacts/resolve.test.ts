import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lexicalProblem, resolveArtifact } from './resolve.ts';

function layout() {
  const root = mkdtempSync(join(tmpdir(), 'kiln-art-root-'));
  mkdirSync(join(root, 'run1', 'sub'), { recursive: true });
  mkdirSync(join(root, 'run2'), { recursive: true });
  writeFileSync(join(root, 'run1', 'model.json'), '{"ok":1}');
  writeFileSync(join(root, 'run1', 'sub', 'w.bin'), 'abc');
  writeFileSync(join(root, 'run2', 'secret.txt'), 'other run');
  const outside = mkdtempSync(join(tmpdir(), 'kiln-outside-'));
  writeFileSync(join(outside, 'passwd'), 'root:x:0:0');
  symlinkSync(join(outside, 'passwd'), join(root, 'run1', 'link-out'));
  symlinkSync(join(root, 'run2', 'secret.txt'), join(root, 'run1', 'link-sibling'));
  symlinkSync(join(root, 'run1', 'model.json'), join(root, 'run1', 'link-in'));
  return { root, outside };
}

describe('resolveArtifact', () => {
  it('serves files inside the run folder, including nested ones and symlinks that stay inside', async () => {
    const { root } = layout();
    expect(await resolveArtifact(root, 'run1', 'model.json')).toMatchObject({ ok: true, size: 8 });
    expect(await resolveArtifact(root, 'run1', 'sub/w.bin')).toMatchObject({ ok: true, size: 3 });
    expect(await resolveArtifact(root, 'run1', 'link-in')).toMatchObject({ ok: true });
  });

  it('rejects dot segments, absolute paths, backslashes, NUL and still-encoded dots', async () => {
    const { root, outside } = layout();
    for (const rel of ['../run2/secret.txt', 'sub/../../run2/secret.txt', '..', './model.json', `${outside}/passwd`, '/etc/passwd', 'C:/x', '..\\run2\\secret.txt', 'model.json\0', '%2e%2e/run2/secret.txt', 'sub//w.bin', '']) {
      const r = await resolveArtifact(root, 'run1', rel);
      expect(r.ok, rel).toBe(false);
      if (!r.ok) expect(r.status).toBe(400);
    }
  });

  it('rejects symlinks that point out of the run folder (realpath check)', async () => {
    const { root } = layout();
    expect(await resolveArtifact(root, 'run1', 'link-out')).toMatchObject({ ok: false, status: 400, reason: 'path leaves the run folder' });
    expect(await resolveArtifact(root, 'run1', 'link-sibling')).toMatchObject({ ok: false, status: 400 });
  });

  it('rejects malformed run ids and reports missing files as 404', async () => {
    const { root } = layout();
    expect(await resolveArtifact(root, '..', 'run2/secret.txt')).toMatchObject({ ok: false, status: 400 });
    expect(await resolveArtifact(root, 'run1', 'missing.bin')).toMatchObject({ ok: false, status: 404 });
    expect(await resolveArtifact(root, 'run1', 'sub')).toMatchObject({ ok: false, status: 404 });
  });

  it('names what is wrong lexically', () => {
    expect(lexicalProblem('a/../b')).toBe('dot or empty segment');
    expect(lexicalProblem('/abs')).toBe('absolute path');
    expect(lexicalProblem('ok/file.txt')).toBeNull();
  });
});
