import { useState } from 'react';
import { Button, Dialog, Image, Stepper, Toast } from 'antd-mobile';
import { DeleteOutline } from 'antd-mobile-icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { shownImage } from '../images.ts';
import { api, errorText, get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { EmptyView, ErrorView, Loading, Page, Price } from '../components/ui.tsx';
import type { Cart as CartData } from '../types.ts';
import { specText } from '../components/format.ts';

export default function Cart() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cart = useAsync((signal) => get<CartData>('/api/v1/cart', { signal }), []);
  const [busy, setBusy] = useState<number | null>(null);

  const change = async (skuId: number, qty: number | null) => {
    setBusy(skuId);
    try {
      if (qty === null) await api('DELETE', `/api/v1/cart/items/${skuId}`);
      else await api('PUT', `/api/v1/cart/items/${skuId}`, { qty });
      cart.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  const remove = async (skuId: number) => {
    const ok = await Dialog.confirm({
      content: t('cart.confirmRemove'),
      confirmText: t('common.confirm'),
      cancelText: t('common.cancel'),
    });
    if (ok) await change(skuId, null);
  };

  const c = cart.data;
  const buyable = c?.items.filter((i) => i.available) ?? [];
  return (
    <Page title={t('cart.title')} back={false}>
      {cart.loading && !c ? (
        <Loading />
      ) : cart.error || !c ? (
        <ErrorView message={cart.error ?? t('error.generic')} onRetry={cart.reload} />
      ) : c.items.length === 0 ? (
        <>
          <EmptyView text={t('cart.empty')} />
          <Link to="/" className="center-link">
            {t('cart.goShopping')}
          </Link>
        </>
      ) : (
        <>
          <ul className="card line-list" aria-label={t('cart.title')}>
            {c.items.map((i) => (
              <li key={i.skuId} className={`line ${i.available ? '' : 'line-off'}`}>
                {shownImage(i.image) ? (
                  <Image src={shownImage(i.image)!} alt="" fit="cover" className="line-img" />
                ) : (
                  <div className="img-placeholder line-img" />
                )}
                <div className="line-body">
                  <Link to={`/products/${i.productId}`} className="line-title">
                    {i.title}
                  </Link>
                  <div className="muted small">
                    {specText(i.spec)}
                    {!i.available && ` · ${t('cart.unavailable')}`}
                  </div>
                  <div className="line-foot">
                    <Price fen={i.unitPriceFen} />
                    <Stepper
                      min={1}
                      max={Math.max(1, Math.min(999, i.stock))}
                      digits={0}
                      value={i.qty}
                      disabled={busy === i.skuId}
                      onChange={(v) => v && v !== i.qty && void change(i.skuId, v)}
                    />
                    <Button
                      size="mini"
                      fill="none"
                      aria-label={t('cart.remove')}
                      onClick={() => void remove(i.skuId)}
                    >
                      <DeleteOutline />
                    </Button>
                  </div>
                </div>
              </li>
            ))}
          </ul>
          <div className="bottom-bar bottom-bar-tabbed">
            <span className="grow">
              {t('cart.total')}{' '}
              <Price fen={buyable.reduce((n, i) => n + i.subtotalFen, 0)} className="price-lg" />
            </span>
            <Button
              color="primary"
              shape="rounded"
              disabled={buyable.length === 0}
              onClick={() =>
                navigate(
                  `/checkout?from=cart&items=${buyable.map((i) => `${i.skuId}x${i.qty}`).join(',')}`,
                )
              }
            >
              {t('cart.checkout')}
            </Button>
          </div>
        </>
      )}
    </Page>
  );
}
