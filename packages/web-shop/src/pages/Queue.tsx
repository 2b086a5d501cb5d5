import { useRef, useState } from 'react';
import { Button, Dialog, ProgressBar, PullToRefresh, Tag, Toast } from 'antd-mobile';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, newIdempotencyKey, post, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { EmptyView, ErrorView, Loading, Notice, Page, Price } from '../components/ui.tsx';
import type { EntryStatus, Order, QueueEntries, QueueEntry, RewardState } from '../types.ts';
import { formatAmount } from '../components/format.ts';

/** What an exchange booked: points or voucher value units, pending or available. */
interface ExchangeReward {
  asset: string;
  amount: number;
  state: RewardState;
}

const STATUS_COLOR: Record<EntryStatus, 'default' | 'primary' | 'success' | 'warning'> = {
  waiting: 'primary',
  done: 'success',
  cancelled: 'default',
  exchanged: 'warning',
  cleared: 'default',
  converted: 'warning',
};

/** What `fen` of entitlement becomes at `ratePerYuan` (the server's rounding: down, 4 decimals of rate). */
const unitsFor = (fen: number, ratePerYuan: number) =>
  Math.floor((fen * Math.round(ratePerYuan * 10000)) / 1_000_000);

/** A money field the merchant may hide (null): shown as "—". */
function Amount({ fen }: { fen: number | null }) {
  const { t } = useTranslation();
  return fen === null ? <span className="muted">{t('queue.hidden')}</span> : <Price fen={fen} />;
}

