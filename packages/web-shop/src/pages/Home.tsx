import { useState } from 'react';
import { Alert, Button, Input } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../api.ts';
import { useAsync, usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, LoadMore, Price } from '../components/ui.tsx';
import { pendingReferral } from '../referral.ts';
import { useSession } from '../session.tsx';
import type { Category, ProductCard } from '../types.ts';

const PAGE_SIZE = 10;

export default function Home() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [q, setQ] = useState('');
  const categories = useAsync((signal) => get<Category[]>('/api/v1/categories', { signal }), []);
  const list = usePagedList<ProductCard>(
    (page, signal) => {
      const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
      if (categoryId) params.set('categoryId', String(categoryId));
      if (q) params.set('q', q);
      return get<Paged<ProductCard>>(`/api/v1/products?${params}`, { signal });
    },
    [categoryId, q],
  );
  const invited = !user && pendingReferral();

  return (
    <div className="page">
      <header className="home-head">
        <div className="brand">{t('app.title')}</div>
        <Input.Search
          allowClear
          placeholder={t('home.search')}
          aria-label={t('home.search')}
          enterButton={t('home.searchButton')}
          onSearch={(v) => setQ(v.trim().slice(0, 60))}
        />
      </header>
      <main className="page-body">
        {invited && (
          <Alert
            className="invite-banner"
            type="success"
            showIcon
            message={t('home.invited')}
            action={
              <Button size="small" type="primary" onClick={() => navigate('/signup')}>
                {t('home.signUpNow')}
              </Button>
            }
          />
        )}
        <nav className="chips" aria-label={t('home.categories')}>
          <button
            type="button"
            className={`chip ${categoryId === null ? 'chip-on' : ''}`}
            onClick={() => setCategoryId(null)}
          >
            {t('home.allCategories')}
          </button>
          {categories.data?.map((c) => (
            <button
              key={c.id}
              type="button"
              className={`chip ${categoryId === c.id ? 'chip-on' : ''}`}
              onClick={() => setCategoryId(c.id)}
            >
              {c.name}
            </button>
          ))}
        </nav>
        {q && (
          <div className="muted search-note">
            {t('home.searching', { q })}{' '}
            <Button type="link" size="small" onClick={() => setQ('')}>
              {t('home.clearSearch')}
            </Button>
          </div>
        )}
        {list.error && list.items.length === 0 ? (
          <ErrorView message={list.error} onRetry={list.reset} />
        ) : !list.loading && list.done && list.items.length === 0 ? (
          <EmptyView text={t('home.noProducts')} />
        ) : (
          <>
            <ul className="product-grid" aria-label={t('home.products')}>
              {list.items.map((p) => (
                <li key={p.id} className="product-card">
                  <Link to={`/products/${p.id}`}>
                    {p.image ? (
                      <img src={p.image} alt={p.title} loading="lazy" />
                    ) : (
                      <div className="img-placeholder" />
                    )}
                    <div className="product-card-body">
                      <div className="product-title">{p.title}</div>
                      <div className="product-sub">{p.subtitle}</div>
                      <div className="product-meta">
                        <Price fen={p.priceFen} />
                        <span className="muted small">{t('home.sold', { count: p.sales })}</span>
                      </div>
                    </div>
                  </Link>
                </li>
              ))}
            </ul>
            <LoadMore
              onVisible={list.loadMore}
              loading={list.loading}
              done={list.done}
              error={list.error}
              onRetry={list.loadMore}
            />
          </>
        )}
      </main>
    </div>
  );
}
