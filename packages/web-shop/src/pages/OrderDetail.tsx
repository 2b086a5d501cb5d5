import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Steps, Tag } from 'antd';
import { useLocation, useParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, get, newIdempotencyKey, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, Loading, Page, Price } from '../components/ui.tsx';
import { startPayment } from '../pay.ts';
import type { Order } from '../types.ts';
import { specText } from './Cart.tsx';
import { addressText } from './Checkout.tsx';
import { STATE_COLOR } from './Orders.tsx';

const STEPS = ['pending_payment', 'paid', 'shipped', 'completed'] as const;

/** Ask for a refund or a return of some units; one Idempotency-Key per request attempt. */
function AfterSaleModal({
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
    <Modal
      open={open}
      title={t('afterSale.title')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('afterSale.kind')}>
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value as typeof kind)}
            options={[
              { value: 'refund', label: t('afterSale.refund') },
              { value: 'return_refund', label: t('afterSale.returnRefund') },
            ]}
          />
        </Form.Item>
        {lines.map((x) => (
          <Form.Item key={x.line.id} label={`${x.line.title} ${specText(x.line.spec)}`}>
            <InputNumber
              min={0}
              max={x.left}
              value={qty[x.line.id] ?? x.left}
              onChange={(v) => setQty((q) => ({ ...q, [x.line.id]: v ?? 0 }))}
              precision={0}
            />
          </Form.Item>
        ))}
        <Form.Item label={t('afterSale.reason')}>
          <Input.TextArea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            autoSize={{ minRows: 2 }}
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

export default function OrderDetail() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const id = Number(useParams().id);
  const order = useAsync((signal) => get<Order>(`/api/v1/orders/${id}`, { signal }), [id]);
  const [busy, setBusy] = useState<string | null>(null);
  const [afterSale, setAfterSale] = useState(false);
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
      if (done) void message.success(done);
      order.reload();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
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

  return (
    <Page title={t('orders.detail')}>
      <section className="card">
        <div className="order-head">
          <Tag color={STATE_COLOR[o.state]} data-testid="order-state">
            {t(`orderState.${o.state}`)}
          </Tag>
          {o.refundStatus !== 'none' && (
            <Tag color="purple">{t(`refundStatus.${o.refundStatus}`)}</Tag>
          )}
          <Button size="small" type="link" onClick={order.reload} loading={order.loading}>
            {t('common.refresh')}
          </Button>
        </div>
        {o.state !== 'cancelled' && (
          <Steps
            size="small"
            className="mt"
            current={STEPS.indexOf(o.state as (typeof STEPS)[number])}
            items={STEPS.map((s) => ({ title: t(`orderState.${s}`) }))}
            responsive={false}
          />
        )}
        {waitingForNotice && <div className="mt">{t('orders.confirmingPayment')}</div>}
        {o.state === 'pending_payment' && (
          <div className="muted small mt">
            {t('orders.payBy', { time: dayjs(o.payDeadline).format('HH:mm') })}
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
      <section className="card">
        <div>
          <strong>{o.address.name}</strong> {o.address.phone}
        </div>
        <div className="muted small">{addressText(o.address)}</div>
      </section>
      <ul className="card line-list">
        {o.lines.map((l) => (
          <li key={l.id} className="line">
            {l.image ? <img src={l.image} alt="" /> : <div className="img-placeholder" />}
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
            </div>
          </li>
        ))}
      </ul>
      <section className="card summary">
        <div className="sum-row">
          <span>{t('checkout.itemsTotal')}</span>
          <Price fen={o.itemsFen} />
        </div>
        {o.balanceFen > 0 && (
          <div className="sum-row">
            <span>{t('checkout.balance')}</span>
            <span>
              -<Price fen={o.balanceFen} />
            </span>
          </div>
        )}
        {o.pointsFen > 0 && (
          <div className="sum-row">
            <span>{t('checkout.points', { count: o.pointsUsed })}</span>
            <span>
              -<Price fen={o.pointsFen} />
            </span>
          </div>
        )}
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
          {t('orders.createdAt', { time: dayjs(o.createdAt).format('YYYY-MM-DD HH:mm') })}
        </div>
      </section>
      <div className="actions">
        {o.state === 'pending_payment' && (
          <>
            <Button
              onClick={() =>
                modal.confirm({
                  title: t('orders.confirmCancel'),
                  okText: t('common.confirm'),
                  cancelText: t('common.cancel'),
                  onOk: () =>
                    act(
                      'cancel',
                      () => post(`/api/v1/orders/${o.id}/cancel`, {}),
                      t('orders.cancelled'),
                    ),
                })
              }
              loading={busy === 'cancel'}
            >
              {t('orders.cancel')}
            </Button>
            <Button
              type="primary"
              loading={busy === 'pay'}
              onClick={() => void act('pay', () => startPayment(o.id))}
            >
              {t('orders.pay')}
            </Button>
          </>
        )}
        {o.state === 'shipped' && (
          <Button
            type="primary"
            loading={busy === 'complete'}
            onClick={() =>
              modal.confirm({
                title: t('orders.confirmReceipt'),
                okText: t('common.confirm'),
                cancelText: t('common.cancel'),
                onOk: () =>
                  act(
                    'complete',
                    () => post(`/api/v1/orders/${o.id}/complete`, {}),
                    t('orders.completed'),
                  ),
              })
            }
          >
            {t('orders.complete')}
          </Button>
        )}
        {canAfterSale && <Button onClick={() => setAfterSale(true)}>{t('afterSale.apply')}</Button>}
      </div>
      {canAfterSale && (
        <AfterSaleModal
          order={o}
          open={afterSale}
          onClose={() => setAfterSale(false)}
          onDone={() => {
            setAfterSale(false);
            void message.success(t('afterSale.submitted'));
            order.reload();
          }}
        />
      )}
    </Page>
  );
}
