import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { get } from '../testing/fixture.ts';
import { seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

const FORMULA = '=HYPERLINK("http://evil.example","x")';
let store: Store;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  for (const [i, lr] of [0.001, 0.01, 0.1].entries()) {
    await seedRun(store, { experiment: 'mnist', name: `run-${i}`, config: smallConfig(lr, 32), quality: 1 + i, tags: { note: i === 2 ? FORMULA : `plain, ${i}` }, host: `box-${i}` });
  }
  await seedRun(store, { experiment: 'other', name: 'elsewhere', config: smallConfig(0.5, 8) });
});
afterAll(() => store.close());

/** Splits RFC 4180 CSV (quoted cells may hold commas and doubled quotes). */
function parse(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((l) => l !== '')
    .map((line) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1] ?? '').replace(/^"|"$/g, '').replace(/""/g, '"')));
}

describe('GET /runs.csv', () => {
  it('is linked from the runs page with its filter, sort and shown columns', async () => {
    const r = await get(app, `/runs?experiment=mnist&sort=-metrics.val.accuracy&filter=${encodeURIComponent('metrics.val.accuracy > 0')}`);
    const href = /id="download-csv" href="([^"]+)"/.exec(r.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    expect(href).toMatch(/^\/runs\.csv\?/);
    const q = new URL(href, 'http://x').searchParams;
    expect(q.get('experiment')).toBe('mnist');
    expect(q.get('sort')).toBe('-metrics.val.accuracy');
    expect(q.get('cols')?.split(',')).toContain('metrics.val.accuracy');
  });

  it('downloads every filtered run, sorted, with the columns asked for and formulas neutralised as kiln export does', async () => {
    const r = await get(app, '/runs.csv?experiment=mnist&sort=params.train.optimizer.learningRate&cols=metrics.val.accuracy,params.train.optimizer.learningRate,tags.note&limit=1');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="runs-mnist.csv"');
    const rows = parse(r.text);
    expect(rows[0]).toEqual(['id', 'name', 'experiment', 'status', 'startedAt', 'durationMs', 'host', 'final metrics.val.accuracy', 'params.train.optimizer.learningRate', 'tags.note']);
    // limit=1 is the page size of the table: the download has every run of the set
    expect(rows.slice(1).map((row) => [row[1], row[6], row[8]])).toEqual([
      ['run-0', 'box-0', '0.001'],
      ['run-1', 'box-1', '0.01'],
      ['run-2', 'box-2', '0.1'],
    ]);
    expect(r.text).toContain(csvCell(FORMULA));
    expect(r.text).toContain(`'=HYPERLINK(`);
    expect(r.text).toContain('"plain, 0"');
    expect(Number(rows[1]?.[7])).toBeGreaterThan(0);
  });

  it('answers a bad filter with the located 400 and an empty set with just the header', async () => {
    const bad = await get(app, `/runs.csv?filter=${encodeURIComponent('metrics.val.loss >')}`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ error: { field: 'filter', col: 19 } });
    const none = await get(app, `/runs.csv?filter=${encodeURIComponent('metrics.val.loss > 100')}&cols=tags.note`);
    expect(none.text).toBe('id,name,experiment,status,startedAt,durationMs,host,tags.note\r\n');
  });
});
