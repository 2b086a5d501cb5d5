import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpShopper, testApp, type TestApp } from '../../test/app.ts';
import { DB_KIND } from '../../test/db.ts';
import { addressOf, placeOrder, seedSku } from '../orders/testing.ts';
import { buildApp } from '../app/app.ts';
import type { App } from './deps.ts';
import { buildRegistry, composeDeps, type Module } from '../app/registry.ts';
import { Page } from './schemas.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t.close());

/** Two public routes that echo what their handler was given. */
const echo: Module = {
  name: 'echo',
  routes: (app: App) => {
    app.get(
      '/api/v1/echo/paged',
      {
        config: { access: 'public' },
        schema: {
          querystring: Type.Intersect([Page, Type.Object({ q: Type.Optional(Type.String()) })]),
        },
      },
      async (req) => req.query,
    );
    app.get('/api/v1/echo/plain', { config: { access: 'public' } }, async (req) => req.query);
  },
};

describe(`query strings are closed on ${DB_KIND}`, () => {
  it('a shopper asking for another shopper’s orders by userId is refused, in zh-CN and en', async () => {
    const me = await signUpShopper(t);
    const other = await signUpShopper(t);
    const { skuId } = await seedSku(t, { priceFen: 1200, stock: 5 });
    await placeOrder(other, { items: [{ skuId, qty: 1 }], addressId: await addressOf(other) });

    for (const value of [String(other.userId), 'abc']) {
      const zh = await me.request({ method: 'GET', url: `/api/v1/orders?userId=${value}` });
      expect(zh.statusCode).toBe(400);
      expect(zh.json()).toEqual({
        code: 'VALIDATION_FAILED',
        message: '请求参数不正确',
        details: {
          fields: [{ field: 'querystring.userId', reason: 'must NOT have additional properties' }],
        },
      });
      const en = await me.request({
        method: 'GET',
        url: `/api/v1/orders?userId=${value}`,
        headers: { 'accept-language': 'en' },
      });
      expect(en.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'The request is not valid',
      });
    }
    // my own list still answers, and holds only my orders
    const mine = await me.request({ method: 'GET', url: '/api/v1/orders?page=1&pageSize=10' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ items: [], total: 0 });
    const theirs = await other.request({
      method: 'GET',
      url: '/api/v1/orders?state=pending_payment',
    });
    expect(theirs.json()).toMatchObject({ total: 1 });
  });

  it('every route refuses a parameter it does not declare (not strips it) and keeps the ones it does', async () => {
    const app = await buildApp(composeDeps(t.deps, buildRegistry([echo])), {
      logger: false,
      web: false,
    });
    await app.ready();
    try {
      const paged = await app.inject({ method: 'GET', url: '/api/v1/echo/paged?page=2&q=tea' });
      expect(paged.json()).toEqual({ page: 2, pageSize: 20, q: 'tea' });
      for (const url of [
        '/api/v1/echo/paged?page=2&storeId=1',
        '/api/v1/echo/paged?_=1733212800000',
        '/api/v1/echo/plain?userId=7',
      ]) {
        const res = await app.inject({ method: 'GET', url });
        expect([url, res.statusCode]).toEqual([url, 400]);
        expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
      expect((await app.inject({ method: 'GET', url: '/api/v1/echo/plain' })).json()).toEqual({});
      // the API documentation says so too
      const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
        paths: Record<string, { get: { parameters?: { name: string }[] } }>;
      };
      expect(doc.paths['/api/v1/echo/paged']!.get.parameters!.map((p) => p.name)).toEqual([
        'page',
        'pageSize',
        'q',
      ]);
    } finally {
      await app.close();
    }
  });
});
