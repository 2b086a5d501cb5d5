import { useMemo } from 'react';
import {
  Button,
  Card,
  Col,
  Empty,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { get, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Chart } from '../components/Chart.tsx';
import type { ProductRow, QueuesReport, Store } from '../types.ts';

const STATES = ['pending', 'available', 'cancelled'] as const;

/** `product:12` → "商品 #12"; `mall` → "商城队列". */
export function queueLabel(t: TFunction, id: string, names?: Map<string, string>): string {
  const [kind, rest] = id.split(':', 2) as [string, string | undefined];
  const known = ['mall', 'product', 'store', 'cashier', 'stores', 'cashiers', 'pool'];
  if (!known.includes(kind)) return id;
  if (!rest) return t(`queues.kinds.${kind}`);
  const name = names?.get(id);
  return `${t(`queues.kinds.${kind}`)} #${rest}${name ? ` ${name}` : ''}`;
}

/** Money amounts are fen; points and voucher value are whole units, never ¥. */
const amountText = (asset: string, amount: number) =>
  asset === 'points' || asset === 'voucher' ? String(amount) : formatFen(amount);

/** Queue liability per queue and rewards by kind and state. */
export default function Queues() {
  const { t } = useTranslation();
  const data = useAsync((signal) => get<QueuesReport>('/api/v1/admin/queues', { signal }), []);
  const d = data.data;
  // names for product and store queues (display only; the id is always shown)
  const products = useAsync(
    (signal) => get<Paged<ProductRow>>('/api/v1/admin/products?page=1&pageSize=100', { signal }),
    [],
  );
  const stores = useAsync((signal) => get<Store[]>('/api/v1/admin/stores', { signal }), []);
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of products.data?.items ?? []) m.set(`product:${p.id}`, p.title);
    for (const st of stores.data ?? []) m.set(`store:${st.id}`, st.name);
    return m;
  }, [products.data, stores.data]);

  const chart = useMemo(() => {
    if (!d || d.queues.length === 0) return null;
    const labels = d.queues.map((q) => queueLabel(t, q.queueId, names));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('queues.outstanding'), t('queues.received')] },
      grid: { left: 70, right: 20, top: 40, bottom: 60 },
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 },
      },
      // display only: the axis is in yuan, the table has the exact fen
      yAxis: { type: 'value', name: t('queues.yuan') },
      series: [
        {
          name: t('queues.outstanding'),
          type: 'bar',
          stack: 'q',
          data: d.queues.map((q) => q.outstandingFen / 100),
          itemStyle: { color: '#fa541c' },
        },
        {
          name: t('queues.received'),
          type: 'bar',
          stack: 'q',
          data: d.queues.map((q) => q.receivedFen / 100),
          itemStyle: { color: '#52c41a' },
        },
      ],
    };
  }, [d, t, names]);

  const rewardRows = useMemo(() => {
    if (!d) return [];
    const rows = new Map<
      string,
      { key: string; kind: string; asset: string } & Record<string, number>
    >();
    for (const r of d.rewards) {
      const key = `${r.kind}/${r.asset}`;
      const row = rows.get(key) ?? ({ key, kind: r.kind, asset: r.asset } as never);
      row[r.state] = (row[r.state] ?? 0) + r.amount;
      rows.set(key, row);
    }
    return [...rows.values()];
  }, [d]);

  const totals = useMemo(() => {
    const out = { pending: 0, available: 0, cancelled: 0 };
    for (const r of d?.rewards ?? []) if (r.asset === 'cash') out[r.state] += r.amount;
    return out;
  }, [d]);

  return (
    <div>
      <Space className="toolbar">
        <Typography.Title level={3} className="page-title">
          {t('nav.queues')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={data.reload}>
          {t('common.refresh')}
        </Button>
      </Space>
      {data.error && <ErrorAlert message={data.error} onRetry={data.reload} />}
      {!d && data.loading ? (
        <div className="center">
          <Spin />
        </div>
      ) : d ? (
        <Spin spinning={data.loading}>
          <div className="muted mb">{t('queues.hint')}</div>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card>
                <div data-testid="queues-outstanding">
                  <Statistic
                    title={t('queues.outstandingTotal')}
                    value={formatFen(d.outstandingFen)}
                  />
                </div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('queues.waitingTotal')}
                  value={d.queues.reduce((n, q) => n + q.waiting, 0)}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('queues.cashPending')} value={formatFen(totals.pending)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('queues.cashAvailable')} value={formatFen(totals.available)} />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} className="mt">
            <Col xs={24} xl={14}>
              <Card title={t('queues.perQueue')}>
                {chart ? (
                  <Chart option={chart} style={{ height: 280 }} />
                ) : (
                  <Empty description={t('queues.empty')} />
                )}
                <Table
                  className="mt"
                  rowKey="queueId"
                  size="small"
                  dataSource={d.queues}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  locale={{ emptyText: t('queues.empty') }}
                  columns={[
                    {
                      title: t('queues.queue'),
                      dataIndex: 'queueId',
                      render: (id: string) => (
                        <span>
                          {queueLabel(t, id, names)} <span className="muted small">{id}</span>
                        </span>
                      ),
                    },
                    { title: t('queues.waiting'), dataIndex: 'waiting' },
                    { title: t('queues.entries'), dataIndex: 'entries' },
                    {
                      title: t('queues.outstanding'),
                      dataIndex: 'outstandingFen',
                      render: (v: number) => formatFen(v),
                    },
                    {
                      title: t('queues.received'),
                      dataIndex: 'receivedFen',
                      render: (v: number) => formatFen(v),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('queues.rewards')}>
                <Table
                  rowKey="key"
                  size="small"
                  dataSource={rewardRows}
                  pagination={false}
                  locale={{ emptyText: t('queues.noRewards') }}
                  columns={[
                    {
                      title: t('queues.kind'),
                      dataIndex: 'kind',
                      render: (k: string, r) => (
                        <span>
                          {t(`queues.rewardKinds.${k}`, { defaultValue: k })}{' '}
                          <Tag>{t(`asset.${r.asset}`, { defaultValue: r.asset })}</Tag>
                        </span>
                      ),
                    },
                    ...STATES.map((s) => ({
                      title: t(`queues.states.${s}`),
                      dataIndex: s,
                      render: (v: number | undefined, r: { asset: string }) =>
                        amountText(r.asset, v ?? 0),
                    })),
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </Spin>
      ) : null}
    </div>
  );
}
