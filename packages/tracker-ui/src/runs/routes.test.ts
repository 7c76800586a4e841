import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS, get, hasRawPayload, hostileFixture, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

describe('runs page', () => {
  it('lists runs with every hostile string escaped', async () => {
    const r = await get(f.app, '/runs');
    expect(r.status).toBe(200);
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.text).toContain('&lt;b&gt;exp&lt;/b&gt;');
    expect(hasRawPayload(r.text)).toBe(false);
  });

  it('shows the host each run trained on, in the page and the JSON', async () => {
    const r = await get(f.app, '/runs');
    expect(r.text).toContain('>Host</a></th>');
    const cells = [...r.text.matchAll(/<td data-cell="host">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells.sort()).toEqual(['', '&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;', 'box-0', 'box-1', 'box-2']);
    expect(hasRawPayload(r.text)).toBe(false);
    const api = JSON.parse((await get(f.app, '/api/runs?sort=host')).text) as { runs: { name: string; host: string | null }[] };
    expect(api.runs.filter((run) => run.host?.startsWith('box-')).map((run) => [run.name, run.host])).toEqual([
      ['run-0', 'box-0'],
      ['run-1', 'box-1'],
      ['run-2', 'box-2'],
    ]);
  });

  it('filters with the store language and shows a located error in place (400)', async () => {
    const ok = await get(f.app, `/runs?filter=${encodeURIComponent('tags.team = "nlp"')}`);
    expect(ok.text).toContain('run-1');
    expect(ok.text).not.toContain('run-0');
    const bad = await get(f.app, `/runs?filter=${encodeURIComponent('metrics.val.loss >')}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('role="alert"');
    expect(bad.text).toContain('data-col="19"');
    expect(bad.text).toMatch(/metrics\.val\.loss &gt;\n {18}\^/);
    const typo = await get(f.app, `/runs?filter=${encodeURIComponent('metrics.val.acuracy > 0.5')}`);
    expect(typo.text).toContain('did you mean');
    const hostile = await get(f.app, `/runs?filter=${encodeURIComponent(`name = "${XSS}" and`)}`);
    expect(hostile.status).toBe(400);
    expect(hasRawPayload(hostile.text)).toBe(false);
  });

  it('sorts by any column, reports a bad sort field separately, and paginates', async () => {
    const asc = await get(f.app, '/api/runs?sort=params.train.optimizer.learningRate&experiment=mnist');
    const lrs = (JSON.parse(asc.text) as { runs: { params: { 'train.optimizer.learningRate': number } }[] }).runs.map((r) => r.params['train.optimizer.learningRate']);
    expect(lrs).toEqual([...lrs].sort((a, b) => a - b));
    const desc = JSON.parse((await get(f.app, '/api/runs?sort=-metrics.val.accuracy')).text) as { runs: { metrics: { 'val.accuracy': { last: number } } }[] };
    const accs = desc.runs.map((r) => r.metrics['val.accuracy'].last);
    expect(accs).toEqual([...accs].sort((a, b) => b - a));
    const badSort = await get(f.app, '/runs?sort=nonsense');
    expect(badSort.status).toBe(400);
    expect(badSort.text).toContain('Sort: ');
    const page2 = JSON.parse((await get(f.app, '/api/runs?limit=2&page=2')).text) as { total: number; runs: unknown[] };
    expect(page2).toMatchObject({ total: 5 });
    expect(page2.runs).toHaveLength(2);
    const html = (await get(f.app, '/runs?limit=2&page=2')).text;
    expect(html).toContain('rel="prev"');
    expect(html).toContain('3–4 of 5');
    expect((await get(f.app, '/api/runs?limit=0')).status).toBe(400);
  });

  it('keeps chosen columns and selection in the URL state', async () => {
    const r = await get(f.app, `/runs?cols=tags.team,params.train.optimizer.name&sel=${f.plain[0]},${f.plain[1]}`);
    expect(r.text).toContain('data-cell="tags.team"');
    expect(r.text).not.toContain('data-cell="metrics.val.loss"');
    expect(r.text).toMatch(new RegExp(`value="${f.plain[0]}" form="compare-form" checked`));
    expect(r.text).toContain('<span id="selected-count">2</span>');
    expect(r.text).toMatch(/href="\/runs\?cols=[^"]*&amp;sel=[^"]*&amp;sort=|sort=[^"]*cols=/);
  });
});