function EntryCard({
  e,
  data,
  title,
  onChanged,
}: {
  e: QueueEntry;
  data: QueueEntries;
  title: string | undefined;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const attempt = useRef<{ to: string; key: string } | null>(null);
  const remaining =
    e.waitingFen ?? (e.receivedFen !== null ? Math.max(0, e.entitlementFen - e.receivedFen) : null);

  const draw = async () => {
    setBusy('lottery');
    try {
      const r = await post<{ drawnPct: number; entitlementFen: number }>(
        `/api/v1/queue/entries/${e.id}/lottery`,
        {},
      );
      await Dialog.alert({
        content: t('queue.lotteryDone', { pct: r.drawnPct, amount: formatFen(r.entitlementFen) }),
        confirmText: t('common.confirm'),
      });
      onChanged();
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const exchange = async (to: 'points' | 'voucher') => {
    // one key per entry and target: a retry after a lost answer is booked once
    if (attempt.current?.to !== to) attempt.current = { to, key: newIdempotencyKey() };
    setBusy('exchange');
    try {
      const r = await post<{ reward: ExchangeReward | null }>(
        `/api/v1/queue/entries/${e.id}/exchange`,
        { to },
        { headers: { 'Idempotency-Key': attempt.current.key } },
      );
      // the result in its own unit: points, or voucher value (爱心值) units, never ¥
      Toast.show({
        icon: 'success',
        content: r.reward
          ? t('queue.exchangedAmount', {
              amount: formatAmount(r.reward.asset, r.reward.amount, t),
              state: t(`rewards.state.${r.reward.state}`),
            })
          : t('queue.exchanged'),
      });
      onChanged();
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const askExchange = () => {
    const left = remaining ?? e.entitlementFen;
    const rate = data.exchangeRate;
    Dialog.show({
      title: t('queue.exchangeTitle'),
      content: (
        <div>
          <p>{t('queue.exchangeBody', { amount: formatFen(left) })}</p>
          <p className="muted small">
            {t('queue.rate', { points: rate.pointsPerYuan, voucher: rate.voucherPerYuan })}
          </p>
        </div>
      ),
      closeOnAction: true,
      closeOnMaskClick: true,
      actions: [
        {
          key: 'points',
          text: t('queue.toPoints', { n: unitsFor(left, rate.pointsPerYuan) }),
          onClick: () => void exchange('points'),
        },
        {
          key: 'voucher',
          text: t('queue.toVoucher', { n: unitsFor(left, rate.voucherPerYuan) }),
          onClick: () => void exchange('voucher'),
        },
        { key: 'cancel', text: t('common.cancel') },
      ],
    });
  };

  return (
    <li className="card queue-entry" data-testid={`queue-entry-${e.id}`}>
      <div className="order-head">
        <Link to={`/orders/${e.orderId}`} className="queue-title">
          {title ?? t('queue.entry', { id: e.orderId })}
        </Link>
        <Tag color={STATUS_COLOR[e.status]} fill="outline">
          {t(`queue.status.${e.status}`)}
        </Tag>
      </div>
      <div className="muted small">
        {e.queueId && <span>{e.queueId} · </span>}
        {e.position !== null && <span>{t('queue.position', { n: e.position })}</span>}
      </div>
      <div className="queue-progress">
        <span className="small">{t('queue.progress')}</span>
        {e.progressPct === null ? (
          <span className="muted">{t('queue.hidden')}</span>
        ) : (
          <>
            <ProgressBar
              percent={e.progressPct}
              className="grow"
              style={{ '--track-width': '8px' }}
              aria-label={t('queue.progress')}
            />
            <span className="progress-pct" data-testid="queue-progress">
              {e.progressPct}%
            </span>
          </>
        )}
      </div>
      <dl className="queue-grid">
        <div>
          <dt>{t('queue.entitlement')}</dt>
          <dd>
            <Price fen={e.entitlementFen} />
          </dd>
        </div>
        <div data-testid="queue-received">
          <dt>{t('queue.received')}</dt>
          <dd>
            <Amount fen={e.receivedFen} />
          </dd>
        </div>
        <div>
          <dt>{t('queue.waiting')}</dt>
          <dd>
            <Amount fen={e.waitingFen} />
          </dd>
        </div>
        <div>
          <dt>{t('queue.pending')}</dt>
          <dd>
            <Amount fen={e.pendingFen} />
          </dd>
        </div>
        <div>
          <dt>{t('queue.available')}</dt>
          <dd>
            <Amount fen={e.availableFen} />
          </dd>
        </div>
      </dl>
      {(e.lotteryAvailable || e.canExchange) && (
        <div className="actions">
          {e.lotteryAvailable && (
            <Button
              size="small"
              color="warning"
              shape="rounded"
              loading={busy === 'lottery'}
              onClick={() => void draw()}
            >
              {t('queue.lottery')}
            </Button>
          )}
          {e.canExchange && (
            <Button
              size="small"
              shape="rounded"
              loading={busy === 'exchange'}
              onClick={askExchange}
            >
              {data.exchangeName || t('queue.exchange')}
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** My queue entries (docs/models/queue-rebate.md): position, progress, received / waiting, pending vs available. */
export default function Queue() {
  const { t } = useTranslation();
  const queue = useAsync((signal) => get<QueueEntries>('/api/v1/queue/entries', { signal }), []);
  // the entries name their order only: the order list gives them a title
  const orders = useAsync(
    (signal) => get<Paged<Order>>('/api/v1/orders?page=1&pageSize=50', { signal }),
    [],
  );
  const titles = new Map(
    (orders.data?.items ?? []).map((o) => [o.id, o.lines.map((l) => l.title).join('、')]),
  );
  const d = queue.data;
  return (
    <Page title={d?.name ?? t('queue.title')} extra={<Link to="/rules">{t('queue.rules')}</Link>}>
      <PullToRefresh onRefresh={async () => queue.reload()}>
        {queue.loading && !d ? (
          <Loading />
        ) : queue.error || !d ? (
          <ErrorView message={queue.error ?? t('error.generic')} onRetry={queue.reload} />
        ) : (
          <>
            {d.paused && <Notice kind="alert" text={t('queue.paused')} />}
            <p className="muted small">{t('queue.notGuaranteed')}</p>
            {d.items.length === 0 ? (
              <EmptyView text={t('queue.empty')} />
            ) : (
              <ul className="entry-list" aria-label={t('queue.title')}>
                {d.items.map((e) => (
                  <EntryCard
                    key={e.id}
                    e={e}
                    data={d}
                    title={titles.get(e.orderId) || undefined}
                    onChanged={queue.reload}
                  />
                ))}
              </ul>
            )}
          </>
        )}
      </PullToRefresh>
    </Page>
  );
}
