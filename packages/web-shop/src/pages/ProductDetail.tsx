import { useMemo, useState } from 'react';
import { Image, Rate, Selector, Swiper } from 'antd-mobile';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { shownImage } from '../images.ts';
import { get } from '../api.ts';
import { formatDate } from '../dates.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, Loading, Page, Price } from '../components/ui.tsx';
import { sanitizeHtml } from '@fanli/web-common/sanitize.ts';
import { formatFen } from '../money.ts';
import type { Product, ProductReviews, Sku } from '../types.ts';
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
  const images = useMemo(
    () => (p?.images ?? []).map(shownImage).filter((x): x is string => x !== null),
    [p],
  );

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
        {images.length > 0 ? (
          <Swiper
            className="detail-images"
            indicator={images.length > 1 ? undefined : () => null}
            loop={images.length > 1}
          >
            {images.map((src, i) => (
              <Swiper.Item key={i}>
                <Image src={src} alt={`${p.title} ${i + 1}`} fit="cover" className="detail-img" />
              </Swiper.Item>
            ))}
          </Swiper>
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
                <Selector
                  className="spec-values"
                  columns={3}
                  value={
                    chosen[dim] !== undefined
                      ? [chosen[dim]]
                      : p.skus.length === 1 && p.skus[0]!.spec[dim] !== undefined
                        ? [p.skus[0]!.spec[dim]]
                        : []
                  }
                  options={values.map((v) => ({
                    label: v,
                    value: v,
                    disabled: !p.skus.some(
                      (s) => matches(s, { ...chosen, [dim]: v }) && s.stock > 0,
                    ),
                  }))}
                  onChange={(picked) =>
                    setChosen((c) =>
                      picked.length === 0
                        ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== dim))
                        : { ...c, [dim]: picked[0]! },
                    )
                  }
                />
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
          {/* sanitized by the server on save and again, by the same policy, in web-common/sanitize.ts */}
          <div className="rich-text" dangerouslySetInnerHTML={{ __html: html }} />
        </section>
        <Reviews productId={p.id} />
      </div>
      <BuyBar product={p} sku={selected} />
    </Page>
  );
}

/** The product's reviews (plain text, escaped by React) with the average rating. */
function Reviews({ productId }: { productId: number }) {
  const { t } = useTranslation();
  const [pageSize, setPageSize] = useState(5);
  const reviews = useAsync(
    (signal) =>
      get<ProductReviews>(`/api/v1/products/${productId}/reviews?page=1&pageSize=${pageSize}`, {
        signal,
      }),
    [productId, pageSize],
  );
  const r = reviews.data;
  return (
    <section className="card" aria-label={t('reviews.title')}>
      <h3 className="section-title">
        {t('reviews.title')}
        {r && r.averageRating !== null && (
          <span className="muted small review-avg">
            {' '}
            <Rate readOnly allowHalf value={r.averageRating} className="rate-sm" />{' '}
            {t('reviews.average', { avg: r.averageRating, count: r.count })}
          </span>
        )}
      </h3>
      {!r ? (
        reviews.error ? (
          <div className="muted small">{reviews.error}</div>
        ) : null
      ) : r.items.length === 0 ? (
        <div className="muted small">{t('reviews.empty')}</div>
      ) : (
        <ul className="plain-list review-list" aria-label={t('reviews.title')}>
          {r.items.map((v) => (
            <li key={v.id} className="review">
              <div className="review-head">
                <span>{v.author}</span>
                <Rate readOnly value={v.rating} className="rate-sm" />
              </div>
              {v.content && <p className="review-text">{v.content}</p>}
              <div className="muted small">
                {formatDate(v.createdAt)}
                {v.spec &&
                  Object.keys(v.spec).length > 0 &&
                  ` · ${Object.values(v.spec).join(' / ')}`}
              </div>
            </li>
          ))}
        </ul>
      )}
      {r && r.count > r.items.length && (
        <button type="button" className="link-button" onClick={() => setPageSize((n) => n + 10)}>
          {t('reviews.more')}
        </button>
      )}
    </section>
  );
}
