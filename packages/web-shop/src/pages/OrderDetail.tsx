import { useEffect, useRef, useState } from 'react';
import {
  Button,
  Dialog,
  Form,
  Image,
  Popup,
  Radio,
  Rate,
  Space,
  Steps,
  Stepper,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useLocation, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { shownImage } from '../images.ts';
import { ApiError, errorText, get, newIdempotencyKey, post } from '../api.ts';
import { formatDateTime, formatTime } from '../dates.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, Loading, Notice, Page, Price } from '../components/ui.tsx';
import { addressText } from '../components/AddressForm.tsx';
import { PriceSummary } from '../components/PriceSummary.tsx';
import { startPayment } from '../pay.ts';
import type { Order, OrderLine } from '../types.ts';
import { specText } from '../components/format.ts';
import { shownState, STATE_COLOR, type ShownState } from '../components/orderState.ts';

const STEPS = ['pending_payment', 'paid', 'shipped', 'completed'] as const;

/** The progress bar: a refund continues from the last step the order reached. */
function stepsOf(o: Order): readonly ShownState[] {
  const shown = shownState(o);
  if (shown !== 'refunding' && shown !== 'refunded') return STEPS;
  const reached = o.state === 'paid' ? 1 : STEPS.indexOf(o.state as (typeof STEPS)[number]) + 1;
  return [...STEPS.slice(0, Math.max(1, reached)), 'refunding', 'refunded'];
}

/** Ask for a refund or a return of some units; one Idempotency-Key per request attempt. */
function AfterSaleSheet({
  order,
  open,
  onClose,
  onDone,
}: {
  order: Order;
  open: boolean;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'refund' | 'return_refund'>('refund');
  const [reason, setReason] = useState('');
  const [qty, setQty] = useState<Record<number, number>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const lines = order.lines
    .map((l) => ({ line: l, left: l.qty - l.afterSaleQty - l.refundedQty }))
    .filter((x) => x.left > 0);

  const submit = async () => {
    const picked = lines
      .map((x) => ({ lineId: x.line.id, qty: qty[x.line.id] ?? x.left }))
      .filter((x) => x.qty > 0);
    if (picked.length === 0) return setError(t('afterSale.pickLines'));
    const body = { kind, reason: reason.trim(), lines: picked };
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/orders/${order.id}/after-sales`, body, {
        headers: { 'Idempotency-Key': attempt.current.key },
      });
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popup
      visible={open}
      onMaskClick={onClose}
      onClose={onClose}
      showCloseButton
      destroyOnClose
      bodyClassName="sheet"
    >
      <h3 className="sheet-title">{t('afterSale.title')}</h3>
      <Form layout="vertical" name="afterSale">
        <Form.Item label={t('afterSale.kind')}>
          <Radio.Group value={kind} onChange={(v) => setKind(v as typeof kind)}>
            <Space>
              <Radio value="refund">{t('afterSale.refund')}</Radio>
              <Radio value="return_refund">{t('afterSale.returnRefund')}</Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
        {lines.map((x) => (
          <Form.Item key={x.line.id} label={`${x.line.title} ${specText(x.line.spec)}`}>
            <Stepper
              min={0}
              max={x.left}
              digits={0}
              value={qty[x.line.id] ?? x.left}
              onChange={(v) => setQty((q) => ({ ...q, [x.line.id]: v ?? 0 }))}
            />
          </Form.Item>
        ))}
        <Form.Item label={t('afterSale.reason')}>
          <TextArea
            value={reason}
            onChange={setReason}
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 5 }}
          />
        </Form.Item>
      </Form>
      {error && <Notice text={error} />}
      <Button block color="primary" loading={busy} onClick={() => void submit()}>
        {t('common.submit')}
      </Button>
    </Popup>
  );
}

/** Rate a line of a completed order (1–5) with an optional text; each line once. */
function ReviewSheet({
  order,
  line,
  onClose,
  onDone,
}: {
  order: Order;
  line: OrderLine | null;
  onClose(): void;
  onDone(lineId: number): void;
}) {
  const { t } = useTranslation();
  const [rating, setRating] = useState(5);
  const [content, setContent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRating(5);
    setContent('');
    setError(null);
  }, [line]);

  const submit = async () => {
    if (!line) return;
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/orders/${order.id}/reviews`, {
        lineId: line.id,
        rating,
        content: content.trim(),
      });
      onDone(line.id);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'REVIEW_EXISTS') onDone(line.id);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popup
      visible={line !== null}
      onMaskClick={onClose}
      onClose={onClose}
      showCloseButton
      bodyClassName="sheet"
    >
      <h3 className="sheet-title">{t('reviews.writeTitle')}</h3>
      {line && (
        <div className="muted">
          {line.title} {specText(line.spec)}
        </div>
      )}
      <div className="review-rate">
        <span>{t('reviews.rating')}</span>
        <Rate
          value={rating}
          onChange={(v) => setRating(Math.max(1, v))}
          aria-label={t('reviews.rating')}
        />
      </div>
      <TextArea
        value={content}
        onChange={setContent}
        maxLength={1000}
        showCount
        placeholder={t('reviews.contentPlaceholder')}
        autoSize={{ minRows: 3, maxRows: 6 }}
        aria-label={t('reviews.content')}
      />
      {error && <Notice text={error} />}
      <Button block color="primary" loading={busy} onClick={() => void submit()} className="mt">
        {t('reviews.submit')}
      </Button>
    </Popup>
  );
}

