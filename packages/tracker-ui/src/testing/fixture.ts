/** A store seeded with hostile strings (run names, tags, metric keys, YAML) for route tests. */
import { createApp } from '../app.ts';
import type { Store } from '../data/store.ts';
import { seedRun, smallConfig, tempStore } from './seed.ts';

export const XSS = '<script>alert(1)</script>';
export const QUOTEY = `"'><img src=x onerror=alert(2)>`;

export interface Fixture {
  store: Store;
  app: ReturnType<typeof createApp>;
  evil: string;
  plain: string[];
}

/** One hostile run plus three ordinary ones in experiment `mnist`, one more in `<b>exp</b>`. */
export async function hostileFixture(): Promise<Fixture> {
  const store = await tempStore();
  const evil = await seedRun(store, {
    experiment: 'mnist',
    name: XSS,
    config: { ...smallConfig(0.01, 16), note: QUOTEY },
    tags: { [`team${QUOTEY}`]: XSS },
    extraMetrics: [`val.${QUOTEY}`],
    host: QUOTEY,
    yaml: `name: x\n# ${XSS}\n</script><script>alert(3)</script>\n`,
    confusion: { labels: [XSS, 'b'], matrix: [[5, 1], [2, 7]] },
  });
  const plain = [];
  for (const [i, lr] of [0.001, 0.01, 0.1].entries()) {
    plain.push(await seedRun(store, { experiment: 'mnist', name: `run-${i}`, config: smallConfig(lr, 32 * (i + 1)), quality: 1 + i, tags: { team: i % 2 === 0 ? 'vision' : 'nlp' }, host: `box-${i}` }));
  }
  await seedRun(store, { experiment: '<b>exp</b>', name: 'other', config: smallConfig(0.5, 8) });
  return { store, app: createApp({ store }), evil, plain };
}

/** GETs a path with a loopback Host header and returns status, headers and body text. */
export async function get(app: Fixture['app'], path: string, init: RequestInit = {}) {
  const res = await app.request(path, { ...init, headers: { host: '127.0.0.1:4000', ...(init.headers ?? {}) } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** True when `html` contains an executable form of the payloads (unescaped tags). */
export function hasRawPayload(html: string): boolean {
  return html.includes('<script>alert') || html.includes('<img src=x') || html.includes('</script><script>');
}

/** Attribute names of every tag in `html` (hono always double-quotes values and escapes quotes inside). */
export function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<[a-z][a-z0-9]*((?:\s+[^\s=>"']+(?:="[^"]*")?)*)\s*\/?>/gi)) {
    // Both groups always take part in a match (possibly empty), so `?? ''` never changes a name.
    for (const attr of (tag[1] ?? '').matchAll(/\s([^\s=>"']+)(?:="[^"]*")?/g)) names.push((attr[1] ?? '').toLowerCase());
  }
  return names;
}
