/**
 * After `copyStore`: every artifact the target's rows name is made readable in the target, wherever
 * it keeps artifacts (its blob tables or its folder), streamed from wherever the source keeps them
 * and checked against the recorded sha256 on the way. Contents the target already holds (brought
 * over with the blob tables, or shared by several runs) are skipped.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { asc } from 'drizzle-orm';
import { openRecord } from './artifact-read.ts';
import { sha256File, type ArtifactRecord } from './artifacts.ts';
import { blobInfo, putBlob } from './blobs.ts';
import type { Store } from './open.ts';
import { artifacts } from './schema.ts';

export interface ArtifactCopyReport {
  /** Artifact rows in the target. */
  artifacts: number;
  /** Contents written (into the target's tables or folder) by this copy. */
  copied: number;
  bytes: number;
  /** Already there (same sha256): shared contents, or brought over with the tables. */
  present: number;
}

/** True when the target already holds this content where it keeps artifacts. */
async function present(to: Store, rec: ArtifactRecord): Promise<boolean> {
  if (to.artifactsIn === 'store') return (await blobInfo(to, rec.sha256)) !== undefined;
  const file = join(to.artifactsDir, rec.path);
  const st = await stat(file).catch(() => undefined);
  return st?.isFile() === true && st.size === rec.size && (await sha256File(file)) === rec.sha256;
}

/** Streams one artifact from `from` into `to`; the source's stream fails on a sha256 mismatch, so nothing unverified lands. */
async function copyOne(from: Store, to: Store, rec: ArtifactRecord): Promise<void> {
  const source = (await openRecord(from, rec)).stream as AsyncIterable<Buffer>;
  if (to.artifactsIn === 'store') {
    await putBlob(to, rec.sha256, source, `run ${rec.runId}'s ${rec.path}`);
    return;
  }
  const file = join(to.artifactsDir, rec.path);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await pipeline(source, createWriteStream(tmp));
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Makes every artifact of the (already copied) rows readable in `to`; throws KilnFailure on a missing or changed source. */
export async function copyArtifacts(from: Store, to: Store, progress: (rec: ArtifactRecord) => void = () => undefined): Promise<ArtifactCopyReport> {
  const rows = await to.db.select().from(artifacts).orderBy(asc(artifacts.id));
  const report: ArtifactCopyReport = { artifacts: rows.length, copied: 0, bytes: 0, present: 0 };
  const done = new Set<string>();
  for (const rec of rows) {
    // A content logged by many runs is copied once into the tables; a folder keeps a file per run.
    const key = to.artifactsIn === 'store' ? rec.sha256 : rec.path;
    if (done.has(key) || (await present(to, rec))) {
      report.present++;
      continue;
    }
    await copyOne(from, to, rec);
    done.add(key);
    report.copied++;
    report.bytes += rec.size;
    progress(rec);
  }
  return report;
}
