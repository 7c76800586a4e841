/** One sweep with its trials, best-so-far curve and param importance. */
import { HTTPException } from 'hono/http-exception';
import { getSweep, listTrials, runHosts, type Store, type Trial } from '../data/store.ts';
import { workerHost } from '../data/hosts.ts';
import { bestSoFar } from './best.ts';
import { paramImportance, type Importance } from './importance.ts';
import { loggedValues, type LoggedValues } from './logged.ts';
import { chooseAxes, sweptSpace, type AxisChoice } from '../util/axes.tsx';

export type SweepRow = NonNullable<Awaited<ReturnType<typeof getSweep>>>;

export interface SweepModel {
  sweep: SweepRow;
  trials: Trial[];
  paramKeys: string[];
  bestSoFar: (number | null)[];
  bestTrial: Trial | null;
  importance: Importance[];
  /** The host that ran (or runs) each trial, by trial number: its run's host, else its worker's. */
  hosts: Record<number, string>;
  /** Each trial run's best and last logged value of the metric, by trial number (the trial's value is the kept model's). */
  logged: Record<number, LoggedValues>;
  /** Parallel-coordinates axes: the URL's choice, else the swept params (log-scaled where drawn in log space). */
  axes: AxisChoice;
}

/** Loads a sweep or 404s. */
export async function loadSweep(store: Store, id: string, axes: string[] = []): Promise<SweepModel> {
  const sweep = await getSweep(store, id);
  if (sweep === null) throw new HTTPException(404, { message: `No sweep with id ${id}` });
  const trials = await listTrials(store, id);
  const goal = sweep.goal;
  const best = bestSoFar(trials.map((t) => (t.state === 'complete' ? t.value : null)), goal);
  const scored = trials.filter((t) => t.state === 'complete' && t.value !== null);
  const bestTrial = scored.reduce<Trial | null>((b, t) => (b === null || (goal === 'minimize' ? (t.value as number) < (b.value as number) : (t.value as number) > (b.value as number)) ? t : b), null);
  const runHost = await runHosts(store, trials.flatMap((t) => (t.runId === null ? [] : [t.runId])));
  const hosts: Record<number, string> = {};
  for (const t of trials) {
    const host = (t.runId === null ? undefined : runHost.get(t.runId)) ?? workerHost(t.workerId);
    if (host !== null) hosts[t.number] = host;
  }
  return {
    sweep,
    hosts,
    trials,
    paramKeys: [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort(),
    bestSoFar: best,
    bestTrial,
    importance: paramImportance(scored),
    logged: await loggedValues(store, trials, sweep.metric, goal),
    axes: chooseAxes(trials.map((t) => t.params), axes, sweptSpace(sweep.spec)),
  };
}
