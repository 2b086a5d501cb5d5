import { multiplyPoints } from '../members/members.ts';
import { pctOfFen, unitsPerYuanOfFen } from '../money/money.ts';
import type { RewardGrant } from '../ledger/rewards.ts';
import type { CashbackSettings } from '../settings/types.ts';

/**
 * Consumption cashback (docs/models/cashback-points.md): points = ⌊paid yuan × pointsPerYuan⌋ or cash
 * = paid × pct, pending on the order's after-sale window. Points are multiplied by the
 * buyer's member level multiplier (floor); cash cashback is not.
 *
 * @example cashbackGrants({ orderId: 'o1', userId: 'A', paidFen: 15000 },
 *   { enabled: true, form: 'points', pointsPerYuan: 0.05, pct: 0 })[0].amount // 7
 */
export function cashbackGrants(
  order: { orderId: string; userId: string; paidFen: number; pointsMultiplier?: number },
  settings: CashbackSettings,
): RewardGrant[] {
  if (!settings.enabled) return [];
  const points = settings.form === 'points';
  const amount = points
    ? multiplyPoints(
        unitsPerYuanOfFen(order.paidFen, settings.pointsPerYuan),
        order.pointsMultiplier ?? 1,
      )
    : pctOfFen(order.paidFen, settings.pct);
  if (amount <= 0) return [];
  return [
    {
      id: `cb:${order.orderId}`,
      userId: order.userId,
      asset: points ? 'points' : 'cash',
      amount,
      reason: 'cashback.reward',
      source: { type: 'order', id: order.orderId },
      dependsOnOrders: [order.orderId],
    },
  ];
}
