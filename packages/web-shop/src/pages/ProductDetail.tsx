import { useMemo, useState } from 'react';
import { Carousel } from 'antd';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, Loading, Page, Price } from '../components/ui.tsx';
import { sanitizeHtml } from '../sanitize.ts';
import { formatFen } from '../money.ts';
import type { Product, Sku } from '../types.ts';
import BuyBar from '../components/BuyBar.tsx';

/** Every spec dimension (规格, 颜色…) with its values in first-seen order. */
function dimensionsOf(skus: Sku[]): [string, string[]][] {
  const dims = new Map<string, string[]>();
  for (const s of skus) {
    for (const [k, v] of Object.entries(s.spec)) {
      const values = dims.get(k) ?? [];
      if (!values.includes(v)) values.push(v);
      dims.set(k, values);
    }
  }
  return [...dims.entries()];
}

const matches = (sku: Sku, chosen: Record<string, string>) =>
  Object.entries(chosen).every(([k, v]) => sku.spec[k] === v);

export default function ProductDetail() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const product = useAsync((signal) => get<Product>(`/api/v1/products/${id}`, { signal }), [id]);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const p = product.data;
  const dims = useMemo(() => dimensionsOf(p?.skus ?? []), [p]);
  const html = useMemo(() => (p ? sanitizeHtml(p.descriptionHtml) : ''), [p]);

  if (product.loading && !p)
    return (
      <Page title={t('product.title')}>
        <Loading />
      </Page>
    );
  if (product.error || !p)
    return (
      <Page title={t('product.title')}>
        <ErrorView message={product.error ?? t('error.generic')} onRetry={product.reload} />
      </Page>
    );

  // With one SKU it is chosen already; otherwise the SKU matching every chosen value.
  const selected =
    p.skus.length === 1
      ? p.skus[0]!
      : dims.length > 0 && Object.keys(chosen).length === dims.length
        ? p.skus.find((s) => matches(s, chosen))
        : undefined;
  const prices = p.skus.map((s) => s.priceFen);
  const minFen = prices.length ? Math.min(...prices) : p.priceFen;
  const maxFen = prices.length ? Math.max(...prices) : p.priceFen;
  const totalStock = p.skus.reduce((n, s) => n + s.stock, 0);

  return (
    <Page title={t('product.title')}>
      <div className="detail">
        {p.images.length > 0 ? (
          <Carousel className="detail-images" dots={p.images.length > 1}>
            {p.images.map((src, i) => (
              <div key={i}>
                <img src={src} alt={`${p.title} ${i + 1}`} />
              </div>
            ))}
          </Carousel>
        ) : (
          <div className="img-placeholder detail-images" />
        )}
        <section className="card detail-head">
          <div className="detail-price">
            {selected ? (
              <Price fen={selected.priceFen} className="price-lg" />
            ) : minFen === maxFen ? (
              <Price fen={minFen} className="price-lg" />
            ) : (
              <span className="price price-lg">
                {formatFen(minFen)} – {formatFen(maxFen)}
              </span>
            )}
            <span className="muted small">{t('home.sold', { count: p.sales })}</span>
          </div>
          <h2 className="detail-title">{p.title}</h2>
          {p.subtitle && <div className="muted">{p.subtitle}</div>}
        </section>
        {dims.length > 0 && (
          <section className="card" aria-label={t('product.spec')}>
            {dims.map(([dim, values]) => (
              <div key={dim} className="spec-row">
                <div className="spec-name">{dim}</div>
                <div className="spec-values">
                  {values.map((v) => {
                    const candidate = { ...chosen, [dim]: v };
                    const available = p.skus.some((s) => matches(s, candidate) && s.stock > 0);
                    const on =
                      chosen[dim] === v || (p.skus.length === 1 && p.skus[0]!.spec[dim] === v);
                    return (
                      <button
                        key={v}
                        type="button"
                        className={`spec-chip ${on ? 'spec-chip-on' : ''}`}
                        disabled={!available}
                        aria-pressed={on}
                        onClick={() =>
                          setChosen((c) =>
                            c[dim] === v
                              ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== dim))
                              : { ...c, [dim]: v },
                          )
                        }
                      >
                        {v}
                      </button>
                    );
                  })}
                </div>
              </div>
            ))}
            <div className="muted small">
              {selected
                ? selected.stock > 0
                  ? t('product.stock', { count: selected.stock })
                  : t('product.outOfStock')
                : totalStock > 0
                  ? t('product.chooseSpec')
                  : t('product.outOfStock')}
            </div>
          </section>
        )}
        <section className="card">
          <h3 className="section-title">{t('product.description')}</h3>
          {/* sanitized by the server on save and again by an allow-list in sanitize.ts */}
          <div className="rich-text" dangerouslySetInnerHTML={{ __html: html }} />
        </section>
      </div>
      <BuyBar product={p} sku={selected} />
    </Page>
  );
}
