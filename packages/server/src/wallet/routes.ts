import { Type } from '@sinclair/typebox';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam, Page } from '../http/schemas.ts';
import { ADMIN, currentUser, STAFF } from '../http/access.ts';
import { idempotentReply } from '../http/idempotent.ts';
import { AppError, unwrap } from '../errors/index.ts';
import { inTxResult } from '../db/tx.ts';
import type { Withdrawal, WithdrawalStatus } from '../db/schema-commerce.ts';
import type { TransferPayee } from '../payments/index.ts';
import { commerceConfig } from '../orders/config.ts';
import { actorOf, runKeyed } from '../orders/http.ts';
import { paymentsFor } from '../payment-flow/registry.ts';
import { approveWithdrawal, rejectWithdrawal, requestWithdrawal } from './withdrawals.ts';
import { executePayout, recheckWithdrawal } from './payout-call.ts';

const STATUSES: WithdrawalStatus[] = [
  'pending',
  'paying',
  'manual_review',
  'paid',
  'rejected',
  'failed',
];

const view = (w: Withdrawal) => ({
  id: w.id,
  userId: w.user_id,
  amountFen: w.amount_fen,
  feeFen: w.fee_fen,
  payoutFen: w.payout_fen,
  provider: w.provider,
  status: w.status,
  outBillNo: w.out_bill_no,
  packageInfo: w.package_info,
  reviewNote: w.review_note,
  failure: w.failure,
  createdAt: w.created_at.toISOString(),
  reviewedAt: w.reviewed_at?.toISOString() ?? null,
  finishedAt: w.finished_at?.toISOString() ?? null,
});

async function list(
  deps: AppDeps,
  f: { userId?: number; status?: WithdrawalStatus; page: number; pageSize: number },
) {
  let q = deps.db.selectFrom('withdrawals');
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.status) q = q.where('status', '=', f.status);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items: rows.map(view), total: Number(total.n), page: f.page, pageSize: f.pageSize };
}

const Filter = Type.Intersect([
  Page,
  Type.Object({ status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))) }),
]);
const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

export function walletRoutes(app: App, deps: AppDeps) {
  app.post(
    '/api/v1/wallet/withdrawals',
    {
      config: { access: 'user', idempotent: true },
      schema: {
        tags: ['wallet'],
        summary:
          'Withdraw available cash (idempotent): the amount is reserved at once; staff review, then the provider pays out',
        body: Type.Object(
          {
            amountFen: Type.Integer({ minimum: 1 }),
            provider: Type.Optional(Type.String({ maxLength: 20 })),
            openid: Type.Optional(Type.String({ maxLength: 128 })),
            account: Type.Optional(Type.String({ maxLength: 100 })),
            realName: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const me = currentUser(req);
      const b = req.body;
      const registry = paymentsFor(deps);
      const provider = b.provider ?? registry.defaultName;
      if (!registry.get(provider)) throw new AppError('PAYMENT_PROVIDER_UNKNOWN');
      const realName = b.realName ? { realName: b.realName } : {};
      const payee: TransferPayee = b.openid
        ? { openid: b.openid, ...realName }
        : b.account
          ? { account: b.account, ...realName }
          : provider === 'sandbox'
            ? { account: `user-${me.id}` }
            : (() => {
                throw new AppError('VALIDATION_FAILED', {
                  fields: [{ field: 'body.openid', reason: 'an openid or account is required' }],
                });
              })();
      return idempotentReply(deps, req, reply, async (tx) => {
        const w = unwrap(
          await requestWithdrawal(
            tx,
            commerceConfig(deps).withdrawal,
            { userId: me.id, amountFen: b.amountFen, provider, payee },
            deps.clock.now(),
          ),
        );
        return { status: 201, body: view(w) };
      });
    },
  );

  app.get(
    '/api/v1/wallet/withdrawals',
    {
      config: { access: 'user' },
      schema: { tags: ['wallet'], summary: 'My withdrawals', querystring: Filter },
    },
    async (req) => {
      const { page, pageSize, status } = req.query;
      return list(deps, { page, pageSize, status, userId: currentUser(req).id });
    },
  );

  // --- staff console ---
  app.get(
    '/api/v1/admin/withdrawals',
    {
      config: { access: STAFF },
      schema: {
        tags: ['admin', 'wallet'],
        summary: 'Withdrawals, newest first',
        querystring: Filter,
      },
    },
    async (req) => list(deps, req.query),
  );

  app.post(
    '/api/v1/admin/withdrawals/:id/approve',
    {
      config: { access: ADMIN, idempotent: true },
      schema: {
        tags: ['admin', 'wallet'],
        summary:
          'Approve and pay out through the provider (idempotent; out_bill_no reused on retry)',
        params: IdParam,
        body: NoteBody,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await runKeyed(
        deps,
        req,
        async (tx) =>
          unwrap(
            await approveWithdrawal(
              tx,
              actor,
              req.params.id,
              req.body.note ?? '',
              deps.clock.now(),
            ),
          ).id,
      );
      try {
        await executePayout(deps, req.params.id);
      } catch (e) {
        req.log.error(
          { err: e, withdrawalId: req.params.id },
          'payout call failed; the job will retry',
        );
      }
      const w = await deps.db
        .selectFrom('withdrawals')
        .selectAll()
        .where('id', '=', req.params.id)
        .executeTakeFirstOrThrow();
      return view(w);
    },
  );

  app.post(
    '/api/v1/admin/withdrawals/:id/reject',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin', 'wallet'],
        summary: 'Reject: the reserved cash is available again',
        params: IdParam,
        body: NoteBody,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return view(
        unwrap(
          await inTxResult(deps.db, (tx) =>
            rejectWithdrawal(tx, actor, req.params.id, req.body.note ?? '', deps.clock.now()),
          ),
        ),
      );
    },
  );

  app.post(
    '/api/v1/admin/withdrawals/:id/recheck',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin', 'wallet'],
        summary:
          'A payout in manual review: ask the provider again (same out_bill_no), then keep polling',
        params: IdParam,
      },
    },
    async (req) => {
      const actor = actorOf(req);
      unwrap(
        await inTxResult(deps.db, (tx) =>
          recheckWithdrawal(tx, actor, req.params.id, deps.clock.now()),
        ),
      );
      try {
        await executePayout(deps, req.params.id);
      } catch (e) {
        req.log.error({ err: e, withdrawalId: req.params.id }, 'payout call failed; polls go on');
      }
      const w = await deps.db
        .selectFrom('withdrawals')
        .selectAll()
        .where('id', '=', req.params.id)
        .executeTakeFirstOrThrow();
      return view(w);
    },
  );
}
