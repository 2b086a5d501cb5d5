import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const SCREENSHOTS = resolve(import.meta.dirname, '..', 'test-results', 'screenshots');

/** Debian's Chromium (apt-get install chromium); playwright's own browser download cannot work here. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};
export const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' };

/**
 * A page that records every console error and uncaught exception: a test calls
 * `assertClean()` at its end and fails if the browser complained about anything.
 */
export interface WatchedPage {
  page: Page;
  errors: string[];
  shot(name: string): Promise<void>;
  assertClean(): void;
}

export async function watchedPage(context: BrowserContext, testName: string): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  mkdirSync(SCREENSHOTS, { recursive: true });
  let n = 0;
  return {
    page,
    errors,
    shot: async (name) => {
      n += 1;
      const file = `${testName}-${String(n).padStart(2, '0')}-${name}.png`.replace(
        /[^\w.-]+/g,
        '_',
      );
      await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: false });
    },
    assertClean: () => {
      if (errors.length) throw new Error(`browser console errors:\n${errors.join('\n')}`);
    },
  };
}

/** A fresh mainland mobile number for a sign-up (unique per run). */
export function randomPhone(): string {
  return `137${String(Date.now() % 1e8).padStart(8, '0')}`;
}
