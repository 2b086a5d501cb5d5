import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/database.ts';
import { buildApp } from '../app/app.ts';
import { MODULES } from '../app/modules.ts';
import { buildRegistry, composeDeps } from '../app/registry.ts';
import { loadConfig } from '../config/config.ts';
import { MemorySmsProvider } from '../auth/sms.ts';
import { ManualClock, TestClock } from './clock.ts';
import { staffUser, testApp, type TestApp } from '../../test/app.ts';

let database: Database;
let t: TestApp;
beforeAll(async () => {
  database = await freshDatabase();
  t = await testApp();
});
afterAll(async () => {
  await database.close();
  await t.close();
});

describe('the test clock route', () => {
  it('moves a test clock forward, for an admin', async () => {
    const clock = new TestClock();
    const app = await buildApp(
      {
        db: t.deps.db,
        registry: t.deps.registry,
        config: loadConfig({}, { logLevel: 'silent', clock: 'test' }),
        clock,
        sms: new MemorySmsProvider(),
      },
      { logger: false, web: false },
    );
    await app.ready();
    const admin = await staffUser(t, 'admin');
    // sign in on this app: its clock is not the manual one the session was made with
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: admin.phone, password: 'staffpass1' },
    });
    const token = login.json().token as string;
    const before = clock.now().getTime();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/test/clock/advance',
      payload: { ms: 7 * 86_400_000 },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(clock.now().getTime() - before).toBeGreaterThanOrEqual(7 * 86_400_000);
    const anon = await app.inject({
      method: 'POST',
      url: '/api/v1/test/clock/advance',
      payload: { ms: 1 },
    });
    expect(anon.statusCode).toBe(401);
    await app.close();
  });

  it('does not exist on a real clock', async () => {
    const app = await buildApp(
      composeDeps(
        {
          db: database.db,
          config: loadConfig({}, { logLevel: 'silent' }),
          clock: new ManualClock(new Date()),
          sms: new MemorySmsProvider(),
        },
        buildRegistry(MODULES),
      ),
      { logger: false, web: false },
    );
    await app.ready();
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/test/clock/advance', payload: { ms: 1 } }))
        .statusCode,
    ).toBe(404);
    await app.close();
  });
});
