import { formatFen } from '../money.ts';
import type { ReferralReward } from '../types.ts';

/** Texts the shop shows in more than one page: a SKU's options, an amount, a referral reward. */

export const specText = (spec: Record<string, string> | null | undefined) =>
  Object.values(spec ?? {}).join(' / ');

/**
 * An amount in the asset's unit: fen for cash (shown as ¥), whole points, and whole
 * units of voucher value (爱心值, never money).
 */
export function formatAmount(
  asset: string,
  amount: number,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  const sign = amount > 0 ? '+' : '';
  if (asset === 'points') return t('wallet.pointsAmount', { amount: `${sign}${amount}` });
  if (asset === 'voucher') return t('wallet.voucherAmount', { amount: `${sign}${amount}` });
  return sign + formatFen(amount);
}

/** The reward of 推 N 返 M in words: "¥50.00 余额", "100 积分", "你自己首单实付金额的 100%". */
export function rewardText(
  r: ReferralReward,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  const unit = r.form === 'points' ? t('rules.reward.asPoints') : t('rules.reward.asCash');
  if (r.form === 'coupon') return t('rules.reward.coupon');
  if (r.pctOfOwnOrder !== undefined)
    return t('rules.reward.pctOfOwnOrder', { pct: r.pctOfOwnOrder }) + unit;
  if (r.pctOfFriendsPaid !== undefined)
    return t('rules.reward.pctOfFriendsPaid', { pct: r.pctOfFriendsPaid }) + unit;
  if (r.form === 'points') return t('rules.reward.points', { points: r.points ?? 0 });
  return t('rules.reward.cashFixed', { amount: formatFen(r.fixedFen ?? 0) });
}
