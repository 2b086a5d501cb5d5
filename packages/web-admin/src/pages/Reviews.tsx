import { useState } from 'react';
import { App, Button, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, newIdempotencyKey, post, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';

/**
 * One review queue page for a kind of request the merchant approves or rejects: after-sale
 * refunds and withdrawals. Approving moves money, so it carries an Idempotency-Key made
 * once per click (a retry of that click reuses it).
 */
interface Row {
  id: number;
  status: string;
  createdAt: string;
  userId?: number;
  orderId?: number;
  orderNo?: string;
  buyer?: { nickname: string; phone: string | null };
  kind?: string;
  reason?: string;
  /** before approval: what approving refunds (the server computes it as the approval does) */
  refundFen?: number;
  refundBalanceFen?: number;
  refundPoints?: number;
  lines?: { lineId: number; title: string; spec: Record<string, string>; qty: number }[];
  amountFen?: number;
  feeFen?: number;
  payoutFen?: number;
  reviewNote?: string | null;
  failure?: string | null;
}

const COLOR: Record<string, string> = {
  pending: 'orange',
  paying: 'blue',
  refunding: 'blue',
  manual_review: 'volcano',
  paid: 'green',
  refunded: 'green',
  rejected: 'red',
  failed: 'red',
  cancelled: 'default',
};

function ReviewQueue({ kind }: { kind: 'after-sales' | 'withdrawals' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string>('pending');
  const [page, setPage] = useState(1);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const keys = useState(() => new Map<string, string>())[0];
  const list = useAsync(
    (signal) =>
      get<Paged<Row>>(
        `/api/v1/admin/${kind}?page=${page}&pageSize=20${status ? `&status=${status}` : ''}`,
        { signal },
      ),
    [kind, status, page],
  );
  const statuses =
    kind === 'withdrawals'
      ? ['pending', 'paying', 'manual_review', 'paid', 'rejected', 'failed']
      : ['pending', 'refunding', 'manual_review', 'refunded', 'rejected', 'cancelled', 'failed'];

  const refundText = (r: Row) =>
    `${formatFen((r.refundFen ?? 0) + (r.refundBalanceFen ?? 0))}${
      r.refundPoints ? ` + ${t('review.points', { n: r.refundPoints })}` : ''
    }`;

  // recheck: a refund or payout in manual review is asked about again (docs/operations.md)
  const decide = async (row: Row, action: 'approve' | 'reject' | 'recheck') => {
    const id = `${row.id}:${action}`;
    if (!keys.has(id)) keys.set(id, newIdempotencyKey());
    setBusy(id);
    try {
      await post(
        `/api/v1/admin/${kind}/${row.id}/${action}`,
        note.trim() && action !== 'recheck' ? { note: note.trim() } : {},
        action === 'approve' ? { headers: { 'Idempotency-Key': keys.get(id)! } } : {},
      );
      keys.delete(id);
      void message.success(
        t(
          { approve: 'review.approved', reject: 'review.rejected', recheck: 'review.rechecked' }[
            action
          ],
        ),
      );
      setNote('');
      list.reload();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t(kind === 'withdrawals' ? 'nav.withdrawals' : 'nav.afterSales')}
        </Typography.Title>
        <Select
          value={status}
          style={{ width: 140 }}
          aria-label={t('users.status')}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={[
            { value: '', label: t('orders.allStates') },
            ...statuses.map((s) => ({ value: s, label: t(`review.status.${s}`) })),
          ]}
        />
        <Input
          placeholder={t('review.note')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={200}
          style={{ width: 260 }}
          aria-label={t('review.note')}
        />
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<Row>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
        }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 70 },
          ...(kind === 'withdrawals'
            ? [
                {
                  title: t('review.user'),
                  dataIndex: 'userId',
                  render: (v: number) => <Link to={`/users/${v}`}>#{v}</Link>,
                },
                {
                  title: t('review.amount'),
                  dataIndex: 'amountFen',
                  render: (v: number) => formatFen(v),
                },
                {
                  title: t('review.payout'),
                  dataIndex: 'payoutFen',
                  render: (v: number) => formatFen(v),
                },
              ]
            : [
                {
                  title: t('review.order'),
                  dataIndex: 'orderId',
                  render: (v: number, r: Row) => (
                    <Link to={`/orders/${v}`}>{r.orderNo ?? `#${v}`}</Link>
                  ),
                },
                {
                  title: t('review.buyer'),
                  dataIndex: 'userId',
                  render: (v: number, r: Row) => (
                    <Link to={`/users/${v}`}>
                      {r.buyer ? `${r.buyer.nickname} ${r.buyer.phone ?? ''}` : `#${v}`}
                    </Link>
                  ),
                },
                {
                  title: t('review.lines'),
                  dataIndex: 'lines',
                  render: (lines: Row['lines']) =>
                    (lines ?? [])
                      .map((l) => `${l.title} ${Object.values(l.spec).join('/')} ×${l.qty}`)
                      .join('、'),
                },
                {
                  title: t('review.kind'),
                  dataIndex: 'kind',
                  render: (v: string) => t(`review.kinds.${v}`),
                },
                {
                  title: (
                    <span title={t('review.refundAmountHint')}>{t('review.refundAmount')}</span>
                  ),
                  dataIndex: 'refundFen',
                  render: (_v: number, r: Row) => refundText(r),
                },
                { title: t('review.reason'), dataIndex: 'reason' },
              ]),
          {
            title: t('users.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={COLOR[s]}>{t(`review.status.${s}`)}</Tag>,
          },
          {
            title: t('review.requestedAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_v, r) =>
              r.status === 'pending' ? (
                <Space>
                  <Popconfirm
                    title={t('review.confirmApprove')}
                    description={kind === 'after-sales' ? refundText(r) : undefined}
                    onConfirm={() => void decide(r, 'approve')}
                  >
                    <Button size="small" type="primary" loading={busy === `${r.id}:approve`}>
                      {t('review.approve')}
                    </Button>
                  </Popconfirm>
                  <Popconfirm
                    title={t('review.confirmReject')}
                    onConfirm={() => void decide(r, 'reject')}
                  >
                    <Button size="small" danger loading={busy === `${r.id}:reject`}>
                      {t('review.reject')}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : r.status === 'manual_review' ? (
                <Space>
                  <span className="muted small">{r.failure ?? ''}</span>
                  <Popconfirm
                    title={t('review.confirmRecheck')}
                    onConfirm={() => void decide(r, 'recheck')}
                  >
                    <Button size="small" loading={busy === `${r.id}:recheck`}>
                      {t('review.recheck')}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : (
                <span className="muted small">{r.reviewNote ?? r.failure ?? ''}</span>
              ),
          },
        ]}
      />
    </div>
  );
}

export function AfterSalesPage() {
  return <ReviewQueue kind="after-sales" />;
}
export function WithdrawalsPage() {
  return <ReviewQueue kind="withdrawals" />;
}
