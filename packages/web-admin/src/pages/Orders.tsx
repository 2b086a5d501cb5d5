import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, post, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';

type OrderState = 'pending_payment' | 'paid' | 'shipped' | 'completed' | 'cancelled';
export const ORDER_COLOR: Record<OrderState, string> = {
  pending_payment: 'orange',
  paid: 'blue',
  shipped: 'cyan',
  completed: 'green',
  cancelled: 'default',
};

interface OrderRow {
  id: number;
  orderNo: string;
  userId: number;
  state: OrderState;
  refundStatus: 'none' | 'partial' | 'full';
  /** a refund request waits for review or is being refunded: the order cannot ship */
  afterSaleOpen: boolean;
  itemsFen: number;
  balanceFen: number;
  payableFen: number;
  refundedFen: number;
  address: {
    name: string;
    phone: string;
    province: string;
    city: string;
    district: string;
    detail: string;
  };
  note: string;
  createdAt: string;
  paidAt: string | null;
  carrier: string | null;
  trackingNo: string | null;
  lines: {
    id: number;
    title: string;
    spec: Record<string, string>;
    qty: number;
    unitPriceFen: number;
    paidFen: number;
    refundedQty: number;
  }[];
  payments?: {
    id: number;
    provider: string;
    out_trade_no: string;
    amount_fen: number;
    status: string;
  }[];
  afterSales?: {
    id: number;
    kind: string;
    status: string;
    reason: string;
    refundFen: number;
    refundBalanceFen: number;
    refundPoints: number;
    lines: { lineId: number; title: string; qty: number }[];
  }[];
}

/** Why a paid order cannot ship now, or null when it can. */
function shipBlock(o: OrderRow): string | null {
  if (o.refundStatus === 'full') return 'orders.shipBlockedRefunded';
  if (o.afterSaleOpen) return 'orders.shipBlockedOpen';
  return null;
}

/** The order's state with its after-sale state beside it. */
function StateTags({ o }: { o: OrderRow }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color={ORDER_COLOR[o.state]}>{t(`orderState.${o.state}`)}</Tag>
      {o.afterSaleOpen && <Tag color="volcano">{t('orders.afterSaleOpen')}</Tag>}
      {o.refundStatus !== 'none' && (
        <Tag color="red">{t(`orders.refundStatus.${o.refundStatus}`)}</Tag>
      )}
    </Space>
  );
}

