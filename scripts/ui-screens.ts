/**
 * `pnpm ui:screens`: seeds a varied store (testing/showcase.ts), serves the UI and writes a full-page
 * PNG of every page at 1440 and 390 px wide, light and dark, into test-output/ui/screens/ to look at.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@kiln/core/store';
import { serveUi } from '../packages/tracker-ui/src/index.ts';
import { launchChromium } from '../packages/tracker-ui/src/testing/chromium.ts';
import { seedShowcase } from '../packages/tracker-ui/src/testing/showcase.ts';
import { showcasePages } from '../packages/tracker-ui/src/testing/pages.ts';

const OUT = join(process.cwd(), 'test-output', 'ui', 'screens');
const WIDTHS = [1440, 390];
const SCHEMES = ['light', 'dark'] as const;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-screens-')), 'kiln.db');
  const store = await openStore(file);
  const showcase = await seedShowcase(store);
  store.close();
  const server = await serveUi({ store: file, port: 0, log: () => undefined });
  const browser = await launchChromium();
  const problems: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of (400|404)/.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
    });
    let n = 0;
    for (const shown of showcasePages(showcase)) {
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          await page.setViewportSize({ width, height: 900 });
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(`${server.url}${shown.path}`);
          await page.waitForSelector('body[data-charts-done="true"]', { timeout: 20_000 }).catch(() => problems.push(`${shown.name}: charts not done`));
          await page.screenshot({ path: join(OUT, `${shown.name}-${width}-${scheme}.png`), fullPage: true });
          n++;
        }
      }
    }
    console.log(`${n} screenshots in ${OUT}`);
    if (problems.length > 0) console.log(`Page problems:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
