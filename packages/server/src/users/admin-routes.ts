import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page, Paged, Password, Phone } from '../http/schemas.ts';
import { currentUser, STAFF, ADMIN } from '../http/access.ts';
import { AppError, err, ok, unwrap } from '../errors/index.ts';
import { inTx, inTxResult } from '../db/tx.ts';
import { audit, type Actor } from '../audit/audit.ts';
import { publicUser, insertUniqueUser } from '../auth/service.ts';
import { hashPassword, isAcceptablePassword } from '../auth/passwords.ts';
import { revokeAllSessions } from '../auth/sessions.ts';
import { merchantAccount, transfer, userAccount, verifyLedger } from '../ledger/index.ts';
import { idempotentReply } from '../http/idempotent.ts';
import { pctToHundredths } from '@fanli/engine';
import { MemberStatusSchema, memberStatusOf } from '../rules/members.ts';
import { rulesInForce } from '../rules/versions.ts';

const actorOf = (req: FastifyRequest): Actor => {
  const u = currentUser(req);
  return { id: u.id, role: u.role, ip: req.ip };
};

export function adminRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/admin/users',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin'],
        summary: 'Users, newest first; filter by role or by phone/nickname',
        querystring: Type.Intersect([
          Page,
          Type.Object({
            role: Type.Optional(
              Type.Union(['shopper', 'cashier', 'staff', 'admin'].map((r) => Type.Literal(r))),
            ),
            q: Type.Optional(Type.String({ maxLength: 40 })),
          }),
        ]),
      },
    },
    async (req) => {
      const { page, pageSize, role, q } = req.query;
      let query = deps.db.selectFrom('users').where('status', '<>', 'deleted');
      if (role) query = query.where('role', '=', role as 'shopper');
      if (q)
        query = query.where((eb) =>
          eb.or([
            eb('phone', '=', q),
            eb('nickname', 'ilike', `%${q.replace(/[\\%_]/g, '\\$&')}%`),
          ]),
        );
      const total = await query
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const rows = await query
        .selectAll()
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return {
        items: rows.map((u) => ({ ...publicUser(u), status: u.status })),
        total: Number(total.n),
        page,
        pageSize,
      };
    },
  );

  for (const [action, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    app.post(
      `/api/v1/admin/users/:id/${action}`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['admin'],
          summary: `${action === 'disable' ? 'Disable an account (its sessions end at once)' : 'Re-enable an account'}`,
          params: IdParam,
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const now = deps.clock.now();
        if (req.params.id === actor.id) throw new AppError('FORBIDDEN');
        return inTx(deps.db, async (tx) => {
          const u = await tx
            .updateTable('users')
            .set({ status })
            .where('id', '=', req.params.id)
            .where('status', '<>', 'deleted')
            .returningAll()
            .executeTakeFirst();
          if (!u) throw new AppError('NOT_FOUND');
          if (status === 'disabled') await revokeAllSessions(tx, u.id, now);
          await audit(tx, actor, `user.${action}`, { type: 'user', id: u.id }, {}, now);
          return { ...publicUser(u), status: u.status };
        });
      },
    );
  }

  app.get(
    '/api/v1/admin/users/:id/member',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin'],
        summary:
          "A member's level and growth value, and the levels configured in the rules in force",
        params: IdParam,
        response: {
          200: Type.Intersect([
            MemberStatusSchema,
            Type.Object({
              levels: Type.Array(
                Type.Object({ id: Type.String(), name: Type.String(), minGrowth: Type.Integer() }),
              ),
            }),
          ]),
        },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      const u = await deps.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', req.params.id)
        .where('status', '<>', 'deleted')
        .executeTakeFirst();
      if (!u) throw new AppError('NOT_FOUND');
      const { settings } = await rulesInForce(deps.db, now);
      return {
        ...(await memberStatusOf(deps.db, u.id, now)),
        levels: settings.members.levels.map((l) => ({
          id: l.id,
          name: l.name,
          minGrowth: l.minGrowth,
        })),
      };
    },
  );

  app.post(
    '/api/v1/admin/users/:id/level',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          "Set a member's level (会员等级), any level id; null removes it. Growth from later settled orders only raises it",
        params: IdParam,
        body: Type.Object(
          { level: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()]) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      return inTx(deps.db, async (tx) => {
        const u = await tx
          .updateTable('users')
          .set({ member_level: req.body.level })
          .where('id', '=', req.params.id)
          .where('status', '<>', 'deleted')
          .returningAll()
          .executeTakeFirst();
        if (!u) throw new AppError('NOT_FOUND');
        await audit(
          tx,
          actor,
          'user.level',
          { type: 'user', id: u.id },
          { level: req.body.level },
          now,
        );
        return {
          ...publicUser(u),
          status: u.status,
          memberLevel: u.member_level,
          growth: u.growth,
        };
      });
    },
  );

  app.post(
    '/api/v1/admin/staff',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Create a staff, cashier or admin account',
        body: Type.Object(
          {
            phone: Phone,
            password: Password,
            nickname: Type.String({ minLength: 1, maxLength: 40 }),
            role: Type.Union([
              Type.Literal('staff'),
              Type.Literal('cashier'),
              Type.Literal('admin'),
            ]),
            storeId: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      const body = req.body;
      if (!isAcceptablePassword(body.password)) throw new AppError('WEAK_PASSWORD');
      if (body.role === 'cashier' && !body.storeId)
        throw new AppError('VALIDATION_FAILED', {
          fields: [{ field: 'body.storeId', reason: 'a cashier belongs to a store' }],
        });
      const passwordHash = await hashPassword(body.password);
      const result = await inTxResult(deps.db, async (tx) => {
        if (body.storeId) {
          const store = await tx
            .selectFrom('stores')
            .select('id')
            .where('id', '=', body.storeId)
            .executeTakeFirst();
          if (!store) return err('STORE_NOT_FOUND');
        }
        const u = await insertUniqueUser(tx, {
          phone: body.phone,
          password_hash: passwordHash,
          role: body.role,
          nickname: body.nickname,
          referrer_id: null,
          referred_at: null,
          store_id: body.storeId ?? null,
          privacy_version: null,
          privacy_consented_at: null,
        });
        if (!u) return err('PHONE_TAKEN');
        await audit(
          tx,
          actor,
          'staff.create',
          { type: 'user', id: u.id },
          { role: body.role, storeId: body.storeId ?? null },
          now,
        );
        return ok(publicUser(u));
      });
      return reply.status(201).send(unwrap(result));
    },
  );

  app.get(
    '/api/v1/admin/stores',
    { config: { access: STAFF }, schema: { tags: ['admin'], summary: 'Stores (门店)' } },
    async () => deps.db.selectFrom('stores').selectAll().orderBy('id').execute(),
  );

  app.post(
    '/api/v1/admin/stores',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Open a store',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 80 }),
            address: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      const store = await inTx(deps.db, async (tx) => {
        const s = await tx
          .insertInto('stores')
          .values({ name: req.body.name, address: req.body.address ?? '' })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit(tx, actor, 'store.create', { type: 'store', id: s.id }, { name: s.name }, now);
        return s;
      });
      return reply.status(201).send(store);
    },
  );

  app.patch(
    '/api/v1/admin/stores/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          "Edit a store: name, address, who recruited it (招商) and the platform's commission on its orders",
        params: IdParam,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
            address: Type.Optional(Type.String({ maxLength: 200 })),
            recruiterId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
            platformCommissionPct: Type.Optional(
              Type.Number({ minimum: 0, maximum: 100, multipleOf: 0.01 }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const now = deps.clock.now();
      const b = req.body;
      return inTx(deps.db, async (tx) => {
        if (b.recruiterId) {
          const u = await tx
            .selectFrom('users')
            .select('id')
            .where('id', '=', b.recruiterId)
            .where('status', '=', 'active')
            .executeTakeFirst();
          if (!u) throw new AppError('NOT_FOUND', { field: 'recruiterId' });
        }
        const changes = {
          ...(b.name !== undefined ? { name: b.name } : {}),
          ...(b.address !== undefined ? { address: b.address } : {}),
          ...(b.recruiterId !== undefined ? { recruiter_id: b.recruiterId } : {}),
          ...(b.platformCommissionPct !== undefined
            ? { platform_commission_pct_h: pctToHundredths(b.platformCommissionPct) }
            : {}),
        };
        const s =
          Object.keys(changes).length === 0
            ? await tx
                .selectFrom('stores')
                .selectAll()
                .where('id', '=', req.params.id)
                .executeTakeFirst()
            : await tx
                .updateTable('stores')
                .set(changes)
                .where('id', '=', req.params.id)
                .returningAll()
                .executeTakeFirst();
        if (!s) throw new AppError('STORE_NOT_FOUND');
        await audit(tx, actor, 'store.update', { type: 'store', id: s.id }, b, now);
        return s;
      });
    },
  );

  app.get(
    '/api/v1/admin/audit',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Audit log of staff and admin actions, newest first',
        querystring: Page,
        response: { 200: Paged(Type.Any()) },
      },
    },
    async (req) => {
      const { page, pageSize } = req.query;
      const total = await deps.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const items = await deps.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { items, total: Number(total.n), page, pageSize };
    },
  );

  app.post(
    '/api/v1/admin/ledger/adjustments',
    {
      config: { access: ADMIN, idempotent: true },
      schema: {
        tags: ['admin'],
        summary:
          "Credit or debit a user's cash (fen), points or voucher value — e.g. a goodwill gesture (idempotent)",
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: Type.Object(
          {
            userId: Type.Integer({ minimum: 1 }),
            asset: Type.Union([
              Type.Literal('cash'),
              Type.Literal('points'),
              Type.Literal('voucher'),
            ]),
            amount: Type.Integer({
              minimum: -100_000_000,
              maximum: 100_000_000,
              not: { const: 0 },
              description: 'positive credits the user, negative debits',
            }),
            note: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { userId, asset, amount, note } = req.body;
      return idempotentReply(deps, req, reply, async (tx) => {
        const now = deps.clock.now();
        const user = await tx
          .selectFrom('users')
          .select('id')
          .where('id', '=', userId)
          .where('status', '<>', 'deleted')
          .executeTakeFirst();
        if (!user) throw new AppError('NOT_FOUND');
        const credit = amount > 0;
        const result = await transfer(tx, {
          debit: credit ? merchantAccount(asset) : userAccount(userId, asset),
          credit: credit ? userAccount(userId, asset) : merchantAccount(asset),
          amount: Math.abs(amount),
          reason: 'admin.adjustment',
          source: { type: 'admin', id: actor.id ?? 0 },
          memo: { note },
          at: now,
        });
        if (!result.ok) throw new AppError(result.code);
        await audit(
          tx,
          actor,
          'ledger.adjust',
          { type: 'user', id: userId },
          { asset, amount, note, transferId: result.transfer.id },
          now,
        );
        return { status: 201, body: { transferId: result.transfer.id, userId, asset, amount } };
      });
    },
  );

  app.get(
    '/api/v1/admin/ledger/verify',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Check the books: every asset sums to zero, every account matches its transfers',
      },
    },
    async () => verifyLedger(deps.db),
  );
}
