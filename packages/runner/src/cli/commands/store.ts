import { collectBlobs, copyArtifacts, copyStore, openStore, type ArtifactCopyReport, type Store, type TableReport } from '@kiln/core/store';
import { renderTable } from '../../terminal/table.ts';
import { EXIT, usageError } from '../exit.ts';
import type { Args } from '../options.ts';

type StoreArgs = Args<'store'>;
type Sub = (args: StoreArgs) => Promise<number>;

/** `kiln store migrate`: opening a store applies its dialect's pending migrations (under a lock). */
async function migrate(args: StoreArgs): Promise<number> {
  const store = await openStore(args.options.store);
  try {
    const more = await store.conn.migrate(store.conn.migrationsDir);
    if (!args.options.quiet) process.stdout.write(`${store.displayUrl} (${store.dialect}): schema up to date${more > 0 ? `, ${more} applied` : ''}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

function required(args: StoreArgs, name: 'from' | 'to'): string {
  const v = args.options[name];
  if (v !== undefined && v !== '') return v;
  throw usageError('cli/missing-argument', `--${name}`, `kiln store copy needs --${name}`, 'kiln store copy --from .kiln/kiln.db --to postgres://user@host:5432/kiln');
}

/** `kiln store copy --from A --to B`: every table, then counts and checksums per table; fails on any mismatch. */
async function copy(args: StoreArgs): Promise<number> {
  const stores: Store[] = [];
  try {
    // the source is only read: a read-only backup or a store on a full disk can be copied out
    const from = await openStore(required(args, 'from'), { mode: 'read' });
    stores.push(from);
    const toArtifacts = args.options['to-artifacts'];
    const to = await openStore(required(args, 'to'), toArtifacts === undefined ? {} : { artifactsDir: toArtifacts });
    stores.push(to);
    const reports = await copyStore(from, to);
    // Artifacts follow the rows, into wherever the target keeps them, each checked against its sha256.
    const artifacts = reports.every((r) => r.ok) ? await copyArtifacts(from, to) : undefined;
    printReports(args, from, to, reports, artifacts);
    return reports.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
  } finally {
    for (const s of stores) s.close();
  }
}

function printReports(args: StoreArgs, from: Store, to: Store, reports: TableReport[], artifacts: ArtifactCopyReport | undefined): void {
  if (args.options.json) {
    process.stdout.write(`${JSON.stringify({ from: from.displayUrl, to: to.displayUrl, tables: reports, artifacts }, null, 2)}\n`);
    return;
  }
  if (args.options.quiet) return;
  const rows = reports.map((r) => [r.table, String(r.sourceRows), String(r.targetRows), r.sourceChecksum, r.targetChecksum, r.ok ? 'ok' : 'MISMATCH']);
  process.stdout.write(`${from.displayUrl} -> ${to.displayUrl}\n`);
  process.stdout.write(`${renderTable(['table', 'rows (from)', 'rows (to)', 'checksum (from)', 'checksum (to)', ''], rows, 40)}\n`);
  if (artifacts !== undefined) {
    const where = to.artifactsIn === 'store' ? 'into the store' : `into ${to.artifactsDir}`;
    process.stdout.write(`artifacts: ${artifacts.artifacts} logged; ${artifacts.copied} copied ${where} (${artifacts.bytes} bytes, sha256 checked), ${artifacts.present} already there\n`);
  }
}

/** `kiln store gc`: frees artifact contents in the store's tables that no artifact row names (runs deleted before deletes freed them). */
async function gc(args: StoreArgs): Promise<number> {
  const store = await openStore(args.options.store);
  try {
    const freed = await collectBlobs(store);
    if (args.options.json) process.stdout.write(`${JSON.stringify({ store: store.displayUrl, ...freed })}\n`);
    else if (!args.options.quiet) {
      const where = store.artifactsIn === 'store' ? `${freed.blobs} unreferenced artifact contents freed (${freed.bytes} bytes)` : `artifacts are kept in ${store.artifactsDir}, not in the store: nothing to free`;
      process.stdout.write(`${store.displayUrl}: ${where}\n`);
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}

const SUBCOMMANDS: Record<string, Sub> = { migrate, copy, gc };

/** `kiln store migrate|copy|gc`: manage the tracking store itself. */
export async function run(args: StoreArgs): Promise<number> {
  const name = args.positionals[0] ?? '';
  const sub = SUBCOMMANDS[name];
  if (sub === undefined) {
    throw usageError('cli/bad-argument', '', `kiln store needs a subcommand: ${Object.keys(SUBCOMMANDS).join(', ')}, got "${name}"`, 'kiln store migrate --store postgres://user@host:5432/kiln');
  }
  return sub(args);
}
