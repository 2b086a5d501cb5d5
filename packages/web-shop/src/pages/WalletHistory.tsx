import { useState } from 'react';
import { Segmented, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../api.ts';
import { usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, LoadMore, Page } from '../components/ui.tsx';
import { formatFen } from '../money.ts';
import type { Movement, MovementState } from '../types.ts';

const STATE_COLOR: Record<MovementState, string> = {
  pending: 'orange',
  done: 'green',
  cancelled: 'default',
  reserved: 'blue',
  released: 'default',
};

/** An amount in the asset's unit: fen for cash and voucher value, whole points. */
export function formatAmount(
  asset: string,
  amount: number,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  const sign = amount > 0 ? '+' : '';
  if (asset === 'points') return t('wallet.pointsAmount', { amount: `${sign}${amount}` });
  return sign + formatFen(amount);
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
      <Segmented
        block
        value={asset}
        onChange={(v) => setAsset(v as typeof asset)}
        options={[
          { label: t('common.all'), value: 'all' },
          { label: t('wallet.cash'), value: 'cash' },
          { label: t('wallet.points'), value: 'points' },
          { label: t('wallet.voucher'), value: 'voucher' },
        ]}
      />
      {list.error && list.items.length === 0 ? (
        <ErrorView message={list.error} onRetry={list.reset} />
      ) : list.done && list.items.length === 0 ? (
        <EmptyView text={t('wallet.empty')} />
      ) : (
        <>
          <ul className="card movement-list" aria-label={t('wallet.title')}>
            {list.items.map((m) => (
              <li key={m.id} className="movement">
                <div>
                  <div>{m.description}</div>
                  <div className="muted small">{dayjs(m.at).format('YYYY-MM-DD HH:mm')}</div>
                </div>
                <div className="movement-right">
                  <div className={m.amount > 0 ? 'amount-in' : 'amount-out'}>
                    {formatAmount(m.asset, m.amount, t)}
                  </div>
                  <Tag color={STATE_COLOR[m.state]}>{t(`wallet.state.${m.state}`)}</Tag>
                </div>
              </li>
            ))}
          </ul>
          <LoadMore
            onVisible={list.loadMore}
            loading={list.loading}
            done={list.done}
            error={list.error}
            onRetry={list.loadMore}
          />
        </>
      )}
    </Page>
  );
}
