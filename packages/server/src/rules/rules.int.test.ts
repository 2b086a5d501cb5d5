import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpShopper, staffUser, testApp, type Caller, type TestApp } from '../../test/app.ts';
import { rulesInForce } from './versions.ts';

let t: TestApp;
let admin: Caller;
beforeAll(async () => {
  t = await testApp();
  admin = await staffUser(t, 'admin');
});
afterAll(async () => t.close());

const publish = (body: Record<string, unknown>) =>
  admin.request({ method: 'POST', url: '/api/v1/admin/rules', payload: body });

describe('versioned rules', () => {
  it('starts from the engine defaults', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/rules' });
    expect(res.statusCode).toBe(200);
    expect(res.json().current).toMatchObject({
      id: null,
      settings: { settleAfterDays: 7, commission: { depth: 1 } },
    });
  });

  it('refuses commission depth 3, negative percentages and unknown fields, naming the field', async () => {
    const depth = await publish({ settings: { commission: { enabled: true, depth: 3 } } });
    expect(depth.statusCode).toBe(400);
    expect(depth.json().details.fields).toContainEqual({
      field: 'commission.depth',
      code: 'commissionDepth',
      params: {},
      reason: 'must be 1 or 2',
      message: '只能是 1 或 2（最多两级分销）',
    });
    const negative = await publish({ settings: { queueRebate: { extractPct: -5 } } });
    expect(negative.json().details.fields[0].field).toBe('queueRebate.extractPct');
    const unknown = await publish({ settings: { queueRebate: { foo: 1 } } });
    expect(unknown.json().details.fields[0].field).toBe('queueRebate.foo');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/rules' })).json().current.id,
    ).toBeNull();
  });

  it('names each refused field by code and parameters, worded in the caller’s language', async () => {
    const check = (settings: unknown, lang?: string) =>
      admin.request({
        method: 'POST',
        url: '/api/v1/admin/rules/validate',
        payload: { settings },
        ...(lang ? { headers: { 'accept-language': lang } } : {}),
      });
    const zh = await check({ settleAfterDays: 4000, queueRebate: { queue: 'global' } });
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求参数不正确' });
    expect(zh.json().details.fields).toEqual([
      {
        field: 'settleAfterDays',
        code: 'integerRange',
        params: { min: 0, max: 3650 },
        reason: 'must be an integer from 0 to 3650',
        message: '请填 0 到 3650 之间的整数',
      },
      {
        field: 'queueRebate.queue',
        code: 'oneOf',
        params: { options: ['mall', 'product'] },
        reason: 'must be one of "mall", "product"',
        message: '只能是 "mall", "product" 之一',
      },
    ]);
    const en = await check({ commission: { level1Pct: 60, level2Pct: 50 } }, 'en-US,en;q=0.9');
    expect(en.json().details.fields).toEqual([
      {
        field: 'commission.level2Pct',
        code: 'commissionSum',
        params: {},
        reason: 'level1Pct + level2Pct must not exceed 100',
        message: 'level1Pct + level2Pct must not exceed 100',
      },
    ]);
  });

  it('publishes a version now, announces one for later, and judges by the time', async () => {
    const now = await publish({ settings: { settleAfterDays: 3 }, note: 'shorter window' });
    expect(now.statusCode).toBe(201);
    const later = new Date(t.clock.now().getTime() + 7 * 86_400_000);
    const announced = await publish({
      settings: { settleAfterDays: 5 },
      effectiveAt: later.toISOString(),
      note: 'from next week',
    });
    expect(announced.statusCode).toBe(201);
    const page = (await t.app.inject({ method: 'GET', url: '/api/v1/rules' })).json();
    expect(page.current.settings.settleAfterDays).toBe(3);
    expect(page.upcoming).toHaveLength(1);
    expect(page.upcoming[0]).toMatchObject({
      note: 'from next week',
      effectiveAt: later.toISOString(),
    });
    const placedBefore = t.clock.now();
    t.clock.advance(8 * 86_400_000);
    expect((await rulesInForce(t.deps.db, t.clock.now())).settings.settleAfterDays).toBe(5);
    // an order placed before the change keeps being judged by the earlier version
    expect((await rulesInForce(t.deps.db, placedBefore)).settings.settleAfterDays).toBe(3);
  });

  it('never rewrites the past, hides the budget from shoppers, and is admin-only', async () => {
    const past = await publish({
      settings: {},
      effectiveAt: new Date(t.clock.now().getTime() - 86_400_000).toISOString(),
    });
    expect(past.json().details.fields[0]).toMatchObject({
      field: 'effectiveAt',
      code: 'inThePast',
      reason: 'must not be in the past',
    });
    await publish({ settings: { referral: { budgetFen: 100000 } } });
    const page = (await t.app.inject({ method: 'GET', url: '/api/v1/rules' })).json();
    expect(page.current.settings.referral.budgetFen).toBeNull();
    const staff = await staffUser(t, 'staff');
    expect(
      (
        await staff.request({
          method: 'POST',
          url: '/api/v1/admin/rules',
          payload: { settings: {} },
        })
      ).statusCode,
    ).toBe(403);
    const shopper = await signUpShopper(t);
    expect((await shopper.request({ method: 'GET', url: '/api/v1/admin/rules' })).statusCode).toBe(
      403,
    );
    const log = await admin.request({ method: 'GET', url: '/api/v1/admin/audit' });
    expect(log.json().items.some((i: { action: string }) => i.action === 'rules.publish')).toBe(
      true,
    );
  });

  it("gives staff any version's document back, defaults filled in, to edit it again", async () => {
    const first = await publish({ settings: { settleAfterDays: 11 }, note: 'eleven' });
    expect(first.statusCode, first.body).toBeLessThan(300);
    const id = first.json().id as number;
    await publish({ settings: { settleAfterDays: 12 } });
    const old = await admin.request({ method: 'GET', url: `/api/v1/admin/rules/versions/${id}` });
    expect(old.json()).toMatchObject({
      id,
      note: 'eleven',
      settings: { settleAfterDays: 11, commission: { depth: 1 } },
    });
    const missing = await admin.request({
      method: 'GET',
      url: '/api/v1/admin/rules/versions/999999',
    });
    expect(missing.statusCode).toBe(404);
    const shopper = await signUpShopper(t);
    expect(
      (await shopper.request({ method: 'GET', url: `/api/v1/admin/rules/versions/${id}` }))
        .statusCode,
    ).toBe(403);
  });
});
