import { useMemo, useState } from 'react';
import { Button, Card, Col, DatePicker, Row, Space, Spin, Statistic, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Chart } from '../components/Chart.tsx';
import type { Dashboard as DashboardData } from '../types.ts';

const FMT = 'YYYY-MM-DD';

export default function Dashboard() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const query = range ? `?from=${range[0].format(FMT)}&to=${range[1].format(FMT)}` : '';
  const data = useAsync(
    (signal) => get<DashboardData>(`/api/v1/admin/dashboard${query}`, { signal }),
    [query],
  );
  const d = data.data;

  const salesChart = useMemo(() => {
    if (!d) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: undefined },
      legend: { top: 0, data: [t('dashboard.gmv'), t('dashboard.orders')] },
      grid: { left: 60, right: 50, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: d.daily.map((x) => x.date.slice(5)) },
      yAxis: [
        {
          type: 'value',
          name: t('dashboard.gmvYuan'),
          axisLabel: { formatter: (v: number) => String(v) },
        },
        { type: 'value', name: t('dashboard.orders'), minInterval: 1 },
      ],
      series: [
        // the chart axis wants yuan; the exact figure is the integer fen in the cards and CSV
        {
          name: t('dashboard.gmv'),
          type: 'bar',
          data: d.daily.map((x) => x.gmvFen / 100),
          itemStyle: { color: '#fa541c' },
        },
        {
          name: t('dashboard.orders'),
          type: 'line',
          yAxisIndex: 1,
          data: d.daily.map((x) => x.orders),
          smooth: true,
        },
      ],
    };
  }, [d, t]);

  const usersChart = useMemo(() => {
    if (!d) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('dashboard.newUsers'), t('dashboard.activeUsers')] },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: d.daily.map((x) => x.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('dashboard.newUsers'),
          type: 'line',
          data: d.daily.map((x) => x.newUsers),
          smooth: true,
          areaStyle: { opacity: 0.15 },
        },
        {
          name: t('dashboard.activeUsers'),
          type: 'line',
          data: d.daily.map((x) => x.activeUsers),
          smooth: true,
        },
      ],
    };
  }, [d, t]);

  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t('nav.dashboard')}
        </Typography.Title>
        <DatePicker.RangePicker
          value={range ?? (d ? [dayjs(d.from), dayjs(d.to)] : null)}
          onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)}
          allowClear
          disabledDate={(day) => day.isAfter(dayjs().add(1, 'day'))}
        />
        <Button icon={<ReloadOutlined />} onClick={data.reload}>
          {t('common.refresh')}
        </Button>
        <Button
          icon={<DownloadOutlined />}
          href={`/api/v1/admin/dashboard/export.csv${query}`}
          download
        >
          {t('dashboard.exportCsv')}
        </Button>
      </Space>
      {data.error && <ErrorAlert message={data.error} onRetry={data.reload} />}
      {!d && data.loading ? (
        <div className="center">
          <Spin />
        </div>
      ) : d ? (
        <Spin spinning={data.loading}>
          <div className="muted mb">
            {t('dashboard.range', { from: d.from, to: d.to, tz: d.timezone })}
          </div>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card data-testid="dashboard-gmv">
                <Statistic title={t('dashboard.gmv')} value={formatFen(d.sales.gmvFen)} />
                <div className="muted small">
                  {t('dashboard.gmvHint', {
                    paid: formatFen(d.sales.paidFen),
                    refunded: formatFen(d.sales.refundedFen),
                  })}
                </div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card data-testid="dashboard-refunds">
                <Statistic title={t('dashboard.refunds')} value={formatFen(d.sales.refundedFen)} />
                <div className="muted small">{t('dashboard.refundsHint')}</div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('dashboard.orders')} value={d.sales.orders} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('dashboard.avgOrder')} value={formatFen(d.sales.avgOrderFen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('dashboard.newUsers')}
                  value={d.users.new}
                  suffix={
                    <span className="muted small">
                      / {t('dashboard.totalUsers', { count: d.users.total })}
                    </span>
                  }
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic title={t('dashboard.activeUsers')} value={d.users.active} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('dashboard.funnel')}
                  value={`${d.referral.signUps} → ${d.referral.firstPurchases}`}
                />
                <div className="muted small">{t('dashboard.funnelHint')}</div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('dashboard.rewardsPending')}
                  value={formatFen(d.rewards.pendingFen)}
                />
                <div className="muted small">
                  {t('dashboard.pointsPending', { count: d.rewards.pendingPoints })}
                </div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('dashboard.rewardsAvailable')}
                  value={formatFen(d.rewards.availableFen)}
                />
                <div className="muted small">
                  {t('dashboard.pointsAvailable', { count: d.rewards.availablePoints })}
                </div>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('dashboard.withdrawn')}
                  value={formatFen(d.rewards.withdrawnFen)}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('dashboard.queueLiability')}
                  value={formatFen(d.queue.outstandingEntitlementFen)}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} className="mt">
            <Col xs={24} lg={12}>
              <Card title={t('dashboard.salesChart')}>
                {salesChart && <Chart option={salesChart} style={{ height: 300 }} />}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('dashboard.usersChart')}>
                {usersChart && <Chart option={usersChart} style={{ height: 300 }} />}
              </Card>
            </Col>
          </Row>
        </Spin>
      ) : null}
    </div>
  );
}
