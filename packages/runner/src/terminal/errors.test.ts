import { describe, expect, it } from 'vitest';
import { clip, excerpt, formatErrors } from './errors.ts';

describe('error excerpts stay one screen', () => {
  it('keeps a short line whole and cuts a long one around the caret', () => {
    expect(excerpt('a: 1', 4, 100)).toEqual({ text: 'a: 1', caret: 4 });
    const line = `${'x'.repeat(5000)}Y${'z'.repeat(5000)}`;
    const cut = excerpt(line, 5001, 100);
    expect(cut.text.length).toBeLessThanOrEqual(106);
    expect(cut.text.startsWith('...') && cut.text.endsWith('...')).toBe(true);
    expect(cut.text[cut.caret - 1]).toBe('Y');
    expect(excerpt(line, 1, 100)).toMatchObject({ caret: 1, text: expect.stringMatching(/^x+\.\.\.$/) });
    const end = excerpt(line, 10_002, 100);
    expect(end.caret).toBe(104);
    expect(end.text).toMatch(/^\.\.\.z+$/);
  });

  it('clips a long message and says how much it left out', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('y'.repeat(30), 10)).toBe(`${'y'.repeat(10)}... (20 more characters)`);
  });

  it('prints a 200,000-character line as a few hundred characters', () => {
    const text = `name: ok\ndescription: ${'d'.repeat(200_000)}\n`;
    const out = formatErrors([{ code: 'spec/x', path: 'description', message: `bad ${'m'.repeat(200_000)}`, hint: 'h'.repeat(200_000), file: 'f.yaml', line: 2, col: 100_000 }], () => text);
    expect(out.length).toBeLessThan(2000);
    const [, , src, caret] = out.split('\n');
    expect(src).toMatch(/^ {2}2 \| \.\.\.d+\.\.\.$/);
    expect(caret!.indexOf('^')).toBeLessThan(120);
  });

  it('clips a huge key in the path and a huge --set override in the location too', () => {
    const key = 'k'.repeat(100_000);
    const out = formatErrors([{ code: 'spec/unknown-key', path: key, message: `unknown key "${key}"`, file: `--set ${key}=1` }], () => undefined);
    expect(out.length).toBeLessThan(2000);
  });
});
