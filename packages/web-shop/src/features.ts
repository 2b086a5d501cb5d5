/**
 * Shop pages reachable from "我的", in groups. Only pages whose API exists are listed: a
 * page without its API would be a stub (docs/web.md says what waits for which API).
 */
export const ME_GROUPS: { title: string; links: { to: string; label: string }[] }[] = [
  {
    title: 'more.shop',
    links: [
      { to: '/orders', label: 'orders.title' },
      { to: '/me/after-sales', label: 'afterSale.list' },
      { to: '/me/addresses', label: 'more.addresses' },
    ],
  },
  {
    title: 'more.earn',
    links: [
      { to: '/me/queue', label: 'more.queue' },
      { to: '/me/rewards', label: 'more.rewards' },
      { to: '/me/referral', label: 'me.referral' },
      { to: '/me/wallet', label: 'me.history' },
      { to: '/me/withdrawals', label: 'withdraw.title' },
      { to: '/rules', label: 'more.rules' },
    ],
  },
];
