import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { compressFiles } from '../../../web-common/build/precompress.ts';
import { serveWebApps } from './static.ts';
import type { App } from './deps.ts';

// The built apps as the build leaves them (files plus their .br/.gz copies), served by
// the real static setup on a bare server: no database involved.
describe('built web apps are served compressed when the browser accepts it', () => {
  const root = mkdtempSync(join(tmpdir(), 'fanli-static-'));
  const script = `export const hello = ${JSON.stringify('你好，'.repeat(400))};\n`;
  const style = `.card { color: #fa541c; padding: 8px; }\n`.repeat(60);
  let app: App;

  beforeAll(async () => {
    for (const name of ['shop', 'admin']) {
      const dist = join(root, name);
      mkdirSync(join(dist, 'assets'), { recursive: true });
      writeFileSync(join(dist, 'index.html'), `<!doctype html><title>${name}</title>`);
      writeFileSync(join(dist, 'assets', 'index-abc123.js'), script);
      writeFileSync(join(dist, 'assets', 'index-abc123.css'), style);
      await compressFiles(dist, [
        'index.html',
        'assets/index-abc123.js',
        'assets/index-abc123.css',
      ]);
    }
    app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
    await serveWebApps(app, [
      { name: 'web-shop', prefix: '/', dist: `${join(root, 'shop')}/` },
      { name: 'web-admin', prefix: '/admin/', dist: `${join(root, 'admin')}/` },
    ]);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string, acceptEncoding?: string) =>
    app.inject({
      method: 'GET',
      url,
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    });

  it('sends brotli to a browser that accepts br, with the script type and Vary', async () => {
    const res = await get('/admin/assets/index-abc123.js', 'gzip, deflate, br, zstd');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(script);
  });

  it('sends gzip when only gzip is accepted', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip']) {
      const res = await get('/assets/index-abc123.css', accept);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['content-type']).toMatch(/^text\/css/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(gunzipSync(res.rawPayload).toString()).toBe(style);
    }
  });

  it('sends the file itself to a client that accepts neither', async () => {
    for (const accept of [undefined, 'identity', 'deflate']) {
      const res = await get('/admin/assets/index-abc123.js', accept);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
      expect(res.body).toBe(script);
    }
  });

  it('serves a small page as it is, and client-side routes still get the app page', async () => {
    const page = await get('/admin/orders', 'gzip, br');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body).toContain('<title>admin</title>');
    expect((await get('/me', 'br')).body).toContain('<title>shop</title>');
  });
});
