import { useState } from 'react';
import { App, Button, InputNumber, Popconfirm } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorText, get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { EmptyView, ErrorView, Loading, Page, Price } from '../components/ui.tsx';
import type { Cart as CartData } from '../types.ts';

export const specText = (spec: Record<string, string>) => Object.values(spec).join(' / ');

export default function Cart() {
  const { t } = useTranslation();
  const { message } = App.useApp();
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
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
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
                {i.image ? <img src={i.image} alt="" /> : <div className="img-placeholder" />}
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
                    <InputNumber
                      size="small"
                      min={1}
                      max={Math.max(1, Math.min(999, i.stock))}
                      value={i.qty}
                      disabled={busy === i.skuId}
                      onChange={(v) => v && v !== i.qty && void change(i.skuId, v)}
                      aria-label={t('cart.qty')}
                    />
                    <Popconfirm
                      title={t('cart.confirmRemove')}
                      onConfirm={() => void change(i.skuId, null)}
                      okText={t('common.confirm')}
                      cancelText={t('common.cancel')}
                    >
                      <Button
                        size="small"
                        type="text"
                        icon={<DeleteOutlined />}
                        aria-label={t('cart.remove')}
                      />
                    </Popconfirm>
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
              type="primary"
              size="large"
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
