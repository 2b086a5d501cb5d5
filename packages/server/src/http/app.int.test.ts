import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadConfig } from '../config/config.ts';
import { MemorySmsProvider } from '../auth/sms.ts';
import { ManualClock } from '../clock/clock.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/database.ts';
import type { AppDeps } from './deps.ts';
import { MODULES } from './modules.ts';

let database: Database;
let deps: AppDeps;
beforeAll(async () => {
  database = await freshDatabase();
  deps = {
    db: database.db,
    config: loadConfig({}, { logLevel: 'info', smsProvider: 'memory' }),
    clock: new ManualClock(new Date('2026-03-01T00:00:00Z')),
    sms: new MemorySmsProvider(),
  };
});
afterAll(async () => database.close());

describe('the HTTP app', () => {
  it('refuses to start with an API route that does not declare who may call it', async () => {
    const rogue = {
      name: 'rogue',
      routes: (app: Parameters<NonNullable<(typeof MODULES)[number]['routes']>>[0]) =>
        void app.get('/api/v1/rogue', async () => ({})),
    };
    await expect(
      buildApp(deps, { logger: false, web: false, modules: [...MODULES, rogue] }),
    ).rejects.toThrow(/does not declare who may call it/);
  });

  it('keeps a route table: every API route with its declared access, all documented', async () => {
    const app = await buildApp(deps, { logger: false, web: false });
    await app.ready();
    const table = app.routeTable;
    expect(table.length).toBeGreaterThan(10);
    expect(
      table.every((r) => r.access === 'public' || r.access === 'user' || Array.isArray(r.access)),
    ).toBe(true);
    const find = (method: string, url: string) =>
      table.find((r) => r.method === method && r.url === url);
    expect(find('POST', '/api/v1/auth/login')?.access).toBe('public');
    expect(find('GET', '/api/v1/wallet')?.access).toBe('user');
    expect(find('POST', '/api/v1/admin/ledger/adjustments')).toMatchObject({
      access: ['admin'],
      idempotent: true,
    });
    const docs = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const r of table) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(
        docs.paths[path]?.[r.method.toLowerCase()],
        `${r.method} ${r.url} in OpenAPI`,
      ).toBeDefined();
    }
    await app.close();
  });

  it('answers 400, not 500, to numbers too large to store (even ones that coerce to Infinity)', async () => {
    const app = await buildApp(deps, { logger: false, web: false });
    await app.ready();
    // a lone surrogate cannot be stored as PostgreSQL text or jsonb
    const broken = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: '{"phone":"13900000000","password":"\\ud800"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().code).toBe('VALIDATION_FAILED');
    for (const id of ['9007199254740993', '9'.repeat(400)]) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/products?categoryId=${id}` });
      expect(res.statusCode, id).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    await app.close();
  });

  it('writes no phone number, password, token or code to its logs', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const sms = deps.sms as MemorySmsProvider;
    const app = await buildApp(deps, { logger: { stream, level: 'trace' }, web: false });
    await app.ready();
    const phone = '13712345678';
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone, purpose: 'register' },
    });
    const code = sms.lastCode(phone)!;
    const reg = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: {
        phone,
        code,
        password: 'TopSecret99',
        privacyVersion: deps.config.privacyPolicyVersion,
      },
    });
    const token = reg.json().token as string;
    await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone, password: 'WrongSecret1' },
    });
    await app.inject({ method: 'GET', url: `/api/v1/products?q=${phone}` });
    await app.close();
    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(phone);
    expect(log).not.toContain('TopSecret99');
    expect(log).not.toContain(token);
    expect(log).not.toContain(code);
  });
});
