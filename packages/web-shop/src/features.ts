/**
 * Shop pages reachable from "我的". Only pages whose API exists are listed: a page
 * without its API would be a stub (see docs/web.md for what is waiting for which API).
 */
export const ME_LINKS: { to: string; label: string }[] = [
  { to: '/orders', label: 'orders.title' },
  { to: '/me/after-sales', label: 'afterSale.list' },
  { to: '/me/wallet', label: 'me.history' },
  { to: '/me/withdrawals', label: 'withdraw.title' },
  { to: '/me/referral', label: 'me.referral' },
];
