import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS, get, hasRawPayload, hostileFixture, type Fixture } from '../testing/fixture.ts';
import { seedRun } from '../testing/seed.ts';

let f: Fixture;
beforeAll(async () => {
  f = await hostileFixture();
});
afterAll(() => f.store.close());

describe('the per-class table on the run page', () => {
  it('shows precision, recall, F1 and support per class and the macro and weighted averages, per head, names escaped', async () => {
    const id = await seedRun(f.store, {
      experiment: 'weather',
      name: 'per-class',
      config: { model: { graph: 'two heads' } },
      headConfusions: [
        // sun: 9 of 10 right, 1 predicted snow; snow: 2 of 3 right
        { output: 'weather', classes: ['sun', XSS], matrix: [[9, 1], [1, 2]] },
        { output: 'sex', classes: ['F', 'M'], matrix: [[4, 6], [3, 7]] },
      ],
    });
    const r = await get(f.app, `/runs/${id}`);
    expect(hasRawPayload(r.text)).toBe(false);
    const table = /<table class="class-report" id="class-report">([\s\S]*?)<\/table>/.exec(r.text)?.[1] ?? '';
    const rows = [...table.matchAll(/<tr(?: class="average")?><th>([^<]*)<\/th>((?:<td class="num">[^<]*<\/td>)+)<\/tr>/g)].map(([, name, cells = '']) => [name, ...[...cells.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1])]);
    expect(rows).toEqual([
      ['sun', '0.9000', '0.9000', '0.9000', '10'],
      ['&lt;script&gt;alert(1)&lt;/script&gt;', '0.6667', '0.6667', '0.6667', '3'],
      ['macro avg', '0.7833', '0.7833', '0.7833', '13'],
      ['weighted avg', '0.8462', '0.8462', '0.8462', '13'],
    ]);
    expect(r.text).toContain('id="class-report-1"');
    expect(r.text).toContain('<h3>Per class (test): sex</h3>');
  });
});
