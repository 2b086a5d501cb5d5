import { Type } from '@sinclair/typebox';
import { planRewardVoid } from '@fanli/engine';
import type { App, AppDeps } from '../http/deps.ts';
import { IdParam } from '../http/schemas.ts';
import { currentUser, STAFF, ADMIN } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { inTx, type Tx } from '../db/tx.ts';
import { audit } from '../audit/audit.ts';
import { applyPlan } from './plan-apply.ts';
import { postSettledRewards } from './rewards.ts';

const NoteBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

/** A held reward, locked: still pending and still held, or not found. */
async function heldReward(tx: Tx, id: number) {
  const r = await tx
    .selectFrom('rewards')
    .selectAll()
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .where('held_reason', 'is not', null)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

/**
 * Review of rewards held by the referral anti-abuse check (rules/abuse.ts): list them,
 * release one (it is posted as soon as its orders have settled) or reject it (voided).
 */
export function rewardReviewRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api/v1/admin/rewards/held',
    {
      config: { access: STAFF },
      schema: { tags: ['rewards'], summary: 'Rewards held for review (possible referral rings)' },
    },
    async () => {
      const rows = await deps.db
        .selectFrom('rewards')
        .select(['id', 'user_id', 'kind', 'asset', 'amount', 'held_reason', 'created_at'])
        .where('state', '=', 'pending')
        .where('held_reason', 'is not', null)
        .orderBy('id')
        .limit(500)
        .execute();
      return {
        items: rows.map((r) => ({
          id: r.id,
          userId: r.user_id,
          kind: r.kind,
          asset: r.asset,
          amount: r.amount,
          heldReason: r.held_reason,
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
    },
  );

  for (const decision of ['release', 'reject'] as const) {
    app.post(
      `/api/v1/admin/rewards/:id/${decision}`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['rewards'],
          summary:
            decision === 'release'
              ? 'Release a held reward: it becomes available once its orders have settled'
              : 'Reject a held reward: it is cancelled (voided)',
          params: IdParam,
          body: NoteBody,
        },
      },
      async (req) => {
        const me = currentUser(req);
        const now = deps.clock.now();
        return inTx(deps.db, async (tx) => {
          const r = await heldReward(tx, req.params.id);
          if (decision === 'release') {
            await tx
              .updateTable('rewards')
              .set({ held_reason: null })
              .where('id', '=', r.id)
              .execute();
            await postSettledRewards(tx, [r.key], now);
          } else {
            await applyPlan(tx, planRewardVoid(r.key), now);
            await tx
              .updateTable('rewards')
              .set({ state: 'cancelled', resolved_at: now })
              .where('id', '=', r.id)
              .execute();
            // the merchant's referral budget gets back what this reward had taken
            if (r.budget_fen > 0)
              await tx
                .updateTable('referral_budget')
                .set((eb) => ({ spent_fen: eb('spent_fen', '-', r.budget_fen) }))
                .where('id', '=', 1)
                .execute();
          }
          await audit(
            tx,
            { id: me.id, role: me.role, ip: req.ip },
            `reward.${decision}`,
            { type: 'reward', id: r.id },
            { heldReason: r.held_reason, note: req.body?.note ?? '' },
            now,
          );
          const after = await tx
            .selectFrom('rewards')
            .select(['id', 'state'])
            .where('id', '=', r.id)
            .executeTakeFirstOrThrow();
          return { id: after.id, state: after.state };
        });
      },
    );
  }
}
