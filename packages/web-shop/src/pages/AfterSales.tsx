import { Button, Tag, Toast } from 'antd-mobile';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, post, type Paged } from '../api.ts';
import { formatDateTime } from '../dates.ts';
import { usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, ListFooter, Page, Price } from '../components/ui.tsx';
import type { AfterSale } from '../types.ts';
import { specText } from '../components/format.ts';

const COLOR: Record<AfterSale['status'], 'default' | 'primary' | 'success' | 'warning' | 'danger'> =
  {
    pending: 'warning',
    rejected: 'danger',
    cancelled: 'default',
    refunding: 'primary',
    manual_review: 'primary',
    refunded: 'success',
    failed: 'danger',
  };

export default function AfterSales() {
  const { t } = useTranslation();
  const list = usePagedList<AfterSale>(
    (page, signal) =>
      get<Paged<AfterSale>>(`/api/v1/after-sales?page=${page}&pageSize=20`, { signal }),
    [],
  );
  const withdraw = async (id: number) => {
    try {
      await post(`/api/v1/after-sales/${id}/cancel`, {});
      await list.reset();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    }
  };
  return (
    <Page title={t('afterSale.list')}>
      {list.error && list.items.length === 0 ? (
        <ErrorView message={list.error} onRetry={() => void list.reset()} />
      ) : list.done && list.items.length === 0 ? (
        <EmptyView text={t('afterSale.empty')} />
      ) : (
        <>
          <ul className="card plain-list" aria-label={t('afterSale.list')}>
            {list.items.map((a) => (
              <li key={a.id}>
                <div>
                  <div data-testid="after-sale-amount">
                    {t(a.kind === 'refund' ? 'afterSale.refund' : 'afterSale.returnRefund')} ·{' '}
                    <Price fen={a.refundFen + a.refundBalanceFen} />
                    {a.refundPoints > 0 && ` + ${t('afterSale.points', { count: a.refundPoints })}`}
                  </div>
                  <div className="small">
                    {a.lines.map((l) => `${l.title} ${specText(l.spec)} ×${l.qty}`).join('、')}
                  </div>
                  <div className="muted small">
                    <Link to={`/orders/${a.orderId}`}>
                      {t('afterSale.orderNo', { no: a.orderNo })}
                    </Link>{' '}
                    · {formatDateTime(a.createdAt)}
                  </div>
                  {a.reviewNote && <div className="muted small">{a.reviewNote}</div>}
                </div>
                <div className="movement-right">
                  <Tag color={COLOR[a.status]} fill="outline">
                    {t(`afterSale.status.${a.status}`)}
                  </Tag>
                  {a.status === 'pending' && (
                    <Button size="mini" onClick={() => void withdraw(a.id)}>
                      {t('afterSale.withdraw')}
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <ListFooter loadMore={list.loadMore} done={list.done} />
        </>
      )}
    </Page>
  );
}
