import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hostileFixture, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
let secret: string;
beforeAll(async () => {
  f = await hostileFixture();
  const outside = mkdtempSync(join(tmpdir(), 'kiln-secret-'));
  secret = join(outside, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET');
  symlinkSync(secret, join(f.store.artifactsDir, f.evil, 'escape.json'));
});
afterAll(() => f.store.close());

describe('GET /runs/:id/artifacts/*', () => {
  it('downloads a logged artifact as an attachment', async () => {
    const r = await get(f.app, `/runs/${f.evil}/artifacts/confusion.json`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="confusion.json"');
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(r.text).toBe(readFileSync(join(f.store.artifactsDir, f.evil, 'confusion.json'), 'utf8'));
  });

  it('never serves anything outside the run folder, however the path is spelled', async () => {
    const otherRun = f.plain[0];
    writeFileSync(join(f.store.artifactsDir, '..', 'kiln-note.txt'), 'TOP-SECRET');
    const attempts = [
      `/runs/${f.evil}/artifacts/../../kiln.db`,
      `/runs/${f.evil}/artifacts/%2e%2e/%2e%2e/kiln.db`,
      `/runs/${f.evil}/artifacts/%2E%2E%2F%2E%2E%2Fkiln-note.txt`,
      `/runs/${f.evil}/artifacts/..%2f..%2fkiln-note.txt`,
      `/runs/${f.evil}/artifacts/%252e%252e%252fkiln-note.txt`,
      `/runs/${f.evil}/artifacts/%2Fetc%2Fpasswd`,
      `/runs/${f.evil}/artifacts/${encodeURIComponent(secret)}`,
      `/runs/${f.evil}/artifacts/..%5c..%5ckiln-note.txt`,
      `/runs/${f.evil}/artifacts/escape.json`,
      `/runs/${f.evil}/artifacts/confusion.json%00.txt`,
      `/runs/..%2f${otherRun}/artifacts/x`,
      `/runs/${otherRun}/artifacts/..%2f${f.evil}%2fconfusion.json`,
    ];
    for (const path of attempts) {
      const r = await get(f.app, path);
      expect([400, 404], path).toContain(r.status);
      expect(r.text, path).not.toContain('TOP-SECRET');
      expect(r.text, path).not.toContain('root:');
      expect(r.text, path).not.toContain('SQLite format');
    }
    const symlinked = await get(f.app, `/runs/${f.evil}/artifacts/escape.json`);
    expect(symlinked.status).toBe(400);
    expect(symlinked.text).toContain('leaves the run folder');
  });
});
