import { useState } from 'react';
import { Button, Stepper, Toast } from 'antd-mobile';
import { ShopbagOutline } from 'antd-mobile-icons';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import { useSession } from '../session.tsx';
import type { Product, Sku } from '../types.ts';

/** Quantity, "add to cart" and "buy now" for the chosen SKU; signed-out shoppers log in first. */
export default function BuyBar({ product, sku }: { product: Product; sku: Sku | undefined }) {
  const { t } = useTranslation();
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
      Toast.show({ content: t('product.chooseSpec') });
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
      Toast.show({ icon: 'success', content: t('cart.added') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
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
        <ShopbagOutline />
        <span>{t('tab.cart')}</span>
      </Link>
      <Stepper
        min={1}
        max={max}
        digits={0}
        value={qty}
        onChange={(v) => setQty(v || 1)}
        aria-label={t('cart.qty')}
      />
      <Button
        className="grow"
        color="warning"
        shape="rounded"
        onClick={() => void addToCart()}
        loading={busy}
        disabled={soldOut}
      >
        {t('product.addToCart')}
      </Button>
      <Button
        className="grow"
        color="primary"
        shape="rounded"
        onClick={buyNow}
        disabled={soldOut || (sku !== undefined && sku.stock <= 0)}
      >
        {soldOut ? t('product.outOfStock') : t('product.buyNow')}
      </Button>
    </div>
  );
}
