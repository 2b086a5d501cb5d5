import { useState } from 'react';
import { PullToRefresh, Tabs, Tag } from 'antd-mobile';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { formatDate, formatDateTime } from '../dates.ts';
import { useAsync } from '../hooks.ts';
import { EmptyView, ErrorView, Loading, Page } from '../components/ui.tsx';
import type { Rewards as RewardsData, RewardState } from '../types.ts';
import { formatAmount } from '../components/format.ts';

const STATE_COLOR: Record<RewardState, 'warning' | 'success' | 'default'> = {
  pending: 'warning',
  available: 'success',
  cancelled: 'default',
};

/** Every reward with its state; a pending one says when it becomes available. */
export default function Rewards() {
  const { t } = useTranslation();
  const [state, setState] = useState<RewardState | 'all'>('all');
  const rewards = useAsync(
    (signal) =>
      get<RewardsData>(`/api/v1/rewards${state === 'all' ? '' : `?state=${state}`}`, { signal }),
    [state],
  );
  const d = rewards.data;
  const totals = (s: RewardState) =>
    (d?.totals ?? []).filter((x) => x.state === s).map((x) => formatAmount(x.asset, x.amount, t));

  return (
    <Page title={t('rewards.title')}>
      <Tabs activeKey={state} onChange={(k) => setState(k as typeof state)} className="card-tabs">
        <Tabs.Tab key="all" title={t('common.all')} />
        <Tabs.Tab key="pending" title={t('rewards.state.pending')} />
        <Tabs.Tab key="available" title={t('rewards.state.available')} />
        <Tabs.Tab key="cancelled" title={t('rewards.state.cancelled')} />
      </Tabs>
      <PullToRefresh onRefresh={async () => rewards.reload()}>
        {rewards.loading && !d ? (
          <Loading />
        ) : rewards.error || !d ? (
          <ErrorView message={rewards.error ?? t('error.generic')} onRetry={rewards.reload} />
        ) : (
          <>
            {d.totals.length > 0 && (
              <section className="card reward-totals">
                {(['pending', 'available', 'cancelled'] as const).map((s) => (
                  <div key={s}>
                    <div className="num">{totals(s).join(' + ') || '—'}</div>
                    <div className="muted small">{t(`rewards.total.${s}`)}</div>
                  </div>
                ))}
              </section>
            )}
            {d.items.length === 0 ? (
              <EmptyView text={t('rewards.empty')} />
            ) : (
              <ul className="card plain-list" aria-label={t('rewards.title')}>
                {d.items.map((r) => (
                  <li key={r.id}>
                    <div>
                      <div>{t(`rewards.kind.${r.kind}`)}</div>
                      <div className="muted small">
                        {formatDateTime(r.createdAt)}
                        {r.orderId !== null && (
                          <>
                            {' · '}
                            <Link to={`/orders/${r.orderId}`}>
                              {t('rewards.order', { id: r.orderId })}
                            </Link>
                          </>
                        )}
                      </div>
                      {r.state === 'pending' && (
                        <div className="small warn-text">
                          {r.availableAt
                            ? t('rewards.availableOn', { date: formatDate(r.availableAt) })
                            : t('rewards.availableAfter')}
                        </div>
                      )}
                      {r.state !== 'pending' && r.resolvedAt && (
                        <div className="muted small">
                          {t(`rewards.state.${r.state}`)} {formatDate(r.resolvedAt)}
                        </div>
                      )}
                    </div>
                    <div className="movement-right">
                      <div className={r.state === 'cancelled' ? 'amount-void' : 'amount-in'}>
                        {formatAmount(r.asset, r.amount, t)}
                      </div>
                      <Tag color={STATE_COLOR[r.state]} fill="outline">
                        {t(`rewards.state.${r.state}`)}
                      </Tag>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </PullToRefresh>
    </Page>
  );
}
