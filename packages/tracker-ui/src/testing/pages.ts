/** Every page of the UI over the showcase store, for the layout test and the screenshot script. */
import type { Showcase } from './showcase.ts';

export interface ShownPage {
  /** A file-name-safe name. */
  name: string;
  path: string;
}

const compare = (ids: string[]) => `/compare?runs=${ids.join(',')}`;

/** The pages to look at: lists, each kind of run, compare with 3/15/20 runs and hostile names, sweeps, errors. */
export function showcasePages(s: Showcase): ShownPage[] {
  return [
    { name: 'experiments', path: '/' },
    { name: 'runs', path: '/runs' },
    { name: 'runs-filter-error', path: `/runs?filter=${encodeURIComponent('metrics.val.loss >> 1')}` },
    ...Object.entries(s.runs).map(([kind, id]) => ({ name: `run-${kind}`, path: `/runs/${id}` })),
    { name: 'compare-3', path: compare(s.compare.three) },
    { name: 'compare-15', path: compare(s.compare.fifteen) },
    { name: 'compare-20', path: compare(s.compare.twenty) },
    { name: 'compare-hostile', path: compare(s.compare.hostile) },
    { name: 'compare-regression', path: compare(s.compare.regression) },
    { name: 'sweeps', path: '/sweeps' },
    ...s.sweeps.map((id, i) => ({ name: `sweep-${i}`, path: `/sweeps/${id}` })),
    { name: 'error-404', path: '/runs/no-such-run' },
    { name: 'error-400', path: `/compare?runs=${s.runs.classification}` },
  ];
}
