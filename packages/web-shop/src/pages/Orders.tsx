import { useState } from 'react';
import { Segmented, Tag } from 'antd';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../api.ts';
import { usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, LoadMore, Page, Price } from '../components/ui.tsx';
import type { Order, OrderState } from '../types.ts';

export const STATE_COLOR: Record<OrderState, string> = {
  pending_payment: 'orange',
  paid: 'blue',
  shipped: 'cyan',
  completed: 'green',
  cancelled: 'default',
};

export default function Orders() {
  const { t } = useTranslation();
  const [state, setState] = useState<OrderState | 'all'>('all');
  const list = usePagedList<Order>(
    (page, signal) =>
      get<Paged<Order>>(
        `/api/v1/orders?page=${page}&pageSize=10${state === 'all' ? '' : `&state=${state}`}`,
        { signal },
      ),
    [state],
  );
  return (
    <Page title={t('orders.title')}>
      <div className="scroll-x">
        <Segmented
          value={state}
          onChange={(v) => setState(v as typeof state)}
          options={(['all', 'pending_payment', 'paid', 'shipped', 'completed'] as const).map(
            (s) => ({ value: s, label: s === 'all' ? t('common.all') : t(`orderState.${s}`) }),
          )}
        />
      </div>
      {list.error && list.items.length === 0 ? (
        <ErrorView message={list.error} onRetry={list.reset} />
      ) : list.done && list.items.length === 0 ? (
        <EmptyView text={t('orders.empty')} />
      ) : (
        <>
          <ul className="order-list" aria-label={t('orders.title')}>
            {list.items.map((o) => (
              <li key={o.id} className="card">
                <Link to={`/orders/${o.id}`} className="order-card">
                  <div className="order-head">
                    <span className="muted small">
                      {dayjs(o.createdAt).format('YYYY-MM-DD HH:mm')}
                    </span>
                    <Tag color={STATE_COLOR[o.state]}>{t(`orderState.${o.state}`)}</Tag>
                  </div>
                  <div className="order-title">{o.lines.map((l) => l.title).join('、')}</div>
                  <div className="order-head">
                    <span className="muted small">
                      {t('orders.count', { count: o.lines.reduce((n, l) => n + l.qty, 0) })}
                    </span>
                    <Price fen={o.payableFen + o.balanceFen} />
                  </div>
                </Link>
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
