import { App, Button, Tag } from 'antd';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, get, post, type Paged } from '../api.ts';
import { usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, LoadMore, Page, Price } from '../components/ui.tsx';
import type { AfterSale } from '../types.ts';

const COLOR: Record<AfterSale['status'], string> = {
  pending: 'orange',
  rejected: 'red',
  cancelled: 'default',
  refunding: 'blue',
  refunded: 'green',
  failed: 'red',
};

export default function AfterSales() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = usePagedList<AfterSale>(
    (page, signal) =>
      get<Paged<AfterSale>>(`/api/v1/after-sales?page=${page}&pageSize=20`, { signal }),
    [],
  );
  const withdraw = async (id: number) => {
    try {
      await post(`/api/v1/after-sales/${id}/cancel`, {});
      list.reset();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  return (
    <Page title={t('afterSale.list')}>
      {list.error && list.items.length === 0 ? (
        <ErrorView message={list.error} onRetry={list.reset} />
      ) : list.done && list.items.length === 0 ? (
        <EmptyView text={t('afterSale.empty')} />
      ) : (
        <>
          <ul className="card plain-list" aria-label={t('afterSale.list')}>
            {list.items.map((a) => (
              <li key={a.id}>
                <div>
                  <div>
                    {t(a.kind === 'refund' ? 'afterSale.refund' : 'afterSale.returnRefund')} ·{' '}
                    <Price fen={a.refundFen + a.refundBalanceFen} />
                  </div>
                  <div className="muted small">
                    <Link to={`/orders/${a.orderId}`}>
                      {t('afterSale.order', { id: a.orderId })}
                    </Link>{' '}
                    · {dayjs(a.createdAt).format('YYYY-MM-DD HH:mm')}
                  </div>
                  {a.reviewNote && <div className="muted small">{a.reviewNote}</div>}
                </div>
                <div className="movement-right">
                  <Tag color={COLOR[a.status]}>{t(`afterSale.status.${a.status}`)}</Tag>
                  {a.status === 'pending' && (
                    <Button size="small" onClick={() => void withdraw(a.id)}>
                      {t('afterSale.withdraw')}
                    </Button>
                  )}
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