function ShipForm({ order, onDone }: { order: OrderRow; onDone(): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ship = async (v: { carrier: string; trackingNo: string }) => {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/admin/orders/${order.id}/ship`, {
        carrier: v.carrier.trim(),
        trackingNo: v.trackingNo.trim(),
      });
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      layout="vertical"
      onFinish={ship}
      requiredMark={false}
      initialValues={{ carrier: '顺丰速运' }}
    >
      <Form.Item
        name="carrier"
        label={t('orders.carrier')}
        rules={[{ required: true, whitespace: true, max: 40 }]}
      >
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item
        name="trackingNo"
        label={t('orders.trackingNo')}
        rules={[
          { required: true, whitespace: true, max: 60, message: t('orders.trackingRequired') },
        ]}
      >
        <Input maxLength={60} />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} className="mb" />}
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('orders.ship')}
      </Button>
    </Form>
  );
}

function OrderDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: number;
  onClose(): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const order = useAsync((signal) => get<OrderRow>(`/api/v1/admin/orders/${id}`, { signal }), [id]);
  const o = order.data;
  return (
    <Drawer
      open
      onClose={onClose}
      size="large"
      title={o ? t('orders.detailTitle', { no: o.orderNo }) : t('orders.detail')}
    >
      {order.error && <ErrorAlert message={order.error} onRetry={order.reload} />}
      {o && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('orders.state')}>
              <StateTags o={o} />
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.buyer')}>
              <Link to={`/users/${o.userId}`}>#{o.userId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.address')}>
              {o.address.name} {o.address.phone} · {o.address.province}
              {o.address.city}
              {o.address.district} {o.address.detail}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.amount')}>
              {formatFen(o.payableFen)}
              {o.balanceFen > 0 && ` + ${t('orders.balance')} ${formatFen(o.balanceFen)}`}
            </Descriptions.Item>
            {o.refundedFen > 0 && (
              <Descriptions.Item label={t('orders.refunded')}>
                {formatFen(o.refundedFen)}
              </Descriptions.Item>
            )}
            {o.paidAt && (
              <Descriptions.Item label={t('orders.paidAt')}>
                {dayjs(o.paidAt).format('YYYY-MM-DD HH:mm')}
              </Descriptions.Item>
            )}
            {o.carrier && (
              <Descriptions.Item label={t('orders.carrier')}>
                {o.carrier} {o.trackingNo}
              </Descriptions.Item>
            )}
            {o.note && <Descriptions.Item label={t('orders.note')}>{o.note}</Descriptions.Item>}
          </Descriptions>
          <Table
            className="mt"
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={o.lines}
            columns={[
              {
                title: t('orders.item'),
                dataIndex: 'title',
                render: (v: string, l) => `${v} ${Object.values(l.spec).join('/')}`,
              },
              { title: t('orders.qty'), dataIndex: 'qty' },
              { title: t('orders.unitPrice'), dataIndex: 'unitPriceFen', render: formatFen },
              { title: t('orders.paid'), dataIndex: 'paidFen', render: formatFen },
            ]}
          />
          {(o.afterSales?.length ?? 0) > 0 && (
            <div className="mt">
              <Typography.Title level={5}>{t('orders.afterSales')}</Typography.Title>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={o.afterSales}
                columns={[
                  { title: 'ID', dataIndex: 'id', width: 60 },
                  {
                    title: t('review.kind'),
                    dataIndex: 'kind',
                    render: (v: string) => t(`review.kinds.${v}`),
                  },
                  {
                    title: t('review.lines'),
                    dataIndex: 'lines',
                    render: (lines: { title: string; qty: number }[]) =>
                      lines.map((l) => `${l.title}×${l.qty}`).join('、'),
                  },
                  {
                    title: t('review.refundAmount'),
                    key: 'amount',
                    render: (_v, a) =>
                      `${formatFen(a.refundFen + a.refundBalanceFen)}${
                        a.refundPoints ? ` + ${t('review.points', { n: a.refundPoints })}` : ''
                      }`,
                  },
                  {
                    title: t('users.status'),
                    dataIndex: 'status',
                    render: (v: string) => t(`review.status.${v}`),
                  },
                ]}
              />
            </div>
          )}
          {o.state === 'paid' && shipBlock(o) && (
            <Alert
              className="mt"
              type="warning"
              showIcon
              data-testid="ship-blocked"
              title={t(shipBlock(o)!)}
              action={
                o.afterSaleOpen ? (
                  <Link to="/after-sales">
                    <Button size="small">{t('orders.toReview')}</Button>
                  </Link>
                ) : undefined
              }
            />
          )}
          {o.state === 'paid' && !shipBlock(o) && (
            <div className="mt">
              <Typography.Title level={5}>{t('orders.ship')}</Typography.Title>
              <ShipForm
                order={o}
                onDone={() => {
                  void message.success(t('orders.shipped'));
                  order.reload();
                  onChanged();
                }}
              />
            </div>
          )}
        </>
      )}
    </Drawer>
  );
}

export default function Orders() {
  const { t } = useTranslation();
  const [state, setState] = useState<OrderState | ''>('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  // `/orders/:id` (linked from the after-sale review) opens that order's drawer
  const linked = Number(useParams().id) || null;
  const navigate = useNavigate();
  const [picked, setOpen] = useState<number | null>(null);
  const open = picked ?? linked;
  const params = new URLSearchParams({ page: String(page), pageSize: '20' });
  if (state) params.set('state', state);
  if (q) params.set('q', q);
  const list = useAsync(
    (signal) => get<Paged<OrderRow>>(`/api/v1/admin/orders?${params}`, { signal }),
    [params.toString()],
  );
  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t('nav.orders')}
        </Typography.Title>
        <Select
          value={state}
          style={{ width: 140 }}
          aria-label={t('orders.state')}
          onChange={(v) => {
            setState(v);
            setPage(1);
          }}
          options={[
            { value: '', label: t('orders.allStates') },
            ...(['pending_payment', 'paid', 'shipped', 'completed', 'cancelled'] as const).map(
              (s) => ({ value: s, label: t(`orderState.${s}`) }),
            ),
          ]}
        />
        <Input.Search
          allowClear
          placeholder={t('orders.search')}
          style={{ width: 260 }}
          onSearch={(v) => {
            setQ(v.trim().slice(0, 40));
            setPage(1);
          }}
        />
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<OrderRow>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showTotal: (n) => t('common.total', { count: n }),
        }}
        columns={[
          {
            title: t('orders.no'),
            dataIndex: 'orderNo',
            render: (v: string, o) => <a onClick={() => setOpen(o.id)}>{v}</a>,
          },
          {
            title: t('orders.items'),
            key: 'items',
            render: (_v, o) => o.lines.map((l) => `${l.title}×${l.qty}`).join('、'),
          },
          {
            title: t('orders.amount'),
            key: 'amount',
            render: (_v, o) => formatFen(o.payableFen + o.balanceFen),
          },
          {
            title: t('orders.state'),
            dataIndex: 'state',
            render: (_s: OrderState, o) => <StateTags o={o} />,
          },
          {
            title: t('orders.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_v, o) => {
              const canShip = o.state === 'paid' && !shipBlock(o);
              return (
                <Button
                  size="small"
                  type={canShip ? 'primary' : 'default'}
                  title={o.state === 'paid' && !canShip ? t(shipBlock(o)!) : undefined}
                  onClick={() => setOpen(o.id)}
                >
                  {canShip ? t('orders.ship') : t('users.view')}
                </Button>
              );
            },
          },
        ]}
      />
      {open !== null && (
        <OrderDrawer
          id={open}
          onClose={() => {
            setOpen(null);
            if (linked !== null) navigate('/orders');
          }}
          onChanged={list.reload}
        />
      )}
    </div>
  );
}
