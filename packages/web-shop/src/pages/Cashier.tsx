import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Form, Input, Result, Tag } from 'antd-mobile';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import { errorText, get, newIdempotencyKey, post } from '../api.ts';
import { formatTime } from '../dates.ts';
import { useAsync } from '../hooks.ts';
import { formatFen, parseYuanToFen } from '../money.ts';
import { EmptyView, Loading, Notice, Page, Price } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import type { CashierCharge, ChargeStatus } from '../types.ts';
import { LoginForm } from '../components/LoginForm.tsx';

const STATUS_COLOR: Record<ChargeStatus, 'warning' | 'success' | 'default'> = {
  pending: 'warning',
  paid: 'success',
  expired: 'default',
};
const POLL_MS = 2000;

/** The QR code of the customer's pay link, and its status until paid or expired. */
function ChargeView({
  charge,
  onNew,
  onSettled,
}: {
  charge: CashierCharge;
  onNew(): void;
  /** the charge left `pending` (paid or expired): the day's list must show it too */
  onSettled(): void;
}) {
  const { t } = useTranslation();
  const [c, setC] = useState(charge);
  const [qr, setQr] = useState<string | null>(null);
  const link = `${window.location.origin}${charge.payPath}`;

  useEffect(() => {
    let live = true;
    QRCode.toDataURL(link, { width: 260, margin: 1 })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [link]);

  // watch it become paid (or expire): re-read every 2 s while it is pending
  useEffect(() => {
    if (c.status !== 'pending') return;
    const id = setTimeout(() => {
      get<CashierCharge>(`/api/v1/cashier/charges/${charge.id}`)
        .then((fresh) => setC((old) => ({ ...old, ...fresh })))
        .catch(() => setC((old) => ({ ...old })));
    }, POLL_MS);
    return () => clearTimeout(id);
  }, [c, charge.id]);

  const settled = c.status !== 'pending';
  useEffect(() => {
    if (settled) onSettled();
  }, [settled, onSettled]);

  return (
    <section className="card cashier-charge" aria-label={t('cashier.scanToPay')}>
      {c.status === 'paid' ? (
        <Result
          status="success"
          title={t('cashier.paid')}
          description={`${formatFen(c.amountFen)}${c.paidAt ? ` · ${formatTime(c.paidAt)}` : ''}`}
        />
      ) : c.status === 'expired' ? (
        <Result
          status="warning"
          title={t('cashier.expired')}
          description={formatFen(c.amountFen)}
        />
      ) : (
        <>
          <div className="center">
            <Price fen={c.amountFen} className="price-xl" />
          </div>
          {qr && (
            <img className="qr" src={qr} alt={t('cashier.scanToPay')} width={220} height={220} />
          )}
          <div className="center">{t('cashier.scanToPay')}</div>
          <div className="muted small center">{t('cashier.waiting')}</div>
          <Input readOnly value={link} aria-label={t('cashier.link')} className="pay-link" />
        </>
      )}
      <div className="center" data-testid="charge-status">
        <Tag color={STATUS_COLOR[c.status]}>{t(`cashier.status.${c.status}`)}</Tag>
      </div>
      <Button block color="primary" shape="rounded" onClick={onNew} className="mt">
        {t('cashier.newCharge')}
      </Button>
    </section>
  );
}

function TodayList({ tick }: { tick: number }) {
  const { t } = useTranslation();
  const list = useAsync(
    (signal) =>
      get<CashierCharge[] | { items: CashierCharge[] }>('/api/v1/cashier/charges', { signal }),
    [tick],
  );
  const items = Array.isArray(list.data) ? list.data : (list.data?.items ?? []);
  return (
    <section className="card" aria-label={t('cashier.today')}>
      <h3 className="section-title">{t('cashier.today')}</h3>
      {list.error ? (
        <div className="muted small">{list.error}</div>
      ) : items.length === 0 ? (
        <EmptyView text={t('cashier.empty')} />
      ) : (
        <ul className="plain-list">
          {items.map((c) => (
            <li key={c.id}>
              <div>
                <Price fen={c.amountFen} />
                <div className="muted small">
                  {c.createdAt ? formatTime(c.createdAt) : ''} {c.note ?? ''}
                </div>
              </div>
              <Tag color={STATUS_COLOR[c.status]} fill="outline">
                {t(`cashier.status.${c.status}`)}
              </Tag>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Desk() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ amount: string; note?: string }>();
  const [charge, setCharge] = useState<CashierCharge | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const refreshList = useCallback(() => setTick((n) => n + 1), []);

  const create = async (v: { amount: string; note?: string }) => {
    const amountFen = parseYuanToFen(v.amount);
    if (amountFen === null || amountFen <= 0) return setError(t('cashier.amountInvalid'));
    const body = { amountFen, ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    try {
      const c = await post<CashierCharge>('/api/v1/cashier/charges', body, {
        headers: { 'Idempotency-Key': attempt.current.key },
      });
      attempt.current = null;
      setCharge(c);
      setTick((n) => n + 1);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {charge ? (
        <ChargeView
          key={charge.id}
          charge={charge}
          onSettled={refreshList}
          onNew={() => {
            setCharge(null);
            form.resetFields();
            setTick((n) => n + 1);
          }}
        />
      ) : (
        <section className="card">
          <Form
            form={form}
            name="charge"
            layout="vertical"
            onFinish={create}
            requiredMarkStyle="none"
            footer={
              <>
                {error && <Notice text={error} />}
                <Button type="submit" color="primary" block size="large" loading={busy}>
                  {t('cashier.create')}
                </Button>
              </>
            }
          >
            <Form.Item
              name="amount"
              label={t('cashier.amount')}
              rules={[{ required: true, message: t('cashier.amountInvalid') }]}
            >
              <Input inputMode="decimal" placeholder="0.00" clearable className="amount-input" />
            </Form.Item>
            <Form.Item name="note" label={t('cashier.note')} rules={[{ max: 100 }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Form>
        </section>
      )}
      <TodayList tick={tick} />
    </>
  );
}

/**
 * The till of a store (`/cashier`): a cashier signs in here, enters an amount and shows
 * the customer a QR code of `/pay/c/<code>`, then watches the charge become paid.
 */
export default function Cashier() {
  const { t } = useTranslation();
  const { user, loading, logout } = useSession();
  return (
    <Page title={t('cashier.title')} back={false}>
      {loading ? (
        <Loading />
      ) : !user ? (
        <section className="card form-card">
          <h3 className="section-title">{t('cashier.signIn')}</h3>
          <LoginForm allowCode={false} onDone={() => undefined} />
        </section>
      ) : user.role !== 'cashier' ? (
        <section className="card">
          <Notice kind="alert" text={t('cashier.notCashier')} />
          <Button block className="mt" onClick={() => void logout()}>
            {t('cashier.switchAccount')}
          </Button>
        </section>
      ) : (
        <>
          <div className="cashier-who muted small">
            {user.nickname}{' '}
            <Button size="mini" fill="none" onClick={() => void logout()}>
              {t('me.logout')}
            </Button>
          </div>
          <Desk />
        </>
      )}
    </Page>
  );
}
