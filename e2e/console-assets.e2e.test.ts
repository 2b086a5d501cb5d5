import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { consoleLogin, DESKTOP, launch, PHONE, watchedPage } from './browser.ts';

const base = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Script {
  url: string;
  acceptEncoding: string;
  contentEncoding: string | undefined;
  /** bytes on the wire (compressed) and after decoding */
  transferBytes: number;
  bytes: number;
  body: string;
}

/** Every script the page fetches, with how it came over the wire. */
function recordScripts(page: Page): Script[] {
  const scripts: Script[] = [];
  page.on('response', async (res) => {
    const req = res.request();
    if (req.resourceType() !== 'script') return;
    const body = await res.body();
    const sizes = await req.sizes();
    scripts.push({
      url: res.url(),
      acceptEncoding: (await req.allHeaders())['accept-encoding'] ?? '',
      contentEncoding: (await res.allHeaders())['content-encoding'],
      transferBytes: sizes.responseBodySize,
      bytes: body.length,
      body: body.toString(),
    });
  });
  return scripts;
}

// ECharts' own marker: the attribute it sets on every chart's element
const isECharts = (s: Script) => /EChart/.test(s.url) || s.body.includes('_echarts_instance_');
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

test('the console login page loads no ECharts and its scripts come compressed; charts load with the dashboard', async () => {
  const ctx = await browser.newContext(DESKTOP);
  const w = await watchedPage(ctx, 'console-assets');
  const scripts = recordScripts(w.page);
  await w.page.goto(`${base}/admin/login`);
  await w.page.getByRole('button', { name: '登录', exact: true }).waitFor();
  await w.page.waitForLoadState('networkidle');

  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter(isECharts).map((s) => s.url)).toEqual([]);
  // brotli when the browser offers it, else gzip; smaller on the wire than on disk (files
  // under 1 kB are not worth compressing and come as they are)
  for (const s of scripts.filter((s) => s.bytes >= 1024)) {
    expect(s.contentEncoding, s.url).toBe(/\bbr\b/.test(s.acceptEncoding) ? 'br' : 'gzip');
    expect(s.transferBytes, s.url).toBeLessThan(s.bytes / 2);
  }
  const wire = scripts.reduce((n, s) => n + s.transferBytes, 0);
  const raw = scripts.reduce((n, s) => n + s.bytes, 0);
  console.info(`console login scripts: ${kb(wire)} on the wire, ${kb(raw)} decoded`);

  // the dashboard draws charts: now ECharts is fetched
  await consoleLogin(w.page, base);
  await expect
    .poll(() => w.page.locator('canvas').count(), { timeout: 20_000 })
    .toBeGreaterThanOrEqual(2);
  await w.shot('dashboard-charts');
  expect(scripts.some(isECharts)).toBe(true);
  w.assertClean();
  await ctx.close();
});

test('the shop home page scripts come compressed', async () => {
  const ctx = await browser.newContext(PHONE);
  const w = await watchedPage(ctx, 'shop-assets');
  const scripts = recordScripts(w.page);
  await w.page.goto(`${base}/`);
  await w.page.waitForLoadState('networkidle');
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts.filter((s) => s.bytes >= 1024))
    expect(s.contentEncoding, s.url).toMatch(/^(br|gzip)$/);
  const wire = scripts.reduce((n, s) => n + s.transferBytes, 0);
  const raw = scripts.reduce((n, s) => n + s.bytes, 0);
  console.info(`shop home scripts: ${kb(wire)} on the wire, ${kb(raw)} decoded`);
  w.assertClean();
  await ctx.close();
});
