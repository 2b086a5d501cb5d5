import { useState } from 'react';
import { App, Button, InputNumber } from 'antd';
import { ShoppingCartOutlined } from '@ant-design/icons';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import { useSession } from '../session.tsx';
import type { Product, Sku } from '../types.ts';

/** Quantity, "add to cart" and "buy now" for the chosen SKU; signed-out shoppers log in first. */
export default function BuyBar({ product, sku }: { product: Product; sku: Sku | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [qty, setQty] = useState(1);
  const [busy, setBusy] = useState(false);
  const soldOut = product.skus.every((s) => s.stock <= 0);
  const max = sku ? Math.max(1, Math.min(999, sku.stock)) : 999;

  const need = (): Sku | null => {
    if (!user) {
      navigate(`/login?next=${encodeURIComponent(location.pathname)}`);
      return null;
    }
    if (!sku) {
      void message.info(t('product.chooseSpec'));
      return null;
    }
    return sku;
  };

  const addToCart = async () => {
    const s = need();
    if (!s) return;
    setBusy(true);
    try {
      await post('/api/v1/cart/items', { skuId: s.id, qty });
      void message.success(t('cart.added'));
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const buyNow = () => {
    const s = need();
    if (s) navigate(`/checkout?items=${s.id}x${qty}`);
  };

  return (
    <div className="bottom-bar">
      <Link to="/cart" className="bar-icon" aria-label={t('tab.cart')}>
        <ShoppingCartOutlined />
        <span>{t('tab.cart')}</span>
      </Link>
      <InputNumber
        min={1}
        max={max}
        value={qty}
        onChange={(v) => setQty(v ?? 1)}
        precision={0}
        style={{ width: 72 }}
        aria-label={t('cart.qty')}
      />
      <Button className="grow" onClick={() => void addToCart()} loading={busy} disabled={soldOut}>
        {t('product.addToCart')}
      </Button>
      <Button
        className="grow"
        type="primary"
        onClick={buyNow}
        disabled={soldOut || (sku !== undefined && sku.stock <= 0)}
      >
        {soldOut ? t('product.outOfStock') : t('product.buyNow')}
      </Button>
    </div>
  );
}
