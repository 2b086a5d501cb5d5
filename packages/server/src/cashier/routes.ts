import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { currentUser } from '../http/access.ts';
import { AppError, unwrap } from '../errors/index.ts';
import { inTxResult } from '../db/tx.ts';
import { idempotentReply } from '../http/idempotent.ts';
import { maskPhone } from '../auth/sms.ts';
import { chargeStatus, claimCharge, createCharge } from './charges.ts';

const CASHIER = ['cashier'] as const;
const Code = Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9_-]{16}$' }) });

export function cashierRoutes(app: App, deps: AppDeps) {
  const view = async (id: number, cashierId: number) => {
    const row = await deps.db
      .selectFrom('cashier_charges as c')
      .leftJoin('orders as o', 'o.id', 'c.order_id')
      .leftJoin('users as u', 'u.id', 'o.user_id')
      .select([
        'c.id',
        'c.code',
        'c.amount_fen',
        'c.note',
        'c.created_at',
        'c.expires_at',
        'c.order_id',
        'o.state',
        'o.paid_at',
        'u.phone',
        'u.nickname',
      ])
      .where('c.id', '=', id)
      .where('c.cashier_id', '=', cashierId)
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND');
    const status = chargeStatus(row.state, new Date(row.expires_at), deps.clock.now());
    return {
      id: row.id,
      code: row.code,
      amountFen: row.amount_fen,
      note: row.note,
      status,
      payPath: `/pay/c/${row.code}`,
      createdAt: new Date(row.created_at).toISOString(),
      expiresAt: new Date(row.expires_at).toISOString(),
      paidAt: status === 'paid' && row.paid_at ? new Date(row.paid_at).toISOString() : null,
      orderId: row.order_id,
      // the cashier sees who paid, masked
      paidBy: status === 'paid' ? (row.phone ? maskPhone(row.phone) : row.nickname) : null,
    };
  };

  app.post(
    '/api/v1/cashier/charges',
    {
      config: { access: CASHIER, idempotent: true },
      schema: {
        tags: ['cashier'],
        summary: 'Ask a customer for an amount: returns a code for the QR (valid 15 minutes)',
        body: Type.Object(
          {
            amountFen: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
            note: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      if (me.storeId === null) throw new AppError('FORBIDDEN');
      return idempotentReply(deps, req, reply, async (tx) => {
        const c = await createCharge(
          tx,
          {
            cashierId: me.id,
            storeId: me.storeId!,
            amountFen: req.body.amountFen,
            note: req.body.note ?? '',
          },
          deps.clock.now(),
        );
        return {
          status: 201,
          body: {
            id: c.id,
            code: c.code,
            amountFen: c.amount_fen,
            status: 'pending',
            payPath: `/pay/c/${c.code}`,
            expiresAt: new Date(c.expires_at).toISOString(),
          },
        };
      });
    },
  );

  app.get(
    '/api/v1/cashier/charges',
    {
      config: { access: CASHIER },
      schema: { tags: ['cashier'], summary: 'My charges of the last 24 hours, newest first' },
    },
    async (req) => {
      const me = currentUser(req);
      const rows = await deps.db
        .selectFrom('cashier_charges')
        .select('id')
        .where('cashier_id', '=', me.id)
        .where('created_at', '>=', new Date(deps.clock.now().getTime() - 86_400_000))
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return { items: await Promise.all(rows.map((r) => view(r.id, me.id))) };
    },
  );

  app.get(
    '/api/v1/cashier/charges/:id',
    {
      config: { access: CASHIER },
      schema: {
        tags: ['cashier'],
        summary: 'One of my charges: pending, paid or expired',
        params: IdParam,
      },
    },
    async (req) => view(req.params.id, currentUser(req).id),
  );

  app.get(
    '/api/v1/charges/:code',
    {
      // public: the code is unguessable, and the customer sees what to pay before signing in
      config: { access: 'public' },
      schema: {
        tags: ['cashier'],
        summary: 'What the QR code asks me to pay, and to which store',
        params: Code,
      },
    },
    async (req) => {
      const row = await deps.db
        .selectFrom('cashier_charges as c')
        .innerJoin('stores as s', 's.id', 'c.store_id')
        .leftJoin('orders as o', 'o.id', 'c.order_id')
        .select([
          'c.code',
          'c.amount_fen',
          'c.note',
          'c.expires_at',
          's.name as store_name',
          'o.state',
          'o.user_id',
        ])
        .where('c.code', '=', req.params.code)
        .executeTakeFirst();
      if (!row) throw new AppError('NOT_FOUND');
      if (row.user_id !== null && row.user_id !== req.auth?.user.id)
        throw new AppError('CHARGE_TAKEN');
      return {
        code: row.code,
        amountFen: row.amount_fen,
        note: row.note,
        storeName: row.store_name,
        status: chargeStatus(row.state, new Date(row.expires_at), deps.clock.now()),
      };
    },
  );

  app.post(
    '/api/v1/charges/:code/claim',
    {
      config: { access: 'user' },
      schema: {
        tags: ['cashier'],
        summary:
          'Take the charge to pay it: returns my order for it (the same one on retry); then pay the order',
        params: Code,
      },
    },
    async (req) => {
      const me = currentUser(req);
      const result = await inTxResult(deps.db, (tx) =>
        claimCharge(tx, req.params.code, me.id, deps.clock.now()),
      );
      return unwrap(result);
    },
  );
}
