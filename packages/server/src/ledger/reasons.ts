/**
 * Reason codes of ledger transfers, with what a shopper reads in their wallet history.
 * A code not listed here shows as a generic line rather than leaking internal names.
 */
export const REASONS: Record<string, { zh: string; en: string }> = {
  'order.paid': { zh: '订单支付', en: 'Order payment' },
  'order.balance': { zh: '余额抵扣', en: 'Paid with balance' },
  'order.points': { zh: '积分抵扣', en: 'Paid with points' },
  'order.refund': { zh: '订单退款', en: 'Order refund' },
  // the rule engine's reasons (packages/engine ReasonCode)
  'referral.reward': { zh: '推荐奖励', en: 'Referral reward' },
  'commission.level1': { zh: '分销佣金（直推）', en: 'Commission (your friend)' },
  'commission.level2': { zh: '分销佣金（间推）', en: "Commission (a friend's friend)" },
  'commission.store_recruit': { zh: '招商奖励', en: 'Store recruiting reward' },
  'queue.payout': { zh: '排队返利', en: 'Queue rebate' },
  'queue.exchange_points': { zh: '排队权益兑换积分', en: 'Queue entitlement exchanged for points' },
  'queue.exchange_voucher': {
    zh: '排队权益兑换爱心值',
    en: 'Queue entitlement exchanged for vouchers',
  },
  'queue.random_return_points': { zh: '随机返积分', en: 'Random return: points' },
  'cashback.reward': { zh: '消费返利', en: 'Cashback' },
  'pool.fund': { zh: '工会分红', en: 'Profit-pool payout' },
  withdrawal: { zh: '提现', en: 'Withdrawal' },
  'withdrawal.fee': { zh: '提现手续费', en: 'Withdrawal fee' },
  'admin.adjustment': { zh: '后台调整', en: 'Adjustment by the shop' },
  'points.expired': { zh: '积分过期', en: 'Points expired' },
  'points.signin': { zh: '签到积分', en: 'Daily sign-in points' },
  'order.cancelled': { zh: '订单取消，抵扣已退回', en: 'Order cancelled; deduction returned' },
  'order.refund.balance': { zh: '退款退回余额', en: 'Refund to balance' },
  'order.refund.points': { zh: '退款退回积分', en: 'Points returned by a refund' },
  'withdrawal.cancelled': {
    zh: '提现未成功，金额已退回',
    en: 'Withdrawal not paid; amount returned',
  },
};

export function describeReason(reason: string, lang: 'zh-CN' | 'en'): string {
  const r = REASONS[reason];
  if (!r) return lang === 'en' ? 'Account movement' : '账户变动';
  return lang === 'en' ? r.en : r.zh;
}
