import { useRef, useState } from 'react';
import { Button, Form, Input, Tag, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { errorText, get, newIdempotencyKey, post, type Paged } from '../api.ts';
import { formatDateTime } from '../dates.ts';
import { useAsync, usePagedList } from '../hooks.ts';
import { EmptyView, ListFooter, Notice, Page, Price } from '../components/ui.tsx';
import { parseYuanToFen } from '../money.ts';
import type { Wallet, Withdrawal } from '../types.ts';

const STATUS_COLOR: Record<
  Withdrawal['status'],
  'default' | 'primary' | 'success' | 'warning' | 'danger'
> = {
  pending: 'warning',
  paying: 'primary',
  manual_review: 'primary',
  paid: 'success',
  rejected: 'default',
  failed: 'danger',
};

/** Withdraw available cash (reserved at once, paid after staff review) and see past requests. */
export default function Withdrawals() {
  const { t } = useTranslation();
  const wallet = useAsync((signal) => get<Wallet>('/api/v1/wallet', { signal }), []);
  const list = usePagedList<Withdrawal>(
    (page, signal) =>
      get<Paged<Withdrawal>>(`/api/v1/wallet/withdrawals?page=${page}&pageSize=20`, { signal }),
    [],
  );
  const [form] = Form.useForm<{ amount: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const available = wallet.data?.cash.available ?? 0;

  const submit = async ({ amount }: { amount: string }) => {
    const amountFen = parseYuanToFen(amount);
    if (amountFen === null || amountFen <= 0) return setError(t('withdraw.amountInvalid'));
    if (amountFen > available) return setError(t('withdraw.tooMuch'));
    const body = { amountFen };
    const text = JSON.stringify(body);
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/wallet/withdrawals', body, {
        headers: { 'Idempotency-Key': attempt.current.key },
      });
      attempt.current = null;
      form.resetFields();
      Toast.show({ icon: 'success', content: t('withdraw.submitted') });
      wallet.reload();
      void list.reset();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('withdraw.title')}>
      <section className="card">
        <div className="muted">{t('me.available')}</div>
        <div data-testid="withdraw-available">
          {/* no ¥0.00 while the wallet is on its way */}
          {wallet.data ? (
            <Price fen={available} className="price-lg" />
          ) : (
            <span className="price price-lg">—</span>
          )}
        </div>
        <Form
          form={form}
          name="withdraw"
          layout="vertical"
          onFinish={submit}
          className="mt"
          requiredMarkStyle="none"
          footer={
            <>
              {error && <Notice text={error} />}
              <Button color="primary" type="submit" block loading={busy} disabled={available <= 0}>
                {t('withdraw.submit')}
              </Button>
            </>
          }
        >
          <Form.Item
            name="amount"
            label={t('withdraw.amount')}
            rules={[{ required: true, message: t('withdraw.amountInvalid') }]}
          >
            <Input inputMode="decimal" placeholder="0.00" clearable />
          </Form.Item>
        </Form>
        <div className="muted small mt">{t('withdraw.hint')}</div>
      </section>
      {list.done && list.items.length === 0 ? (
        <EmptyView text={t('withdraw.empty')} />
      ) : (
        <>
          <ul className="card plain-list" aria-label={t('withdraw.history')}>
            {list.items.map((w) => (
              <li key={w.id}>
                <div>
                  <Price fen={w.amountFen} />
                  {w.feeFen > 0 && (
                    <span className="muted small">
                      {' '}
                      {t('withdraw.fee')} <Price fen={w.feeFen} />
                    </span>
                  )}
                  <div className="muted small">{formatDateTime(w.createdAt)}</div>
                  {(w.reviewNote || w.failure) && (
                    <div className="muted small">{w.reviewNote ?? w.failure}</div>
                  )}
                </div>
                <Tag color={STATUS_COLOR[w.status]} fill="outline">
                  {t(`withdraw.status.${w.status}`)}
                </Tag>
              </li>
            ))}
          </ul>
          <ListFooter loadMore={list.loadMore} done={list.done} />
        </>
      )}
    </Page>
  );
}
