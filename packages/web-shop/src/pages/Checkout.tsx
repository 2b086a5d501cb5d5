import { useMemo, useRef, useState } from 'react';
import { Button, Image, Radio, Switch, TextArea, Toast } from 'antd-mobile';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { shownImage } from '../images.ts';
import { errorText, get, newIdempotencyKey, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, Loading, Notice, Page, Price } from '../components/ui.tsx';
import AddressForm, { addressText } from '../components/AddressForm.tsx';
import { PriceSummary } from '../components/PriceSummary.tsx';
import { orderErrorText, startPayment } from '../pay.ts';
import type { Address, Order, Preview, Wallet } from '../types.ts';
import { specText } from '../components/format.ts';

/** `?items=12x2,15x1` → [{skuId: 12, qty: 2}, …] */
function parseItems(text: string | null): { skuId: number; qty: number }[] {
  return (text ?? '')
    .split(',')
    .map((part) => /^(\d+)x(\d+)$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ skuId: Number(m[1]), qty: Number(m[2]) }))
    .filter((i) => i.skuId > 0 && i.qty > 0 && i.qty <= 999)
    .slice(0, 50);
}

export default function Checkout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = new URLSearchParams(useLocation().search);
  const itemsText = search.get('items');
  const items = useMemo(() => parseItems(itemsText), [itemsText]);
  const fromCart = search.get('from') === 'cart';
  const [useBalance, setUseBalance] = useState(false);
  const [usePoints, setUsePoints] = useState(false);
  const [addressId, setAddressId] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const addresses = useAsync((signal) => get<Address[]>('/api/v1/addresses', { signal }), []);
  const wallet = useAsync((signal) => get<Wallet>('/api/v1/wallet', { signal }), []);
  const preview = useAsync(
    (signal) =>
      items.length
        ? post<Preview>('/api/v1/checkout/preview', { items, useBalance, usePoints }, { signal })
        : Promise.reject(new Error(t('checkout.noItems'))),
    [JSON.stringify(items), useBalance, usePoints],
  );
  const chosen =
    addressId ?? addresses.data?.find((a) => a.isDefault)?.id ?? addresses.data?.[0]?.id ?? null;

  const place = async () => {
    if (!chosen || !preview.data) return;
    const body = {
      items,
      addressId: chosen,
      useBalance,
      usePoints,
      fromCart,
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    const text = JSON.stringify(body);
    // one key per order attempt: a retry after a lost answer cannot place a second order
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    setError(null);
    let placed: Order | null = null;
    try {
      placed = await post<Order>('/api/v1/orders', body, {
        headers: { 'Idempotency-Key': attempt.current.key },
      });
      if (placed.state === 'pending_payment' && placed.payableFen > 0) {
        if (await startPayment(placed.id)) return;
      }
      navigate(`/orders/${placed.id}`, { replace: true });
    } catch (e) {
      if (placed) {
        // the order stands: say why paying did not start, on the order, where 去支付 is
        Toast.show({ icon: 'fail', content: errorText(e), duration: 4000 });
        navigate(`/orders/${placed.id}`, { replace: true });
        return;
      }
      setError(orderErrorText(e));
      setBusy(false);
    }
  };

  if (preview.loading && !preview.data)
    return (
      <Page title={t('checkout.title')}>
        <Loading />
      </Page>
    );
  if (!preview.data)
    return (
      <Page title={t('checkout.title')}>
        <ErrorView message={preview.error ?? t('error.generic')} onRetry={preview.reload} />
      </Page>
    );
  const p = preview.data;
  const outOfStock = p.lines.some((l) => !l.inStock);

  return (
    <Page title={t('checkout.title')}>
      <section className="card" aria-label={t('checkout.address')}>
        <h3 className="section-title">{t('checkout.address')}</h3>
        {addresses.loading && !addresses.data ? (
          <Loading />
        ) : addresses.error ? (
          <ErrorView message={addresses.error} onRetry={addresses.reload} />
        ) : addresses.data && addresses.data.length > 0 ? (
          <>
            <Radio.Group value={chosen} onChange={(v) => setAddressId(v as number)}>
              <div className="address-list">
                {addresses.data.map((a) => (
                  <Radio key={a.id} value={a.id} block>
                    <div>
                      <strong>{a.name}</strong> {a.phone}
                    </div>
                    <div className="muted small">{addressText(a)}</div>
                  </Radio>
                ))}
              </div>
            </Radio.Group>
            <Link to="/me/addresses" className="small link-inline">
              {t('addresses.manage')}
            </Link>
          </>
        ) : (
          <AddressForm
            defaultFirst
            onSaved={(a) => {
              setAddressId(a.id);
              addresses.reload();
            }}
          />
        )}
      </section>
      <ul className="card line-list" aria-label={t('checkout.items')}>
        {p.lines.map((l) => (
          <li key={l.skuId} className="line">
            {shownImage(l.image) ? (
              <Image src={shownImage(l.image)!} alt="" fit="cover" className="line-img" />
            ) : (
              <div className="img-placeholder line-img" />
            )}
            <div className="line-body">
              <div className="line-title">{l.title}</div>
              <div className="muted small">
                {specText(l.spec)}
                {!l.inStock && ` · ${t('product.outOfStock')}`}
              </div>
              <div className="line-foot">
                <Price fen={l.unitPriceFen} />
                <span className="muted">× {l.qty}</span>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <PriceSummary steps={p}>
        <div className="sum-row">
          <span>
            {t('checkout.usePoints')}{' '}
            <span className="muted small">
              ({t('checkout.pointsAvailable', { count: wallet.data?.points.available ?? 0 })})
            </span>
          </span>
          <Switch
            checked={usePoints}
            onChange={setUsePoints}
            disabled={!wallet.data || wallet.data.points.available <= 0}
          />
        </div>
        <div className="sum-row">
          <span>
            {t('checkout.useBalance')}{' '}
            <span className="muted small">
              ({t('checkout.balanceAvailable')} <Price fen={wallet.data?.cash.available ?? 0} />)
            </span>
          </span>
          <Switch
            checked={useBalance}
            onChange={setUseBalance}
            disabled={!wallet.data || wallet.data.cash.available <= 0}
          />
        </div>
        <div className="note-item">
          <TextArea
            value={note}
            onChange={setNote}
            maxLength={200}
            placeholder={t('checkout.note')}
            autoSize={{ minRows: 1, maxRows: 3 }}
            aria-label={t('checkout.note')}
          />
        </div>
      </PriceSummary>
      {error && <Notice text={error} />}
      <div className="bottom-bar">
        <span className="grow">
          {t('checkout.payable')} <Price fen={p.payableFen} className="price-lg" />
        </span>
        <Button
          color="primary"
          shape="rounded"
          loading={busy}
          disabled={!chosen || outOfStock || preview.loading}
          onClick={() => void place()}
        >
          {t('checkout.submit')}
        </Button>
      </div>
    </Page>
  );
}
