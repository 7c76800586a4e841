/** The shape of one run as core's getRun returns it. */
import type { getRun } from '../data/store.ts';

export type RunDetail = NonNullable<Awaited<ReturnType<typeof getRun>>>;
