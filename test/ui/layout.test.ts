/**
 * Every page over a varied store (testing/showcase.ts) in a real headless Chromium at a desktop
 * (1440 px) and a phone (390 px) width: nothing wider than the viewport. Wide tables scroll inside
 * their own box and long names wrap, so the only things allowed past the right edge are inside a
 * box that clips or scrolls them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openStore } from '../../packages/core/src/store/index.ts';
import { serveUi } from '../../packages/tracker-ui/src/index.ts';
import { launchChromium } from '../../packages/tracker-ui/src/testing/chromium.ts';
import { seedShowcase } from '../../packages/tracker-ui/src/testing/showcase.ts';
import { showcasePages, type ShownPage } from '../../packages/tracker-ui/src/testing/pages.ts';

let server: { url: string; close: () => Promise<void> };
let browser: BrowserContext;
let page: Page;
let pages: ShownPage[] = [];
/**
 * One page of each layout the issue names (the screenshot script walks them all): runs, run (plain,
 * regression, crashed, hostile and long names, artifacts), compare with 3, 15 and hostile-named runs,
 * sweeps, a sweep, experiments and the error pages.
 */
const LAYOUTS = new Set(['experiments', 'runs', 'runs-filter-error', 'run-classification', 'run-regression', 'run-crashed', 'run-hostile', 'run-long', 'run-artifacts', 'compare-3', 'compare-15', 'compare-hostile', 'sweeps', 'sweep-0', 'error-404']);
const errors: string[] = [];

beforeAll(async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-ui-layout-')), 'kiln.db');
  const store = await openStore(file);
  pages = showcasePages(await seedShowcase(store)).filter((p) => LAYOUTS.has(p.name));
  store.close();
  server = await serveUi({ store: file, port: 0, log: () => undefined });
  browser = await launchChromium(1440, 900);
  page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The page's scroll width and each element (tag#id.class, text start) whose right edge is past the viewport, unless a clipping or scrolling box holds it. */
async function overflow(p: Page) {
  return p.evaluate(() => {
    const vw = window.innerWidth;
    const clippedByBox = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    const out: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || r.right <= vw + 0.5 || clippedByBox(el)) continue;
      const cls = typeof el.className === 'string' && el.className !== '' ? `.${el.className.split(' ').join('.')}` : '';
      out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} right=${Math.round(r.right)} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
    }
    // Text cut with an ellipsis keeps its whole in a title (the cell's, or its link's).
    for (const c of document.querySelectorAll<HTMLElement>('table.grid td, table.grid th')) {
      if (c.scrollWidth > c.clientWidth + 1 && !c.title && !c.querySelector('[title]')) out.push(`cut cell without a title "${(c.textContent ?? '').trim().slice(0, 30)}"`);
    }
    // A chart box clips its content, so a chart drawn wider than its box would pass the check above unseen.
    for (const el of document.querySelectorAll('[data-chart]')) if (el.scrollWidth > el.clientWidth + 1) out.push(`chart #${el.id} draws ${el.scrollWidth} px in a ${el.clientWidth} px box`);
    return { scrollWidth: document.documentElement.scrollWidth, width: vw, beyond: out };
  });
}

describe.each([1440, 390])('every page at %i px', (width) => {
  it('is no wider than the viewport', async () => {
    await page.setViewportSize({ width, height: 900 });
    const found: string[] = [];
    for (const shown of pages) {
      await page.goto(`${server.url}${shown.path}`);
      await page.waitForSelector('body[data-charts-done="true"]', { timeout: 20_000 });
      const o = await overflow(page);
      if (o.scrollWidth > o.width) found.push(`${shown.name}: page is ${o.scrollWidth} px wide`);
      for (const b of o.beyond.slice(0, 5)) found.push(`${shown.name}: ${b}`);
    }
    expect(pages.map((p) => p.name).sort()).toEqual([...LAYOUTS].sort());
    expect(found).toEqual([]);
    expect(errors).toEqual([]);
  });
});
