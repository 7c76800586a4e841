import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, hasRawPayload, hostileFixture, type Fixture } from '../testing/fixture.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

function specs(html: string) {
  return [...html.matchAll(/data-chart="([a-z]+)" data-spec="([^"]+)" data-expected-series="(\d+)"/g)].map((m) => ({ kind: m[1], id: m[2], expected: Number(m[3]) }));
}

describe('compare', () => {
  it('highlights differing params and can start with equal ones hidden', async () => {
    const [a, b, c] = f.plain;
    const r = await get(f.app, `/compare?runs=${a},${b},${c}&hideEqual=1`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('class="grid params hide-equal"');
    expect(r.text).toMatch(/<tr class="differs"><th>train\.optimizer\.learningRate<\/th><td>0\.001<\/td><td>0\.01<\/td><td>0\.1<\/td>/);
    expect(r.text).toMatch(/<tr class="equal"><th>train\.optimizer\.name<\/th>/);
    expect((await get(f.app, `/compare?runs=${a},${b}`)).text).toContain('class="grid params hide-equal"');
    expect((await get(f.app, `/compare?runs=${a},${b}&hideEqual=0`)).text).toContain('class="grid params"');
    expect((await get(f.app, `/compare?runs=${a},${b}&hideEqual=0&hideEqual=1`)).text).toContain('class="grid params hide-equal"');
  });

  it('emits one curve chart per metric with a series per run, parcoords, scatter and bars', async () => {
    const [a, b, c] = f.plain;
    const r = await get(f.app, `/compare?runs=${a}&runs=${b}&runs=${c}&metric=val.loss&x=model.layers[0].units`);
    const charts = specs(r.text);
    const curves = charts.filter((s) => s.kind === 'lines');
    expect(curves).toHaveLength(4);
    expect(curves.every((s) => s.expected === 3)).toBe(true);
    expect(charts.find((s) => s.id === 'parcoords-spec')?.expected).toBe(3);
    // one point series per run, so each point takes its run's colour
    expect(charts.find((s) => s.id === 'scatter-spec')?.expected).toBe(3);
    expect(charts.filter((s) => s.kind === 'bars').map((s) => s.expected)).toEqual([3, 3, 3]);
    expect(r.text).toContain('<option value="val.loss" selected="">');
  });

  it('escapes hostile run names, param values and metric keys', async () => {
    const r = await get(f.app, `/compare?runs=${f.evil},${f.plain[0]}`);
    expect(r.status).toBe(200);
    expect(hasRawPayload(r.text)).toBe(false);
    const api = JSON.parse((await get(f.app, `/api/compare?runs=${f.evil},${f.plain[0]}`)).text) as { runs: { name: string }[]; params: { key: string; differs: boolean }[] };
    expect(api.runs[0]?.name).toBe('<script>alert(1)</script>');
    expect(api.params.find((p) => p.key === 'note')?.differs).toBe(true);
  });

  it('needs 2 to 20 known, well-formed run ids', async () => {
    expect((await get(f.app, `/compare?runs=${f.plain[0]}`)).status).toBe(400);
    expect((await get(f.app, `/compare?runs=${Array.from({ length: 21 }, (_, i) => `r${i}`).join(',')}`)).status).toBe(400);
    expect((await get(f.app, `/compare?runs=${f.plain[0]},nope`)).status).toBe(404);
    expect((await get(f.app, `/api/compare?runs=${f.plain[0]},"%20or%201=1`)).status).toBe(400);
  });
});
