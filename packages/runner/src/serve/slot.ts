/**
 * One loaded version of the served model: its tfjs model, preprocessing and request checker. A request
 * pins the slot it was checked against, so when the alias moves and a new slot takes over, requests
 * already accepted finish on the old one, which is disposed once the last of them is answered.
 */
import type { ResolvedVersion } from '@kiln/core/store';
import { loadRun, type LoadedRun } from '../artifacts/load.ts';
import { requestChecker, type RequestChecker } from './request.ts';
import type { SchemaOptions } from './input-schema.ts';

/** What /health says about a loaded version. */
export interface VersionInfo {
  /** The reference as given on the command line (penguins@production, a run id). */
  ref: string;
  runId: string;
  /** The registered version it resolved to; null for a run id. */
  model: ResolvedVersion | null;
  loadedAt: string;
}

/** A loaded model and the requests still using it. */
export interface Slot {
  info: VersionInfo;
  loaded: LoadedRun;
  checker: RequestChecker;
  /** Requests accepted against this slot and not yet answered. */
  pending: number;
  /** Replaced by a newer version: disposed when `pending` reaches 0. */
  retired: boolean;
}

/** Loads a run's model into a new slot. */
export async function loadSlot(ref: string, runId: string, model: ResolvedVersion | null, store: string | undefined, opts: SchemaOptions): Promise<Slot> {
  const loaded = await loadRun(runId, store);
  const title = model === null ? `kiln serve ${ref} (run ${runId})` : `kiln serve ${model.name} version ${model.version} (run ${runId})`;
  return { info: { ref, runId, model, loadedAt: new Date().toISOString() }, loaded, checker: requestChecker(loaded.state, opts, title), pending: 0, retired: false };
}

/** Marks a request as using the slot. */
export function pin(slot: Slot): void {
  slot.pending += 1;
}

/** A request on the slot was answered; a retired slot with none left frees its model. */
export function unpin(slot: Slot): void {
  slot.pending -= 1;
  disposeIfIdle(slot);
}

/** Retires a slot replaced by a newer version (its model is freed once its requests are answered). */
export function retire(slot: Slot): void {
  slot.retired = true;
  disposeIfIdle(slot);
}

function disposeIfIdle(slot: Slot): void {
  if (slot.retired && slot.pending === 0) slot.loaded.model.dispose();
}
