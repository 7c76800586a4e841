/** Launching Debian's chromium through playwright-core with a fresh profile; shared by the browser test and the bench. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serveUi } from '../serve.ts';

export const CHROMIUM = process.env.KILN_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Opens a headless chromium with a fresh user-data-dir; throws a clear error when chromium is missing. */
export async function launchChromium(width = 1400, height = 900): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium (or set KILN_CHROMIUM).`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'kiln-chromium-'));
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width, height } });
}

/** Collects a page's console errors and uncaught script errors into `problems`, for a test to assert there were none. */
export function collectPageErrors(page: Page, problems: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
}

/** A UI served on a free port over one store, a Chromium context and a page on it whose errors are collected. */
export interface UiSession {
  server: { url: string; close: () => Promise<void> };
  browser: BrowserContext;
  page: Page;
  problems: string[];
  close: () => Promise<void>;
}

/** Serves the store's UI and opens Chromium on it (the e2e tests' setup); close() ends the browser, then the server. */
export async function openUiSession(storeUrl: string, width?: number, height?: number): Promise<UiSession> {
  const server = await serveUi({ store: storeUrl, port: 0, log: () => undefined });
  const browser = await launchChromium(width, height);
  const page = await browser.newPage();
  const problems: string[] = [];
  collectPageErrors(page, problems);
  const close = async () => {
    await browser.close();
    await server.close();
  };
  return { server, browser, page, problems, close };
}
