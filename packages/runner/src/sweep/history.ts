// The store's trials as the samplers and pruners see them: every trial of the sweep, whichever
// process ran it, so parallel workers and resumed sweeps decide from the full history.
import { listTrials, type Store, type Trial as StoredTrial } from '@kiln/core';
import type { Params, Trial } from './samplers/index.ts';
import { trialCurves } from './store.ts';

/** A stored trial in sampler terms; queued and running trials both count as running. */
export function toSamplerTrial(t: StoredTrial, curve: Array<[number, number]> | undefined): Trial {
  const state = t.state === 'queued' ? 'running' : t.state;
  const out: Trial = { params: t.params as Params, state, number: t.number };
  if (t.value !== null) out.value = t.value;
  if (curve !== undefined) out.intermediate = curve;
  return out;
}

/** Every trial of the sweep with its per-epoch values of `metric`. */
export async function loadHistory(store: Store, sweepId: string, metric: string): Promise<{ stored: StoredTrial[]; trials: Trial[] }> {
  const [stored, curves] = await Promise.all([listTrials(store, sweepId), trialCurves(store, sweepId, metric)]);
  return { stored, trials: stored.map((t) => toSamplerTrial(t, curves.get(t.number))) };
}
