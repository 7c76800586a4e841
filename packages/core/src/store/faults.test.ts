import { describe, expect, it } from 'vitest';
import { causeChain, storeFault, storeLabel } from './faults.ts';
import { compareSchema, newerSchemaFault } from './schema-version.ts';
import { fileURLToPath } from 'node:url';

const coded = (message: string, code: string, cause?: unknown) => Object.assign(new Error(message, cause === undefined ? {} : { cause }), { code });

describe('storeFault', () => {
  it('finds SQLITE_FULL under drizzle\'s "Failed query" wrapper and keeps the chain', () => {
    const driver = coded('SQLITE_FULL: database or disk is full', 'SQLITE_FULL');
    const wrapped = new Error('Failed query: update "runs" set "status" = ?\nparams: crashed', { cause: driver });
    const fault = storeFault(wrapped, '/data/kiln.db');
    expect(fault?.errors[0]).toMatchObject({ code: 'store/disk-full', file: '/data/kiln.db', message: 'the disk holding the store is full (SQLITE_FULL: database or disk is full)' });
    expect(causeChain(fault?.cause)).toEqual([wrapped, driver]);
  });

  it.each([
    [coded('SQLITE_READONLY: attempt to write a readonly database', 'SQLITE_READONLY'), 'store/read-only'],
    [coded('EROFS: read-only file system', 'EROFS'), 'store/read-only'],
    [coded('file is not a database', 'SQLITE_NOTADB'), 'store/cannot-open'],
    [new Error('ConnectionFailed("Unable to open connection to local database /x/kiln.db: 14")'), 'store/cannot-open'],
    [coded('could not extend file: No space left on device', '53100'), 'store/disk-full'],
    [coded('cannot execute INSERT in a read-only transaction', '25006'), 'store/read-only'],
    [coded('permission denied for table runs', '42501'), 'store/read-only'],
  ])('%s -> %s', (err, code) => {
    expect(storeFault(err, 'where')?.errors[0]?.code).toBe(code);
  });

  it('leaves other errors alone', () => {
    expect(storeFault(new Error('no such column: foo'), 'where')).toBeUndefined();
    expect(storeFault('text', 'where')).toBeUndefined();
  });

  it('names a file store by its path and a server without its password', () => {
    expect(storeLabel('file:///w/.kiln/kiln.db')).toBe('/w/.kiln/kiln.db');
    expect(storeLabel('postgres://u:pw@h/db')).toBe('postgres://u:***@h/db');
  });
});

describe('compareSchema', () => {
  const folder = fileURLToPath(new URL('../../drizzle/sqlite', import.meta.url));
  const known = compareSchema(folder, []);

  it('an empty store has every migration pending', () => {
    expect(known.pending).toBe(known.known);
    expect(known.unknown).toEqual([]);
  });

  it('a migration newer than any shipped one is refused with both versions', () => {
    const state = compareSchema(folder, [{ hash: 'x', createdAt: Date.UTC(2031, 0, 1) }]);
    expect(state.unknown).toHaveLength(1);
    const fault = newerSchemaFault(state, '/s/kiln.db');
    expect(fault?.errors[0]?.code).toBe('store/newer-schema');
    expect(fault?.errors[0]?.message).toContain(`is version 1 (its last migration is from 2031-01-01T00:00:00.000Z), newer than this Kiln's version ${known.known} (${known.latestKnown})`);
  });
});
