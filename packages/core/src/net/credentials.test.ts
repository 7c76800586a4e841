import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KilnFailure } from '../errors.ts';
import { authorized, isLoopback, loadCredentials, presentedSecret, refusal } from './credentials.ts';

const TOKEN = '0123456789abcdef0123';
const SOURCES = { envNames: ['KILN_UI_TOKEN', 'KILN_TOKEN'], fileOption: '--token-file' } as const;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function errorOf(f: () => unknown): { code: string; message: string; hint?: string; path: string; file?: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof KilnFailure && e.errors[0] !== undefined) return e.errors[0];
    throw e;
  }
  throw new Error('expected a KilnFailure');
}

describe('loadCredentials', () => {
  it('takes the file over the environment, and the first environment variable set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-token-'));
    const file = join(dir, 'ui.token');
    writeFileSync(file, `${TOKEN}\n`);
    const fromFile = loadCredentials({ ...SOURCES, tokenFile: file, env: { KILN_UI_TOKEN: 'x'.repeat(20) } });
    expect(fromFile?.source).toBe(`the token file ${file}`);
    expect(fromFile && authorized(`Bearer ${TOKEN}`, fromFile)).toBe(true);
    expect(loadCredentials({ ...SOURCES, env: { KILN_TOKEN: TOKEN } })?.source).toBe('$KILN_TOKEN');
    expect(loadCredentials({ ...SOURCES, env: { KILN_UI_TOKEN: TOKEN, KILN_TOKEN: 'y'.repeat(20) } })?.source).toBe('$KILN_UI_TOKEN');
    expect(loadCredentials({ ...SOURCES, env: {} })).toBeUndefined();
  });

  it('refuses a missing file, an empty, short or spaced token, never quoting the token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-token-'));
    expect(errorOf(() => loadCredentials({ ...SOURCES, tokenFile: join(dir, 'nope'), env: {} }))).toMatchObject({ code: 'auth/token-file', path: '--token-file', file: join(dir, 'nope'), message: `cannot read the token file ${join(dir, 'nope')}: it does not exist` });
    writeFileSync(join(dir, 'empty'), '\n');
    expect(errorOf(() => loadCredentials({ ...SOURCES, tokenFile: join(dir, 'empty'), env: {} })).code).toBe('auth/empty-token');
    const short = errorOf(() => loadCredentials({ ...SOURCES, env: { KILN_UI_TOKEN: 'hunter2' } }));
    expect(short).toMatchObject({ code: 'auth/weak-token', path: 'KILN_UI_TOKEN', message: 'the token in $KILN_UI_TOKEN is 7 characters long; at least 16 are required' });
    expect(JSON.stringify(short)).not.toContain('hunter2');
    expect(errorOf(() => loadCredentials({ ...SOURCES, env: { KILN_UI_TOKEN: 'secret with spaces in it' } })).code).toBe('auth/bad-token');
  });
});

describe('refusal', () => {
  it('allows loopback without a token and anything with one; refuses other hosts without', () => {
    const creds = loadCredentials({ ...SOURCES, env: { KILN_UI_TOKEN: TOKEN } });
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) expect(refusal(host, undefined, 'kiln ui', SOURCES)).toBeUndefined();
    expect(refusal('0.0.0.0', creds, 'kiln ui', SOURCES)).toBeUndefined();
    expect(refusal('0.0.0.0', undefined, 'kiln ui', SOURCES)).toMatchObject({ code: 'auth/token-required', path: '--host', hint: expect.stringContaining('set $KILN_UI_TOKEN or $KILN_TOKEN') });
    expect(isLoopback('192.168.1.5')).toBe(false);
  });
});

describe('authorized', () => {
  const creds = loadCredentials({ ...SOURCES, env: { KILN_UI_TOKEN: TOKEN } });
  it('accepts the token as a bearer token or a basic-auth password (any user), nothing else', () => {
    if (creds === undefined) throw new Error('no credentials');
    expect(authorized(`Bearer ${TOKEN}`, creds)).toBe(true);
    expect(authorized(`bearer ${TOKEN}`, creds)).toBe(true);
    expect(authorized(basic('alice', TOKEN), creds)).toBe(true);
    expect(authorized(basic('', TOKEN), creds)).toBe(true);
    for (const wrong of [undefined, '', 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Token ${TOKEN}`, basic(TOKEN, 'nope'), `Basic ${Buffer.from(TOKEN).toString('base64')}`, TOKEN]) {
      expect(authorized(wrong, creds), String(wrong)).toBe(false);
    }
  });

  it('reads the secret out of either scheme', () => {
    expect(presentedSecret('Basic ' + Buffer.from('u:p:q').toString('base64'))).toBe('p:q');
    expect(presentedSecret('Bearer abc')).toBe('abc');
    expect(presentedSecret('Digest x')).toBeUndefined();
  });
});
