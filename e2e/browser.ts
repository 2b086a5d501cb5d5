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

/** Signs in to the merchant console at `/admin/login` and waits for the dashboard. */
export async function consoleLogin(
  page: Page,
  base: string,
  phone = '13800000001',
  password = 'admin12345',
): Promise<void> {
  await page.goto(`${base}/admin/login`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(/\/admin\/?$/);
}

/** "¥1,234.56" or "-¥0.05" → integer fen (for reading amounts off the screen). */
export function fenFromText(text: string): number {
  const m = /(-)?¥([\d,]+)\.(\d{2})/.exec(text);
  if (!m) throw new Error(`no amount in ${JSON.stringify(text)}`);
  const fen = Number(m[2]!.replace(/,/g, '')) * 100 + Number(m[3]);
  return m[1] ? -fen : fen;
}

/** Signs in to the shop at `/login` (phone + password) and waits to land on `next` (default `/me`). */
export async function shopLogin(
  page: Page,
  base: string,
  phone: string,
  password = 'shopper12345',
  next?: string,
): Promise<void> {
  await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(`${base}${next ?? '/me'}`);
}
