import { useState } from 'react';
import { PullToRefresh, Tabs, Tag } from 'antd-mobile';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../api.ts';
import { formatDateTime } from '../dates.ts';
import { usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, ListFooter, Page, Price } from '../components/ui.tsx';
import type { Order, OrderState } from '../types.ts';
import { STATE_COLOR, shownState } from '../components/orderState.ts';

const FILTERS = ['all', 'pending_payment', 'paid', 'shipped', 'completed'] as const;

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
      <Tabs activeKey={state} onChange={(k) => setState(k as typeof state)} className="card-tabs">
        {FILTERS.map((s) => (
          <Tabs.Tab key={s} title={s === 'all' ? t('common.all') : t(`orderState.${s}`)} />
        ))}
      </Tabs>
      <PullToRefresh onRefresh={list.reset}>
        {list.error && list.items.length === 0 ? (
          <ErrorView message={list.error} onRetry={() => void list.reset()} />
        ) : list.done && list.items.length === 0 ? (
          <EmptyView text={t('orders.empty')} />
        ) : (
          <>
            <ul className="order-list" aria-label={t('orders.title')}>
              {list.items.map((o) => (
                <li key={o.id} className="card">
                  <Link to={`/orders/${o.id}`} className="order-card">
                    <div className="order-head">
                      <span className="muted small">{formatDateTime(o.createdAt)}</span>
                      <Tag
                        color={STATE_COLOR[shownState(o)]}
                        fill="outline"
                        data-testid="order-state"
                      >
                        {t(`orderState.${shownState(o)}`)}
                      </Tag>
                    </div>
                    <div className="order-title">
                      {o.lines.length > 0
                        ? o.lines.map((l) => l.title).join('、')
                        : t('payCharge.title')}
                    </div>
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
            <ListFooter loadMore={list.loadMore} done={list.done} />
          </>
        )}
      </PullToRefresh>
    </Page>
  );
}
