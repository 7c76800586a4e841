/**
 * A throwaway PostgreSQL cluster from the Debian `postgresql` package, for tests and benches:
 * initdb into a temp dir, pg_ctl start on a free loopback port, one database, removed on stop.
 * PostgreSQL refuses to run as root, so as root every server command runs as user `postgres`.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/DB (trust auth on loopback only). */
  readonly url: string;
  readonly port: number;
  /** Creates another empty database in the cluster and returns its URL. */
  createDatabase(name: string): string;
  stop(): void;
}

/** Finds initdb/pg_ctl: $PG_BINDIR, the newest /usr/lib/postgresql/N/bin, then PATH. */
export function pgBinDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    const [newest] = versions;
    if (newest !== undefined) return join(root, newest, 'bin');
  }
  return '';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => userInfo().uid === 0;

/** Runs a server binary, as `postgres` when we are root. */
function pg(bin: string, args: string[]): string {
  const exe = pgBinDir() === '' ? bin : join(pgBinDir(), bin);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
}

function ownDir(dir: string): void {
  if (!isRoot()) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
}

function psql(port: number, sqlText: string): void {
  pg('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', sqlText]);
}

/** Starts a fresh cluster with one database `db`; call stop() to shut it down and delete it. */
export async function startPgCluster(db = 'kiln'): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-pg-'));
  ownDir(dir);
  const data = join(dir, 'data');
  const port = await freePort();
  // fsync off: a throwaway cluster trades durability for speed; the store code is unaffected.
  pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB`;
  pg('pg_ctl', ['-D', data, '-o', serverOpts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    psql(port, `CREATE DATABASE "${db}"`);
  } catch (err) {
    stop();
    throw err;
  }
  const urlFor = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  return {
    url: urlFor(db),
    port,
    createDatabase: (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      psql(port, `CREATE DATABASE "${name}"`);
      return urlFor(name);
    },
    stop,
  };
}
