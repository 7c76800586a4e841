import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS, get, hasRawPayload, hostileFixture, type Fixture } from '../testing/fixture.ts';
import { seedRun } from '../testing/seed.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

describe('run page', () => {
  it('shows status, provenance, params, tags, test metrics, YAML and config, all escaped', async () => {
    const r = await get(f.app, `/runs/${f.evil}`);
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    for (const id of ['provenance', 'params', 'tags', 'test-metrics', 'yaml', 'config', 'artifacts']) expect(r.text).toContain(`id="${id}"`);
    expect(r.text).toContain('&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(r.text).toContain('test.accuracy');
    expect(r.text).toContain('status-finished');
  });

  it('draws train vs val per metric and puts chart specs in escaped JSON blocks', async () => {
    const r = await get(f.app, `/runs/${f.evil}`);
    const specs = [...r.text.matchAll(/<script type="application\/json" id="([^"]+)">([^<]*)<\/script>/g)];
    expect(specs.length).toBeGreaterThanOrEqual(3);
    const parsed = specs.map(([, , json = '']) => JSON.parse(json) as { title: string; series: { key: string; label: string }[] });
    const loss = parsed.find((s) => s.title === 'loss');
    expect(loss?.series.map((s) => s.label)).toEqual(['train', 'val']);
    const hostile = parsed.find((s) => s.title.includes('onerror'));
    expect(hostile?.title).toBe(`"'><img src=x onerror=alert(2)>`);
    expect(r.text).toContain('\\u003cimg src=x');
    expect(r.text).toContain('data-expected-series="2"');
  });

  it('renders the confusion matrix from the JSON artifact with escaped labels', async () => {
    const r = await get(f.app, `/runs/${f.evil}`);
    expect(r.text).toContain('id="confusion"');
    expect(r.text).toMatch(/<th>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/th>/);
    expect(r.text).toMatch(/class="num heat-8">5</);
    expect(r.text).toMatch(/class="num heat-7">7</);
  });

  it('shows one confusion matrix per classification head, titled by its output, names escaped', async () => {
    const id = await seedRun(f.store, {
      experiment: 'penguins',
      name: 'multitask',
      config: { model: { graph: 'two heads' } },
      headConfusions: [
        { output: 'species', classes: ['Adelie', 'Gentoo'], matrix: [[9, 1], [0, 10]] },
        { output: XSS, classes: ['F', 'M'], matrix: [[4, 6], [3, 7]] },
      ],
    });
    const r = await get(f.app, `/runs/${id}`);
    expect(r.text).toContain('<h2>Confusion matrix: species</h2>');
    expect(r.text).toContain('<h2>Confusion matrix: &lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(r.text).toContain('id="confusion"');
    expect(r.text).toContain('id="confusion-1"');
    expect(r.text).toMatch(/<th>Gentoo<\/th>[\s\S]*<th>M<\/th>/);
    expect(r.text).not.toContain('<script>alert(1)');
  });

  it('answers JSON for the API and 404 for unknown runs', async () => {
    const api = JSON.parse((await get(f.app, `/api/runs/${f.evil}`)).text) as { run: { name: string; tags: Record<string, string> } };
    expect(api.run.name).toBe(XSS);
    expect(Object.values(api.run.tags)).toEqual([XSS]);
    expect((await get(f.app, '/runs/does-not-exist')).status).toBe(404);
    const missing = await get(f.app, '/api/runs/does-not-exist');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ error: { status: 404 } });
  });
});
