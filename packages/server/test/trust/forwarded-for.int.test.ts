import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/config.ts';
import { DB_KIND } from '../db.ts';
import { nextPhone, staffUser, testApp, type TestApp } from '../app.ts';

/**
 * Behind a reverse proxy that appends the address it sees to X-Forwarded-For, a client
 * that writes its own left-most entries still counts as itself. The proxy here is a real
 * HTTP proxy on 127.0.0.1; the client connects to it from 127.0.0.2, so the server can
 * only learn the client's address from the entry the proxy appended.
 */
const CLIENT_IP = '127.0.0.2';

interface Setup {
  t: TestApp;
  proxy: Server;
  send(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
}

async function behindProxy(trustProxy: Config['trustProxy']): Promise<Setup> {
  const t = await testApp({ trustProxy });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const appPort = (t.app.server.address() as AddressInfo).port;
  // the usual reverse proxy: passes the request on and appends its peer's address
  const proxy = createServer((req, res) => {
    const seen = req.headers['x-forwarded-for'];
    const peer = req.socket.remoteAddress ?? '';
    const headers: IncomingHttpHeaders = {
      ...req.headers,
      'x-forwarded-for': seen ? `${String(seen)}, ${peer}` : peer,
    };
    const upstream = request(
      { host: '127.0.0.1', port: appPort, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
  const proxyPort = (proxy.address() as AddressInfo).port;
  const send: Setup['send'] = (method, path, body, headers = {}) =>
    new Promise((ok, fail) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port: proxyPort,
          localAddress: CLIENT_IP,
          method,
          path,
          headers: {
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', fail);
      req.end(payload);
    });
  return { t, proxy, send };
}

async function teardown(s: Setup) {
  await new Promise((ok) => s.proxy.close(ok));
  await s.t.close();
}

/** A different forged left-most entry on every request, as an attacker would rotate it. */
let forged = 0;
const forgedHop = () => ({ 'x-forwarded-for': `10.9.${(forged >> 8) & 255}.${forged++ & 255}` });

describe(`client address behind one proxy (FANLI_TRUST_PROXY=true) on ${DB_KIND}`, () => {
  let s: Setup;
  beforeAll(async () => {
    s = await behindProxy(1);
  });
  afterAll(async () => teardown(s));

  it('keeps the one-time code limit of 20 per address per hour however the client forges X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await s.send(
        'POST',
        '/api/v1/auth/otp',
        { phone: nextPhone(), purpose: 'register' },
        forgedHop(),
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((x) => x === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });

  it('keeps the sign-up limit of 10 per address per hour', async () => {
    s.t.clock.advance(2 * 60 * 60_000);
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await s.send(
        'POST',
        '/api/v1/auth/register',
        {
          phone: nextPhone(),
          code: '000000',
          privacyVersion: s.t.deps.config.privacyPolicyVersion,
        },
        forgedHop(),
      );
      codes.push((JSON.parse(res.body) as { code: string }).code);
    }
    expect(codes.slice(0, 10).every((c) => c === 'OTP_INVALID')).toBe(true);
    expect(codes[10]).toBe('RATE_LIMITED');
  });

  it('keeps the sign-in limit of 50 per address per 10 minutes, and a phone’s 5 password attempts', async () => {
    s.t.clock.advance(2 * 60 * 60_000);
    const victim = nextPhone();
    const onVictim: number[] = [];
    for (let i = 0; i < 6; i++)
      onVictim.push(
        (
          await s.send(
            'POST',
            '/api/v1/auth/login',
            { phone: victim, password: 'guess12345' },
            forgedHop(),
          )
        ).status,
      );
    expect(onVictim).toEqual(Array(6).fill(401));
    const rows = await s.t.deps.db
      .selectFrom('rate_limits')
      .select(['bucket', 'hits'])
      .where('bucket', 'like', 'login:phone-ip:%')
      .execute();
    // one bucket, the real address's, holding all six attempts
    expect(rows).toEqual([{ bucket: expect.stringMatching(/:127\.0\.0\.2$/), hits: 6 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++)
      statuses.push(
        (
          await s.send(
            'POST',
            '/api/v1/auth/login',
            { phone: nextPhone(), password: 'guess12345' },
            forgedHop(),
          )
        ).status,
      );
    expect(statuses.slice(0, 44).every((x) => x === 401)).toBe(true);
    expect(statuses[44]).toBe(429);
  });

  it('records the real address in the audit log', async () => {
    const admin = await staffUser(s.t, 'admin');
    const res = await s.send(
      'POST',
      '/api/v1/admin/categories',
      { name: '代理后台' },
      { authorization: `Bearer ${admin.token}`, ...forgedHop() },
    );
    expect(res.status, res.body).toBe(201);
    const row = await s.t.deps.db
      .selectFrom('audit_log')
      .select('ip')
      .where('action', '=', 'category.create')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.ip).toBe(CLIENT_IP);
  });
});

describe(`client address behind a proxy named by address (FANLI_TRUST_PROXY=127.0.0.1/32) on ${DB_KIND}`, () => {
  let s: Setup;
  beforeAll(async () => {
    s = await behindProxy(['127.0.0.1/32']);
  });
  afterAll(async () => teardown(s));

  it('believes only the entry the proxy appended', async () => {
    const admin = await staffUser(s.t, 'admin');
    const res = await s.send(
      'POST',
      '/api/v1/admin/categories',
      { name: '代理后台二' },
      { authorization: `Bearer ${admin.token}`, 'x-forwarded-for': '10.1.1.1, 10.2.2.2' },
    );
    expect(res.status, res.body).toBe(201);
    const row = await s.t.deps.db
      .selectFrom('audit_log')
      .select('ip')
      .where('action', '=', 'category.create')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.ip).toBe(CLIENT_IP);
  });
});
