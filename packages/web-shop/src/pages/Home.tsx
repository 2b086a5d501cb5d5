import { useState } from 'react';
import { Button, Image, NoticeBar, PullToRefresh, SearchBar, Tabs } from 'antd-mobile';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { shownImage } from '../images.ts';
import { get, type Paged } from '../api.ts';
import { useAsync, usePagedList } from '../hooks.ts';
import { EmptyView, ErrorView, ListFooter, Price } from '../components/ui.tsx';
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
  const [text, setText] = useState('');
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
        <SearchBar
          value={text}
          onChange={setText}
          placeholder={t('home.search')}
          onSearch={(v) => setQ(v.trim().slice(0, 60))}
          onClear={() => setQ('')}
          style={{ '--background': '#fff', '--height': '36px' }}
        />
      </header>
      {invited && (
        <NoticeBar
          className="invite-banner"
          color="success"
          wrap
          content={t('home.invited')}
          extra={
            <Button size="mini" color="primary" onClick={() => navigate('/signup')}>
              {t('home.signUpNow')}
            </Button>
          }
        />
      )}
      <nav aria-label={t('home.categories')} className="home-tabs">
        <Tabs
          activeKey={categoryId === null ? 'all' : String(categoryId)}
          onChange={(k) => setCategoryId(k === 'all' ? null : Number(k))}
          stretch={false}
        >
          <Tabs.Tab key="all" title={t('home.allCategories')} />
          {categories.data?.map((c) => (
            <Tabs.Tab key={String(c.id)} title={c.name} />
          ))}
        </Tabs>
      </nav>
      <PullToRefresh onRefresh={list.reset}>
        <main className="page-body">
          {q && (
            <div className="muted search-note">
              {t('home.searching', { q })}{' '}
              <Button
                size="mini"
                fill="none"
                color="primary"
                onClick={() => {
                  setText('');
                  setQ('');
                }}
              >
                {t('home.clearSearch')}
              </Button>
            </div>
          )}
          {list.error && list.items.length === 0 ? (
            <ErrorView message={list.error} onRetry={() => void list.reset()} />
          ) : !list.loading && list.done && list.items.length === 0 ? (
            <EmptyView text={t('home.noProducts')} />
          ) : (
            <>
              <ul className="product-grid" aria-label={t('home.products')}>
                {list.items.map((p) => (
                  <li key={p.id} className="product-card">
                    <Link to={`/products/${p.id}`}>
                      {shownImage(p.image) ? (
                        <Image
                          src={shownImage(p.image)!}
                          alt={p.title}
                          lazy
                          fit="cover"
                          className="card-img"
                        />
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
              <ListFooter loadMore={list.loadMore} done={list.done} />
            </>
          )}
        </main>
      </PullToRefresh>
    </div>
  );
}
