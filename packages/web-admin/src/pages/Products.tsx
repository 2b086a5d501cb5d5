import { useState } from 'react';
import {
  App,
  Button,
  Empty,
  Input,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorText, get, post, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { ProductImage } from '../components/ProductImage.tsx';
import { categoryOptions } from '../catalog.ts';
import type { Category, ProductRow, Store } from '../types.ts';

type Shelf = 'all' | 'on' | 'off';
const PAGE_SIZE = 20;

/** Products: search and filters (incl. off-shelf), paging, bulk on/off shelf. */
export default function Products() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [storeId, setStoreId] = useState<number | null>(null);
  const [shelf, setShelf] = useState<Shelf>('all');
  const [sort, setSort] = useState('newest');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);

  const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE), sort });
  if (q.trim()) params.set('q', q.trim());
  if (categoryId) params.set('categoryId', String(categoryId));
  if (storeId) params.set('storeId', String(storeId));
  if (shelf !== 'all') params.set('onShelf', String(shelf === 'on'));
  const query = params.toString();

  const list = useAsync(
    (signal) => get<Paged<ProductRow>>(`/api/v1/admin/products?${query}`, { signal }),
    [query],
  );
  const categories = useAsync(
    (signal) => get<Category[]>('/api/v1/admin/categories', { signal }),
    [],
  );
  const stores = useAsync((signal) => get<Store[]>('/api/v1/admin/stores', { signal }), []);
  const categoryName = (id: number | null) =>
    categories.data?.find((c) => c.id === id)?.name ?? '—';
  const storeName = (id: number | null) =>
    id === null ? t('products.mall') : (stores.data?.find((s) => s.id === id)?.name ?? `#${id}`);

  const shelve = async (ids: number[], onShelf: boolean) => {
    setBusy(true);
    try {
      await post('/api/v1/admin/products/shelf', { ids, onShelf });
      void message.success(onShelf ? t('products.shelvedOn') : t('products.shelvedOff'));
      setSelected([]);
      list.reload();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (p: ProductRow) => {
    try {
      await api('DELETE', `/api/v1/admin/products/${p.id}`);
      void message.success(t('products.deleted'));
      list.reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
      setSelected([]);
    };

  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t('nav.products')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/products/new')}>
          {t('products.create')}
        </Button>
      </Space>
      <Space className="toolbar" wrap>
        <Input.Search
          allowClear
          placeholder={t('products.search')}
          onSearch={filter(setQ)}
          style={{ width: 240 }}
        />
        <TreeSelect
          allowClear
          placeholder={t('products.allCategories')}
          treeDefaultExpandAll
          treeData={categoryOptions(categories.data ?? [])}
          value={categoryId ?? undefined}
          onChange={(v?: number) => filter(setCategoryId)(v ?? null)}
          style={{ width: 180 }}
        />
        <Select
          allowClear
          placeholder={t('products.allStores')}
          value={storeId ?? undefined}
          onChange={(v?: number) => filter(setStoreId)(v ?? null)}
          options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          style={{ width: 160 }}
        />
        <Segmented<Shelf>
          value={shelf}
          onChange={filter(setShelf)}
          options={[
            { value: 'all', label: t('products.shelfAll') },
            { value: 'on', label: t('products.onShelf') },
            { value: 'off', label: t('products.offShelf') },
          ]}
        />
        <Select
          value={sort}
          onChange={filter(setSort)}
          style={{ width: 140 }}
          options={['newest', 'price_asc', 'price_desc', 'sales_desc'].map((v) => ({
            value: v,
            label: t(`products.sort.${v}`),
          }))}
        />
      </Space>
      <Space className="toolbar">
        <span className="muted">{t('products.selected', { count: selected.length })}</span>
        <Button
          disabled={!selected.length}
          loading={busy}
          onClick={() => void shelve(selected, true)}
        >
          {t('products.bulkOn')}
        </Button>
        <Button
          disabled={!selected.length}
          loading={busy}
          onClick={() => void shelve(selected, false)}
        >
          {t('products.bulkOff')}
        </Button>
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<ProductRow>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as number[]),
        }}
        locale={{ emptyText: <Empty description={t('products.empty')} /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (p) => {
            setPage(p);
            setSelected([]);
          },
        }}
        columns={[
          {
            title: t('products.image'),
            dataIndex: 'image',
            width: 72,
            render: (src: string | null) =>
              src ? <ProductImage src={src} size={48} preview={false} /> : '—',
          },
          {
            title: t('products.title'),
            dataIndex: 'title',
            render: (v: string, p) => (
              <div>
                <Link to={`/products/${p.id}`}>{v}</Link>
                <div className="muted small">
                  #{p.id} {p.subtitle}
                </div>
              </div>
            ),
          },
          {
            title: t('products.category'),
            dataIndex: 'categoryId',
            render: (id: number | null) => categoryName(id),
          },
          {
            title: t('products.store'),
            dataIndex: 'storeId',
            render: (id: number | null) => storeName(id),
          },
          {
            title: t('products.price'),
            dataIndex: 'priceFen',
            render: (v: number, p) =>
              p.maxPriceFen > v ? `${formatFen(v)} – ${formatFen(p.maxPriceFen)}` : formatFen(v),
          },
          {
            title: t('products.supplier'),
            dataIndex: 'supplier',
            render: (v: string | null, p) =>
              v ? (
                <span>
                  {v}
                  {p.minCostFen !== null && (
                    <div className="muted small">
                      {t('products.costFrom', { cost: formatFen(p.minCostFen) })}
                    </div>
                  )}
                </span>
              ) : (
                <span className="muted">{t('products.selfRun')}</span>
              ),
          },
          { title: t('products.stock'), dataIndex: 'stock', width: 80 },
          { title: t('products.skus'), dataIndex: 'skuCount', width: 70 },
          { title: t('products.sales'), dataIndex: 'sales', width: 70 },
          {
            title: t('products.shelf'),
            dataIndex: 'onShelf',
            width: 90,
            render: (on: boolean) => (
              <Tag color={on ? 'green' : 'default'}>
                {on ? t('products.onShelf') : t('products.offShelf')}
              </Tag>
            ),
          },
          {
            title: t('common.actions'),
            width: 200,
            render: (_: unknown, p) => (
              <Space size={4}>
                <Button size="small" onClick={() => navigate(`/products/${p.id}`)}>
                  {t('common.edit')}
                </Button>
                <Button size="small" onClick={() => void shelve([p.id], !p.onShelf)}>
                  {p.onShelf ? t('products.takeOff') : t('products.putOn')}
                </Button>
                <Popconfirm
                  title={t('products.confirmDelete', { title: p.title })}
                  onConfirm={() => remove(p)}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                >
                  <Button size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
