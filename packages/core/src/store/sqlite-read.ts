/**
 * Opening a SQLite store for reading only, so `kiln runs` and the UI work on a full disk, in a
 * read-only folder and on a read-only file. A WAL database needs its `-shm` index file; where
 * SQLite cannot create it (read-only folder, full disk) the plain read-only open fails, so:
 * with no unmerged commits in `-wal`, the main file alone is the store and `immutable=1` reads it;
 * otherwise the file and its `-wal` are copied to a temporary folder and read there.
 */
import { _createClient } from '@libsql/client/sqlite3';
import type { Client } from '@libsql/client';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { causeChain } from './faults.ts';

type ExpandedConfig = Parameters<typeof _createClient>[0];

/** A libsql client on a SQLite URI filename (`file:///x.db?mode=ro`), which createClient's URL parser refuses. */
function uriClient(uri: string): Client {
  const config: ExpandedConfig = {
    scheme: 'file',
    tls: false,
    authority: undefined,
    path: uri,
    authToken: undefined,
    encryptionKey: undefined,
    syncUrl: undefined,
    syncInterval: undefined,
    readYourWrites: undefined,
    offline: undefined,
    intMode: 'number',
    fetch: undefined,
    concurrency: 20,
  };
  return _createClient(config);
}

/** Open failures that come from the -shm index file, not from the database itself. */
const SHM_TROUBLE = /^SQLITE_(CANTOPEN|IOERR|FULL|READONLY)/;

function isShmTrouble(err: unknown): boolean {
  return causeChain(err).some((e) => SHM_TROUBLE.test(String((e as Error & { code?: unknown }).code ?? '')));
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

/** Opens the client and reads the schema once, which is when SQLite first touches the WAL index. */
async function probe(uri: string): Promise<Client> {
  const client = uriClient(uri);
  try {
    await client.execute('SELECT count(*) FROM sqlite_master');
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}

export interface ReadOnlyClient {
  client: Client;
  /** Removes a temporary copy, if one was made. */
  cleanup: () => void;
}

/** Opens an existing SQLite store file read-only; throws the driver's error when it cannot be read at all. */
export async function openSqliteReadOnly(url: string): Promise<ReadOnlyClient> {
  const path = fileURLToPath(url.split('?')[0] ?? url);
  const uri = pathToFileURL(path).href;
  try {
    return { client: await probe(`${uri}?mode=ro`), cleanup: () => undefined };
  } catch (err) {
    if (!isShmTrouble(err)) throw err;
    if (walBytes(path) === 0) return { client: await probe(`${uri}?immutable=1`), cleanup: () => undefined };
    return openCopy(path, err);
  }
}

/** Copies the file and its -wal elsewhere and reads the copy; if even that fails, the original error stands. */
async function openCopy(path: string, original: unknown): Promise<ReadOnlyClient> {
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'kiln-read-'));
    const copy = join(dir, basename(path));
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    const client = await probe(pathToFileURL(copy).href);
    await client.execute('PRAGMA query_only = ON');
    const made = dir;
    const remove = () => rmSync(made, { recursive: true, force: true });
    // a long-lived reader (the UI) may end by a signal without closing the store: the copy goes too
    process.once('exit', remove);
    return {
      client,
      cleanup: () => {
        process.off('exit', remove);
        remove();
      },
    };
  } catch {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    throw original;
  }
}
