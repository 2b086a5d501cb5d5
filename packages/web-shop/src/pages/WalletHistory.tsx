import { useState } from 'react';
import { PullToRefresh, Tabs, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../api.ts';
import { formatDateTime } from '../dates.ts';
import { useAsync, usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, ListFooter, Notice, Page } from '../components/ui.tsx';
import type { Movement, MovementState } from '../types.ts';
import { formatAmount } from '../components/format.ts';

const STATE_COLOR: Record<MovementState, 'default' | 'primary' | 'success' | 'warning'> = {
  pending: 'warning',
  done: 'success',
  cancelled: 'default',
  reserved: 'primary',
  released: 'default',
};

/** `GET /api/v1/wallet`: when my points expire if I spend nothing (dates in the shop's zone). */
interface PointsExpiry {
  pointsExpiry?: { upcoming: { date: string; expiresAt: string; points: number }[] };
}

/** Users are told before their points expire (docs/models/cashback-points.md): the next dates, soonest first. */
function ExpiringPoints() {
  const { t } = useTranslation();
  const wallet = useAsync((signal) => get<PointsExpiry>('/api/v1/wallet', { signal }), []);
  const upcoming = wallet.data?.pointsExpiry?.upcoming.slice(0, 3) ?? [];
  if (upcoming.length === 0) return null;
  return (
    <Notice
      kind="alert"
      className="points-expiry"
      text={upcoming.map((u) => (
        <div key={u.date} data-testid="points-expiry">
          {t('wallet.expiring', { count: u.points, date: u.date })}
        </div>
      ))}
    />
  );
}

export default function WalletHistory() {
  const { t } = useTranslation();
  const [asset, setAsset] = useState<'all' | 'cash' | 'points' | 'voucher'>('all');
  const list = usePagedList<Movement>(
    (page, signal) => {
      const params = new URLSearchParams({ page: String(page), pageSize: '20' });
      if (asset !== 'all') params.set('asset', asset);
      return get<Paged<Movement>>(`/api/v1/wallet/history?${params}`, { signal });
    },
    [asset],
  );

  return (
    <Page title={t('wallet.title')}>
      <ExpiringPoints />
      <Tabs activeKey={asset} onChange={(k) => setAsset(k as typeof asset)} className="card-tabs">
        <Tabs.Tab key="all" title={t('common.all')} />
        <Tabs.Tab key="cash" title={t('wallet.cash')} />
        <Tabs.Tab key="points" title={t('wallet.points')} />
        <Tabs.Tab key="voucher" title={t('wallet.voucher')} />
      </Tabs>
      <PullToRefresh onRefresh={list.reset}>
        {list.error && list.items.length === 0 ? (
          <ErrorView message={list.error} onRetry={() => void list.reset()} />
        ) : list.done && list.items.length === 0 ? (
          <EmptyView text={t('wallet.empty')} />
        ) : (
          <>
            <ul className="card movement-list" aria-label={t('wallet.title')}>
              {list.items.map((m) => (
                <li key={m.id} className="movement">
                  <div>
                    <div>{m.description}</div>
                    <div className="muted small">{formatDateTime(m.at)}</div>
                  </div>
                  <div className="movement-right">
                    <div className={m.amount > 0 ? 'amount-in' : 'amount-out'}>
                      {formatAmount(m.asset, m.amount, t)}
                    </div>
                    <Tag color={STATE_COLOR[m.state]} fill="outline">
                      {t(`wallet.state.${m.state}`)}
                    </Tag>
                  </div>
                </li>
              ))}
            </ul>
            <ListFooter loadMore={list.loadMore} done={list.done} />
          </>
        )}
      </PullToRefresh>
    </Page>
  );
}
