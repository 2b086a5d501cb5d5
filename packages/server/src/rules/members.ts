import {
  growthOfOrder,
  levelBenefits,
  memberStatus,
  raisedLevel,
  type MemberStatus,
  type Settings,
} from '@fanli/engine';
import { Type } from '@sinclair/typebox';
import type { Db } from '../db/database.ts';
import type { Tx } from '../db/tx.ts';
import { rulesInForce } from './versions.ts';

/**
 * Members on the server (docs/models/members.md): the engine decides, these functions
 * read and write the two columns involved, `users.growth` and `users.member_level`.
 */

/**
 * The checkout hook: the member discount of a level under the rules in force when the
 * order is placed.
 */
export async function memberDiscountPct(tx: Tx, level: string | null, at: Date): Promise<number> {
  if (level === null) return 0;
  const { settings } = await rulesInForce(tx, at);
  return levelBenefits(settings.members, level).discountPct;
}

/**
 * An order settled (its after-sale window passed without a refund): its buyer earns the
 * growth value the order's rules give, and their level rises to what the growth reaches
 * under the rules in force now. Runs in the settlement transaction. The increment is one
 * atomic UPDATE, which also locks the user's row until commit, so concurrent settlements
 * of one user's orders add up exactly and rank the level on the final sum.
 *
 * @returns the user's growth and level after the order (null when nothing changed)
 */
export async function accrueGrowth(
  tx: Tx,
  input: { userId: number; paidFen: number; orderSettings: Settings },
  at: Date,
): Promise<{ growth: number; level: string | null } | null> {
  const earned = growthOfOrder(input.paidFen, input.orderSettings.members);
  if (earned <= 0) return null;
  const user = await tx
    .updateTable('users')
    .set((eb) => ({ growth: eb('growth', '+', earned) }))
    .where('id', '=', input.userId)
    .returning(['growth', 'member_level'])
    .executeTakeFirstOrThrow();
  const { settings } = await rulesInForce(tx, at);
  const level = raisedLevel(user.member_level, user.growth, settings.members);
  if (level !== user.member_level) {
    await tx
      .updateTable('users')
      .set({ member_level: level })
      .where('id', '=', input.userId)
      .execute();
  }
  return { growth: user.growth, level };
}

/** What the shop shows a member: level and its name, growth, what the next level needs. */
export async function memberStatusOf(
  db: Db | Tx,
  userId: number,
  now: Date,
): Promise<MemberStatus & { enabled: boolean }> {
  const user = await db
    .selectFrom('users')
    .select(['member_level', 'growth'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  const { settings } = await rulesInForce(db, now);
  return {
    enabled: settings.members.enabled,
    ...memberStatus(settings.members, user.member_level, user.growth),
  };
}

/** Response schema of a member's status (shop and console). */
export const MemberStatusSchema = Type.Object({
  enabled: Type.Boolean({ description: 'members switched on in the rules in force' }),
  level: Type.Union([Type.String(), Type.Null()], { description: 'level id; null = no level' }),
  levelName: Type.Union([Type.String(), Type.Null()], {
    description: 'null when the level is not in the configured list',
  }),
  growth: Type.Integer({ description: 'growth value (成长值) from settled orders' }),
  next: Type.Union([
    Type.Object({
      level: Type.String(),
      name: Type.String(),
      minGrowth: Type.Integer(),
      growthNeeded: Type.Integer(),
    }),
    Type.Null(),
  ]),
});