export default function OrderDetail() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const order = useAsync((signal) => get<Order>(`/api/v1/orders/${id}`, { signal }), [id]);
  const [busy, setBusy] = useState<string | null>(null);
  const [afterSale, setAfterSale] = useState(false);
  const [reviewing, setReviewing] = useState<OrderLine | null>(null);
  const [reviewed, setReviewed] = useState<number[]>([]);
  const o = order.data;
  // Back from the pay page: the gateway's notice may still be on its way, so re-read a while.
  const returnedPaid = new URLSearchParams(useLocation().search).get('result') === 'paid';
  const polls = useRef(0);
  const waitingForNotice = returnedPaid && o?.state === 'pending_payment' && polls.current < 20;
  useEffect(() => {
    if (!waitingForNotice || order.loading) return;
    const id = setTimeout(() => {
      polls.current += 1;
      order.reload();
    }, 1500);
    return () => clearTimeout(id);
  }, [waitingForNotice, order.loading, order]);

  const act = async (name: string, work: () => Promise<unknown>, done?: string) => {
    setBusy(name);
    try {
      await work();
      if (done) Toast.show({ icon: 'success', content: done });
      order.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  const confirmThen = async (title: string, run: () => Promise<void>) => {
    const ok = await Dialog.confirm({
      content: title,
      confirmText: t('common.confirm'),
      cancelText: t('common.cancel'),
    });
    if (ok) await run();
  };

  if (order.loading && !o)
    return (
      <Page title={t('orders.detail')}>
        <Loading />
      </Page>
    );
  if (order.error || !o)
    return (
      <Page title={t('orders.detail')}>
        <ErrorView message={order.error ?? t('error.generic')} onRetry={order.reload} />
      </Page>
    );
  const canAfterSale =
    ['paid', 'shipped', 'completed'].includes(o.state) &&
    o.lines.some((l) => l.qty - l.afterSaleQty - l.refundedQty > 0);
  const address = o.address ? addressText(o.address) : '';
  const shown = shownState(o);
  const steps = stepsOf(o);

  return (
    <Page title={t('orders.detail')}>
      <section className="card">
        <div className="order-head">
          <Tag color={STATE_COLOR[shown]} data-testid="order-state" className="state-tag">
            {t(`orderState.${shown}`)}
          </Tag>
          {o.refundStatus === 'partial' && (
            <Tag color="danger" fill="outline">
              {t(`refundStatus.${o.refundStatus}`)}
            </Tag>
          )}
          <Button
            size="mini"
            fill="none"
            color="primary"
            onClick={order.reload}
            loading={order.loading}
          >
            {t('common.refresh')}
          </Button>
        </div>
        {o.state !== 'cancelled' && (
          <Steps current={steps.indexOf(shown)} className="mt" data-testid="order-steps">
            {steps.map((s) => (
              <Steps.Step key={s} title={t(`orderState.${s}`)} />
            ))}
          </Steps>
        )}
        {waitingForNotice && <div className="mt">{t('orders.confirmingPayment')}</div>}
        {o.state === 'pending_payment' && (
          <div className="muted small mt">
            {t('orders.payBy', { time: formatTime(o.payDeadline) })}
          </div>
        )}
        {o.state === 'shipped' && o.carrier && (
          <div className="mt">
            {t('orders.shippedBy', { carrier: o.carrier, no: o.trackingNo })}
          </div>
        )}
        {o.state === 'cancelled' && o.cancelReason && (
          <div className="muted mt">{o.cancelReason}</div>
        )}
      </section>
      {o.address && (o.address.name || address) && (
        <section className="card">
          <div>
            <strong>{o.address.name}</strong> {o.address.phone}
          </div>
          <div className="muted small">{address}</div>
        </section>
      )}
      {o.lines.length > 0 && (
        <ul className="card line-list">
          {o.lines.map((l) => (
            <li key={l.id} className="line">
              {shownImage(l.image) ? (
                <Image src={shownImage(l.image)!} alt="" fit="cover" className="line-img" />
              ) : (
                <div className="img-placeholder line-img" />
              )}
              <div className="line-body">
                <div className="line-title">{l.title}</div>
                <div className="muted small">{specText(l.spec)}</div>
                <div className="line-foot">
                  <Price fen={l.unitPriceFen} />
                  <span className="muted">× {l.qty}</span>
                </div>
                {l.refundedQty > 0 && (
                  <div className="muted small">
                    {t('orders.refundedQty', { count: l.refundedQty })}
                  </div>
                )}
                {o.state === 'completed' && l.refundedQty < l.qty && !reviewed.includes(l.id) && (
                  <div className="line-actions">
                    <Button
                      size="mini"
                      color="primary"
                      fill="outline"
                      onClick={() => setReviewing(l)}
                    >
                      {t('reviews.write')}
                    </Button>
                  </div>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <PriceSummary steps={o}>
        <div className="sum-row">
          <span>{t('checkout.payable')}</span>
          <Price fen={o.payableFen} className="price-lg" />
        </div>
        {o.refundedFen + o.refundedBalanceFen > 0 && (
          <div className="sum-row">
            <span>{t('orders.refunded')}</span>
            <Price fen={o.refundedFen + o.refundedBalanceFen} />
          </div>
        )}
        <div className="muted small">{t('orders.no', { no: o.orderNo })}</div>
        <div className="muted small">
          {t('orders.createdAt', { time: formatDateTime(o.createdAt) })}
        </div>
      </PriceSummary>
      <div className="actions">
        {o.state === 'pending_payment' && (
          <>
            <Button
              shape="rounded"
              onClick={() =>
                void confirmThen(t('orders.confirmCancel'), () =>
                  act(
                    'cancel',
                    () => post(`/api/v1/orders/${o.id}/cancel`, {}),
                    t('orders.cancelled'),
                  ),
                )
              }
              loading={busy === 'cancel'}
            >
              {t('orders.cancel')}
            </Button>
            <Button
              color="primary"
              shape="rounded"
              loading={busy === 'pay'}
              onClick={() => void act('pay', () => startPayment(o.id))}
            >
              {t('orders.pay')}
            </Button>
          </>
        )}
        {o.state === 'shipped' && (
          <Button
            color="primary"
            shape="rounded"
            loading={busy === 'complete'}
            onClick={() =>
              void confirmThen(t('orders.confirmReceipt'), () =>
                act(
                  'complete',
                  () => post(`/api/v1/orders/${o.id}/complete`, {}),
                  t('orders.completed'),
                ),
              )
            }
          >
            {t('orders.complete')}
          </Button>
        )}
        {canAfterSale && (
          <Button shape="rounded" onClick={() => setAfterSale(true)}>
            {t('afterSale.apply')}
          </Button>
        )}
      </div>
      {canAfterSale && (
        <AfterSaleSheet
          order={o}
          open={afterSale}
          onClose={() => setAfterSale(false)}
          onDone={() => {
            setAfterSale(false);
            Toast.show({ icon: 'success', content: t('afterSale.submitted') });
            order.reload();
          }}
        />
      )}
      <ReviewSheet
        order={o}
        line={reviewing}
        onClose={() => setReviewing(null)}
        onDone={(lineId) => {
          setReviewed((r) => [...r, lineId]);
          setReviewing(null);
          Toast.show({ icon: 'success', content: t('reviews.submitted') });
        }}
      />
    </Page>
  );
}
