import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Row, Select, Space, Spin, Statistic } from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import { Chart } from '../components/Chart.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { formatFen } from '../money.ts';
import { toDocument, type PreviewAnswer, type Settings } from './types.ts';

const PREVIEW_KEYS = [
  'outstandingEntitlementFen',
  'rewardsPendingFen',
  'rewardsAvailableFen',
  'rewardsPaidFen',
] as const;

/** Runs the simulator over the shop's own recent orders with the edited rules. */
export function PreviewPanel({
  settings,
  disabled,
  onProblems,
  onClearProblems,
}: {
  settings: Settings;
  disabled: boolean;
  onProblems(e: unknown): boolean;
  onClearProblems(): void;
}) {
  const { t } = useTranslation();
  const [days, setDays] = useState(30);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<{ answer: PreviewAnswer; key: string }[]>([]);
  const last = runs[runs.length - 1];
  const prev = runs.length > 1 ? runs[runs.length - 2] : undefined;
  const stale = last !== undefined && last.key !== JSON.stringify([settings, days]);

  const run = async () => {
    setBusy(true);
    setError(null);
    const key = JSON.stringify([settings, days]);
    try {
      const answer = await post<PreviewAnswer>('/api/v1/admin/rules/preview', {
        settings: toDocument(settings),
        days,
      });
      onClearProblems();
      setRuns((r) => [...r.slice(-1), { answer, key }]);
    } catch (e) {
      if (!onProblems(e)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const chart = useMemo(() => {
    if (!last) return null;
    const label = (k: (typeof PREVIEW_KEYS)[number]) => t(`rules.pv.${k}`);
    const series = [
      ...(prev
        ? [
            {
              name: t('rules.pv.previous'),
              type: 'bar',
              data: PREVIEW_KEYS.map((k) => prev.answer.summary[k] / 100),
              itemStyle: { color: '#bfbfbf' },
            },
          ]
        : []),
      {
        name: t('rules.pv.current'),
        type: 'bar',
        data: PREVIEW_KEYS.map((k) => last.answer.summary[k] / 100),
        itemStyle: { color: '#fa541c' },
      },
    ];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: series.map((s) => s.name) },
      grid: { left: 60, right: 10, top: 40, bottom: 50 },
      xAxis: {
        type: 'category',
        data: PREVIEW_KEYS.map(label),
        axisLabel: { interval: 0, width: 80, overflow: 'break' },
      },
      // display only: the axis is in yuan, the exact figures are the integer fen above
      yAxis: { type: 'value', name: t('rules.pv.yuan') },
      series,
    };
  }, [last, prev, t]);

  const delta = (k: keyof PreviewAnswer['summary']) => {
    if (!prev || k === 'entries') return null;
    const d = last!.answer.summary[k] - prev.answer.summary[k];
    if (d === 0) return <span className="muted small"> ({t('rules.pv.same')})</span>;
    return (
      <span className={d > 0 ? 'up small' : 'down small'}>
        {' '}
        ({d > 0 ? '+' : ''}
        {formatFen(d)})
      </span>
    );
  };

  const s = last?.answer.summary;
  return (
    <Card
      className="preview-panel"
      title={
        <span>
          <ExperimentOutlined /> {t('rules.pv.title')}
        </span>
      }
      extra={
        <Space>
          <Select
            size="small"
            value={days}
            onChange={setDays}
            aria-label={t('rules.pv.days')}
            options={[7, 30, 90].map((d) => ({
              value: d,
              label: t('rules.pv.lastDays', { count: d }),
            }))}
          />
          <Button
            type="primary"
            size="small"
            loading={busy}
            disabled={disabled}
            onClick={() => void run()}
          >
            {runs.length ? t('rules.pv.again') : t('rules.pv.run')}
          </Button>
        </Space>
      }
    >
      <div className="muted small mb">{t('rules.pv.hint')}</div>
      {error && <ErrorAlert message={error} onRetry={() => void run()} />}
      {!last && !busy && !error && <div className="muted center-text">{t('rules.pv.empty')}</div>}
      {busy && !last && (
        <div className="center">
          <Spin />
        </div>
      )}
      {last && s && (
        <Spin spinning={busy}>
          {stale && <Alert type="warning" showIcon className="mb" title={t('rules.pv.stale')} />}
          <div className="muted small mb" data-testid="preview-window">
            {t('rules.pv.window', {
              from: dayjs(last.answer.window.from).format('YYYY-MM-DD'),
              to: dayjs(last.answer.window.to).format('YYYY-MM-DD'),
              orders: last.answer.window.orders,
              users: last.answer.window.users,
            })}
          </div>
          <Row gutter={[12, 12]} data-testid="preview-summary">
            <Col span={12}>
              <div data-testid="pv-outstanding">
                <Statistic
                  title={t('rules.pv.outstandingEntitlementFen')}
                  value={formatFen(s.outstandingEntitlementFen)}
                  suffix={delta('outstandingEntitlementFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-pending">
                <Statistic
                  title={t('rules.pv.rewardsPendingFen')}
                  value={formatFen(s.rewardsPendingFen)}
                  suffix={delta('rewardsPendingFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-available">
                <Statistic
                  title={t('rules.pv.rewardsAvailableFen')}
                  value={formatFen(s.rewardsAvailableFen)}
                  suffix={delta('rewardsAvailableFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-paid">
                <Statistic
                  title={t('rules.pv.rewardsPaidFen')}
                  value={formatFen(s.rewardsPaidFen)}
                  suffix={delta('rewardsPaidFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-revenue">
                <Statistic title={t('rules.pv.revenueFen')} value={formatFen(s.revenueFen)} />
              </div>
            </Col>
            <Col span={12}>
              <Statistic
                title={t('rules.pv.entries')}
                value={t('rules.pv.entriesValue', {
                  waiting: s.entries.waiting,
                  done: s.entries.done,
                  total: s.entries.total,
                })}
                data-testid="pv-entries"
              />
            </Col>
          </Row>
          {chart && <Chart option={chart} style={{ height: 260 }} className="mt" />}
          <div className="muted small">{t('rules.q.trust')}</div>
        </Spin>
      )}
    </Card>
  );
}
