import { KilnFailure } from '@kiln/core/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT, exitCodeFor, reportThrown, usageError } from './exit.ts';

const err = (code: string) => ({ code, path: '', message: code });

afterEach(() => vi.restoreAllMocks());

describe('exit codes', () => {
  it.each([
    [['cli/bad-option'], EXIT.badInput],
    [['spec/unknown-key'], EXIT.badInput],
    [['store/filter'], EXIT.badInput],
    [['store/cannot-open'], EXIT.badInput],
    [['store/disk-full'], EXIT.failed],
    [['store/run-running'], EXIT.failed],
    [['cli/bad-option', 'store/read-only'], EXIT.failed],
  ])('%j -> %i', (codes, exit) => {
    expect(exitCodeFor(codes.map(err))).toBe(exit);
  });

  it('a thrown usage error exits 2, anything that is not a KilnFailure 1', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await reportThrown('show', usageError('cli/missing-argument', '', 'kiln show needs a run id'), undefined)).toBe(EXIT.badInput);
    expect(await reportThrown('show', new KilnFailure(err('store/disk-full')), undefined)).toBe(EXIT.failed);
    expect(await reportThrown('show', new Error('boom'), undefined)).toBe(EXIT.failed);
  });
});
