import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpShopper, staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { MAX_IMAGE_BYTES } from './uploads.ts';

/** Image uploads through HTTP, stored in a temporary data directory. */
let t: TestApp;
let staff: Caller;
let shopper: Caller;
let dataDir: string;

// a real 1×1 PNG and the first bytes of the other accepted formats
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0 jpeg body'),
]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x1a, 0, 0, 0]),
  Buffer.from('WEBPVP8L'),
  Buffer.alloc(14, 1),
]);
const HTML = Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>');
const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fanli-uploads-'));
  t = await testApp({ dataDir });
  staff = await staffUser(t, 'staff');
  shopper = await signUpShopper(t);
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const upload = (who: Caller | null, body: Buffer, contentType: string) => {
  const opts = {
    method: 'POST' as const,
    url: '/api/v1/admin/uploads',
    payload: body,
    headers: { 'content-type': contentType },
  };
  return who ? who.request(opts) : t.app.inject(opts);
};

function multipart(file: Buffer, fileContentType: string, filename = 'photo.png') {
  const boundary = '----fanliTestBoundary7MA4YWxkTrZu0gW';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${fileContentType}\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('image uploads', () => {
  it('accepts a PNG, stores it by its SHA-256 and serves the same bytes back with safe headers', async () => {
    const res = await upload(staff, PNG, 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as {
      url: string;
      sha256: string;
      contentType: string;
      sizeBytes: number;
    };
    expect(body).toMatchObject({ contentType: 'image/png', sizeBytes: PNG.length });
    expect(body.url).toBe(`/uploads/${body.sha256}.png`);
    expect(existsSync(join(dataDir, 'uploads', `${body.sha256}.png`))).toBe(true);

    const got = await t.app.inject({ method: 'GET', url: body.url });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(got.headers['content-security-policy']).toContain("default-src 'none'");
    expect(got.headers.etag).toBe(`"${body.sha256}"`);
    const cached = await t.app.inject({
      method: 'GET',
      url: body.url,
      headers: { 'if-none-match': `"${body.sha256}"` },
    });
    expect(cached.statusCode).toBe(304);

    // the same bytes again: the same file, no second copy
    const again = await upload(staff, PNG, 'application/octet-stream');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ url: body.url });
    expect(readdirSync(join(dataDir, 'uploads')).filter((f) => !f.startsWith('.'))).toEqual([
      `${body.sha256}.png`,
    ]);

    const audits = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('object_type', '=', 'upload')
      .where('object_id', '=', body.sha256)
      .execute();
    expect(audits).toEqual([
      { action: 'upload.create', actor_id: staff.userId },
      { action: 'upload.create', actor_id: staff.userId },
    ]);
    const row = await t.deps.db
      .selectFrom('uploads')
      .selectAll()
      .where('sha256', '=', body.sha256)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      content_type: 'image/png',
      size_bytes: PNG.length,
      created_by: staff.userId,
    });

    // the uploaded image can be used by a product and its description
    const product = await staff.request({
      method: 'POST',
      url: '/api/v1/admin/products',
      payload: {
        title: '有图',
        images: [body.url],
        descriptionHtml: `<img src="${body.url}">`,
        skus: [{ spec: {}, priceFen: 1, stock: 1 }],
      },
    });
    expect(product.json()).toMatchObject({
      images: [body.url],
      descriptionHtml: `<img src="${body.url}">`,
    });
  });

  it('tells the type from the bytes, not from the name or the declared type', async () => {
    for (const [bytes, type, ext] of [
      [JPEG, 'image/jpeg', 'jpg'],
      [GIF, 'image/gif', 'gif'],
      [WEBP, 'image/webp', 'webp'],
      [JPEG, 'image/png', 'jpg'], // mislabelled, but a real JPEG: stored and served as one
    ] as const) {
      const res = await upload(staff, bytes, type);
      expect(res.statusCode, `${type} ${res.body}`).toBeLessThan(300);
      const { url } = res.json() as { url: string };
      expect(url.endsWith(`.${ext}`)).toBe(true);
      const got = await t.app.inject({ method: 'GET', url });
      expect(got.headers['content-type']).toBe(`image/${ext === 'jpg' ? 'jpeg' : ext}`);
      expect(got.rawPayload.equals(bytes)).toBe(true);
    }
  });

  it('accepts multipart/form-data with one file', async () => {
    const distinct = Buffer.concat([PNG, Buffer.from('multipart')]);
    const { body, contentType } = multipart(distinct, 'image/png');
    const res = await upload(staff, body, contentType);
    expect(res.statusCode, res.body).toBe(201);
    const got = await t.app.inject({ method: 'GET', url: (res.json() as { url: string }).url });
    expect(got.rawPayload.equals(distinct)).toBe(true);
  });

  it('refuses HTML and SVG, however they are named or labelled', async () => {
    for (const [bytes, type] of [
      [HTML, 'image/png'],
      [HTML, 'text/html'],
      [SVG, 'image/svg+xml'],
      [SVG, 'image/png'],
      [SVG, 'application/octet-stream'],
      [PNG, 'image/svg+xml'],
      [PNG, 'text/html'],
      [Buffer.from('GIF8'), 'image/gif'],
    ] as const) {
      const res = await upload(staff, bytes, type);
      expect(res.statusCode, `${type}: ${res.body}`).toBe(415);
      expect(res.json()).toMatchObject({ code: 'UPLOAD_TYPE_NOT_ALLOWED' });
    }
    const renamedSvg = multipart(SVG, 'image/png', 'cat.png');
    expect((await upload(staff, renamedSvg.body, renamedSvg.contentType)).statusCode).toBe(415);
    const svgPart = multipart(PNG, 'image/svg+xml', 'cat.svg');
    expect((await upload(staff, svgPart.body, svgPart.contentType)).statusCode).toBe(415);
    expect(
      readdirSync(join(dataDir, 'uploads')).some((f) => f.endsWith('.svg') || f.endsWith('.html')),
    ).toBe(false);
  });

  it('refuses an oversized image with 413 and an empty body with 400', async () => {
    const big = Buffer.concat([
      PNG.subarray(0, 8),
      Buffer.alloc(MAX_IMAGE_BYTES + 1 - 8 + 64 * 1024 + 1),
    ]);
    const tooBig = await upload(staff, big, 'image/png');
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // just over the limit (inside the multipart allowance): still refused
    const over = await upload(
      staff,
      Buffer.concat([PNG.subarray(0, 8), Buffer.alloc(MAX_IMAGE_BYTES - 7)]),
      'image/png',
    );
    expect(over.statusCode).toBe(413);
    const overPart = multipart(
      Buffer.concat([PNG.subarray(0, 8), Buffer.alloc(MAX_IMAGE_BYTES - 7)]),
      'image/png',
    );
    expect((await upload(staff, overPart.body, overPart.contentType)).statusCode).toBe(413);
    // exactly the limit is fine
    const atLimit = await upload(
      staff,
      Buffer.concat([PNG.subarray(0, 8), Buffer.alloc(MAX_IMAGE_BYTES - 8, 7)]),
      'image/png',
    );
    expect(atLimit.statusCode).toBe(201);
    expect((await upload(staff, Buffer.alloc(0), 'image/png')).statusCode).toBe(400);
  });

  it('lets only staff upload; anyone may read an uploaded file', async () => {
    expect((await upload(null, PNG, 'image/png')).statusCode).toBe(401);
    expect((await upload(shopper, PNG, 'image/png')).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'GET', url: `/uploads/${'0'.repeat(64)}.png` })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/uploads/..%2F..%2Fetc%2Fpasswd' })).statusCode,
    ).toBe(400);
    expect(
      (await t.app.inject({ method: 'GET', url: `/uploads/${'a'.repeat(64)}.svg` })).statusCode,
    ).toBe(400);
  });
});
