import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { QUOTEY, XSS, get, hasRawPayload } from '../testing/fixture.ts';
import { seedRun, smallConfig, tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let app: ReturnType<typeof createApp>;
const ids: Record<string, string> = {};
beforeAll(async () => {
  store = await tempStore();
  app = createApp({ store });
  const run = (name: string, parentRunId?: string, status?: 'failed') => seedRun(store, { experiment: 'transfer', name, config: smallConfig(0.01, 8), parentRunId, status });
  ids.parent = await run(XSS);
  ids.childA = await run(`a${QUOTEY}`, ids.parent);
  ids.childB = await run('b', ids.parent, 'failed');
  // model.from.run is user input recorded as is; this parent is not in the store.
  ids.orphan = await run('orphan', `gone${XSS}`);
  ids.plain = await run('plain');
});
afterAll(() => store.close());

/** The hrefs of the links inside the element with this id. */
function linksIn(html: string, id: string): string[] {
  const start = html.indexOf(`id="${id}"`);
  expect(start).toBeGreaterThan(0);
  const close = html.indexOf(id === 'children' ? '</ul>' : '</p>', start);
  return [...html.slice(start, close).matchAll(/href="([^"]+)"/g)].map(([, href = '']) => href);
}

describe('run page lineage', () => {
  it('links a transfer run to its parent, with the name escaped', async () => {
    const r = await get(app, `/runs/${ids.childA}`);
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(linksIn(r.text, 'parent')).toEqual([`/runs/${ids.parent}`]);
    expect(r.text).toMatch(/Parent:\s*<a href="[^"]+">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/a>/);
    expect(r.text).not.toContain('id="children"');
  });

  it("lists a parent's children in start order with their status, names escaped", async () => {
    const r = await get(app, `/runs/${ids.parent}`);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(linksIn(r.text, 'children')).toEqual([`/runs/${ids.childA}`, `/runs/${ids.childB}`]);
    expect(r.text).toContain('a&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;</a>');
    expect(r.text).toContain('status-failed');
    expect(r.text).not.toContain('id="parent"');
  });

  it('names a parent that is not in the store without linking it, escaped', async () => {
    const r = await get(app, `/runs/${ids.orphan}`);
    expect(hasRawPayload(r.text)).toBe(false);
    expect(r.text).toContain('gone&lt;script&gt;alert(1)&lt;/script&gt; (no longer in this store)');
    expect(linksIn(r.text, 'parent')).toEqual([]);
  });

  it('shows no lineage section for a run without parent or children, and the API carries both', async () => {
    expect((await get(app, `/runs/${ids.plain}`)).text).not.toContain('id="lineage"');
    const api = JSON.parse((await get(app, `/api/runs/${ids.parent}`)).text) as { run: { children: { id: string }[]; parent: unknown } };
    expect(api.run.parent).toBeNull();
    expect(api.run.children.map((c) => c.id)).toEqual([ids.childA, ids.childB]);
  });
});
