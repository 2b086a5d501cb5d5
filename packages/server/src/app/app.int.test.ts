import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadConfig } from '../config/config.ts';
import { ConsoleSmsProvider, MemorySmsProvider, type SmsProvider } from '../auth/sms.ts';
import { ManualClock } from '../clock/clock.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/database.ts';
import type { AppDeps } from '../http/deps.ts';
import { MODULES } from './modules.ts';
import { buildRegistry, composeDeps, type Module } from './registry.ts';

let database: Database;
let deps: AppDeps;
beforeAll(async () => {
  database = await freshDatabase();
  deps = composeDeps(
    {
      db: database.db,
      config: loadConfig({}, { logLevel: 'info', smsProvider: 'memory' }),
      clock: new ManualClock(new Date('2026-03-01T00:00:00Z')),
      sms: new MemorySmsProvider(),
    },
    buildRegistry(MODULES),
  );
});
afterAll(async () => database.close());

describe('the HTTP app', () => {
  it('refuses to start with an API route that does not declare who may call it', async () => {
    const rogue: Module = {
      name: 'rogue',
      routes: (app) => void app.get('/api/v1/rogue', async () => ({})),
    };
    await expect(
      buildApp(composeDeps(deps, buildRegistry([...MODULES, rogue])), {
        logger: false,
        web: false,
      }),
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

  it('asks browsers to upgrade to HTTPS (CSP upgrade-insecure-requests, HSTS) only when the shop is served over HTTPS', async () => {
    const headersAt = async (publicUrl: string) => {
      const app = await buildApp(
        { ...deps, config: { ...deps.config, publicUrl } },
        { logger: false, web: false },
      );
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      await app.close();
      return res.headers;
    };
    // a phone on the LAN opening http://192.168.1.20:3000 must get scripts over plain HTTP
    const lan = await headersAt('http://192.168.1.20:3000');
    expect(lan['content-security-policy']).toContain("script-src 'self'");
    expect(lan['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(lan['strict-transport-security']).toBeUndefined();
    const https = await headersAt('https://shop.example.com');
    expect(https['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(https['strict-transport-security']).toMatch(/max-age=\d+/);
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
    // the SMS provider a deployment without an SMS gateway runs, printing where the logs go;
    // the test reads the code as the phone would receive it
    const printed = new ConsoleSmsProvider({ write: (line) => lines.push(line) });
    const received: string[] = [];
    const sms: SmsProvider = {
      name: printed.name,
      send: async (to, text) => {
        received.push(text);
        await printed.send(to, text);
      },
    };
    const app = await buildApp(
      { ...deps, sms },
      { logger: { stream, level: 'trace' }, web: false },
    );
    await app.ready();
    const phone = '13712345678';
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/otp',
      payload: { phone, purpose: 'register' },
    });
    const code = /(\d{6})/.exec(received.join(''))![1]!;
    expect(lines.join('')).toMatch(/\[sms to 137\*\*\*\*5678\] .*\*{6}/);
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
