import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Table,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, errorText, get, post, upload } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen, parseYuanToFen } from '../money.ts';
import { sanitizeHtml } from '../sanitize.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { ProductImage } from '../components/ProductImage.tsx';
import { fenToYuanText } from '../components/YuanInput.tsx';
import { categoryOptions } from '../catalog.ts';
import type { Category, ProductDetail, Sku, Store } from '../types.ts';

interface SkuValues {
  spec?: string;
  price: string;
  cost?: string;
  stock?: number | null;
}

interface ProductValues {
  title: string;
  subtitle?: string;
  categoryId?: number | null;
  storeId?: number | null;
  supplier?: string;
  descriptionHtml?: string;
  onShelf?: boolean;
  skus?: SkuValues[];
}

/** "颜色:红, 尺码:L" → {颜色: 红, 尺码: L}; empty text is a product without options. */
export function parseSpec(text: string | undefined): Record<string, string> | null {
  const spec: Record<string, string> = {};
  const parts = (text ?? '')
    .split(/[,，;；/]/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts) {
    const m = /^([^:：=]{1,20})[:：=]\s*(.{1,40})$/.exec(part);
    if (!m) return null;
    spec[m[1]!.trim()] = m[2]!.trim();
  }
  return Object.keys(spec).length > 5 ? null : spec;
}

export const specText = (spec: Record<string, string>) =>
  Object.entries(spec)
    .map(([k, v]) => `${k}:${v}`)
    .join(', ');

const yuanRule = (t: TFunction, required: boolean) => ({
  validator: (_: unknown, v: string | undefined) => {
    if (!v?.trim())
      return required ? Promise.reject(new Error(t('money.required'))) : Promise.resolve();
    const fen = parseYuanToFen(v);
    return fen !== null && fen >= 0
      ? Promise.resolve()
      : Promise.reject(new Error(t('money.invalid')));
  },
});

const specRule = (t: TFunction) => ({
  validator: (_: unknown, v: string | undefined) =>
    parseSpec(v) ? Promise.resolve() : Promise.reject(new Error(t('products.specInvalid'))),
});

/** Create or edit a product: texts, category, store, supplier, images, description, SKUs. */
export default function ProductEdit() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const param = useParams().id;
  const id = param && param !== 'new' ? Number(param) : null;
  const [form] = Form.useForm<ProductValues>();
  const [images, setImages] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const description = Form.useWatch('descriptionHtml', form) ?? '';
  const preview = useMemo(() => sanitizeHtml(description), [description]);

  const product = useAsync(
    (signal) =>
      id === null
        ? Promise.resolve(null)
        : get<ProductDetail>(`/api/v1/admin/products/${id}`, { signal }),
    [id],
  );
  const categories = useAsync(
    (signal) => get<Category[]>('/api/v1/admin/categories', { signal }),
    [],
  );
  const stores = useAsync((signal) => get<Store[]>('/api/v1/admin/stores', { signal }), []);
  const p = product.data;

  useEffect(() => {
    if (p) {
      form.setFieldsValue({
        title: p.title,
        subtitle: p.subtitle,
        categoryId: p.categoryId,
        storeId: p.storeId,
        supplier: p.supplier ?? '',
        descriptionHtml: p.descriptionHtml,
        onShelf: p.onShelf,
      });
      setImages(p.images);
    }
  }, [p, form]);

  const addImage = async (file: File) => {
    setUploading(true);
    try {
      const res = await upload<{ url: string }>('/api/v1/admin/uploads', file);
      setImages((list) => [...list, res.url]);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setUploading(false);
    }
  };

  const save = async (v: ProductValues) => {
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      title: v.title.trim(),
      subtitle: v.subtitle?.trim() ?? '',
      categoryId: v.categoryId ?? null,
      storeId: v.storeId ?? null,
      supplier: v.supplier?.trim() ? v.supplier.trim() : null,
      descriptionHtml: v.descriptionHtml ?? '',
      images,
      onShelf: Boolean(v.onShelf),
    };
    try {
      if (id === null) {
        body.skus = (v.skus ?? []).map((s) => ({
          spec: parseSpec(s.spec) ?? {},
          priceFen: parseYuanToFen(s.price) ?? 0,
          costFen: s.cost?.trim() ? parseYuanToFen(s.cost) : null,
          stock: s.stock ?? 0,
        }));
        const created = await post<{ id?: number; product?: { id: number } }>(
          '/api/v1/admin/products',
          body,
        );
        void message.success(t('products.created'));
        const newId = created.id ?? created.product?.id;
        navigate(newId ? `/products/${newId}` : '/products', { replace: true });
      } else {
        await api('PATCH', `/api/v1/admin/products/${id}`, body);
        void message.success(t('common.saved'));
        product.reload();
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (product.error) return <ErrorAlert message={product.error} onRetry={product.reload} />;
  if (id !== null && !p)
    return (
      <div className="center">
        <Spin />
      </div>
    );

  return (
    <div>
      <Space className="toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/products')}>
          {t('common.back')}
        </Button>
        <Typography.Title level={3} className="page-title">
          {id === null ? t('products.create') : t('products.editTitle', { id })}
        </Typography.Title>
      </Space>
      <Form<ProductValues>
        form={form}
        component={false}
        layout="vertical"
        onFinish={save}
        requiredMark={false}
        initialValues={{
          onShelf: true,
          descriptionHtml: '',
          skus: [{ spec: '', price: '', cost: '', stock: 0 }],
        }}
      >
        <Row gutter={16}>
          <Col xs={24} xl={14}>
            <Card title={t('products.basics')} className="mb">
              <Form.Item
                name="title"
                label={t('products.title')}
                rules={[
                  {
                    required: true,
                    whitespace: true,
                    max: 80,
                    message: t('products.titleRequired'),
                  },
                ]}
              >
                <Input maxLength={80} />
              </Form.Item>
              <Form.Item name="subtitle" label={t('products.subtitle')} rules={[{ max: 200 }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="categoryId" label={t('products.category')}>
                    <TreeSelect
                      allowClear
                      treeDefaultExpandAll
                      placeholder={t('products.noCategory')}
                      treeData={categoryOptions(categories.data ?? [])}
                    />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="storeId" label={t('products.store')}>
                    <Select
                      allowClear
                      placeholder={t('products.mall')}
                      options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item
                    name="supplier"
                    label={t('products.supplier')}
                    extra={t('products.supplierHint')}
                    rules={[{ max: 80 }]}
                  >
                    <Input maxLength={80} placeholder={t('products.selfRun')} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name="onShelf" label={t('products.onShelf')} valuePropName="checked">
                    <Switch />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
            <Card title={t('products.images')} className="mb">
              <Space wrap align="start">
                {images.map((src, i) => (
                  <div key={`${i}-${src.slice(0, 60)}`} className="thumb">
                    <ProductImage src={src} size={96} />
                    <Space size={2}>
                      <Button
                        size="small"
                        disabled={i === 0}
                        aria-label={t('products.imageFirst')}
                        onClick={() =>
                          setImages((list) => [src, ...list.filter((_, j) => j !== i)])
                        }
                      >
                        ←
                      </Button>
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.delete')}
                        onClick={() => setImages((list) => list.filter((_, j) => j !== i))}
                      />
                    </Space>
                  </div>
                ))}
                <Upload
                  accept="image/png,image/jpeg,image/webp,image/gif"
                  showUploadList={false}
                  multiple
                  beforeUpload={(file) => {
                    void addImage(file);
                    return false;
                  }}
                >
                  <Button
                    icon={<UploadOutlined />}
                    loading={uploading}
                    disabled={images.length >= 20}
                  >
                    {t('products.upload')}
                  </Button>
                </Upload>
              </Space>
              <div className="muted small mt">{t('products.imagesHint')}</div>
            </Card>
            <Card title={t('products.description')} className="mb">
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item name="descriptionHtml" extra={t('products.descriptionHint')}>
                    <Input.TextArea
                      rows={12}
                      aria-label={t('products.description')}
                      placeholder="<p>…</p>"
                    />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <div className="muted small">{t('products.preview')}</div>
                  <div
                    className="html-preview"
                    data-testid="description-preview"
                    dangerouslySetInnerHTML={{ __html: preview }}
                  />
                </Col>
              </Row>
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            {id === null ? (
              <Card title={t('products.skus')} className="mb">
                <Form.List
                  name="skus"
                  rules={[
                    {
                      validator: (_, v: unknown[] | undefined) =>
                        v && v.length
                          ? Promise.resolve()
                          : Promise.reject(new Error(t('products.skuRequired'))),
                    },
                  ]}
                >
                  {(fields, { add, remove }, { errors }) => (
                    <>
                      {fields.map((f, i) => (
                        <Card
                          key={f.key}
                          size="small"
                          className="mb"
                          title={t('products.skuN', { n: i + 1 })}
                          extra={
                            fields.length > 1 && (
                              <Button size="small" danger onClick={() => remove(f.name)}>
                                {t('common.delete')}
                              </Button>
                            )
                          }
                        >
                          <SkuFields name={f.name} withStock />
                        </Card>
                      ))}
                      <Form.ErrorList errors={errors} />
                      <Button
                        icon={<PlusOutlined />}
                        onClick={() => add({ spec: '', price: '', cost: '', stock: 0 })}
                      >
                        {t('products.addSku')}
                      </Button>
                    </>
                  )}
                </Form.List>
              </Card>
            ) : (
              p && <SkuTable product={p} onChange={product.reload} />
            )}
          </Col>
        </Row>
        {error && <Alert type="error" showIcon title={error} className="mb" />}
        <Button type="primary" loading={busy} onClick={() => form.submit()}>
          {id === null ? t('products.createSubmit') : t('common.save')}
        </Button>
      </Form>
    </div>
  );
}

function SkuFields({ name, withStock }: { name?: number; withStock?: boolean }) {
  const { t } = useTranslation();
  const n = (field: string) => (name === undefined ? field : [name, field]);
  return (
    <Row gutter={8}>
      <Col span={24}>
        <Form.Item
          name={n('spec')}
          label={t('products.spec')}
          extra={t('products.specHint')}
          rules={[specRule(t)]}
        >
          <Input placeholder={t('products.specPlaceholder')} />
        </Form.Item>
      </Col>
      <Col span={withStock ? 8 : 12}>
        <Form.Item name={n('price')} label={t('products.priceYuan')} rules={[yuanRule(t, true)]}>
          <Input prefix="¥" inputMode="decimal" />
        </Form.Item>
      </Col>
      <Col span={withStock ? 8 : 12}>
        <Form.Item name={n('cost')} label={t('products.costYuan')} rules={[yuanRule(t, false)]}>
          <Input prefix="¥" inputMode="decimal" />
        </Form.Item>
      </Col>
      {withStock && (
        <Col span={8}>
          <Form.Item name={n('stock')} label={t('products.stock')}>
            <InputNumber min={0} max={100000000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      )}
    </Row>
  );
}

/** The SKUs of a saved product: edit spec/price/supply price, adjust stock by +/−, add, delete. */
function SkuTable({ product, onChange }: { product: ProductDetail; onChange(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Sku | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deltas, setDeltas] = useState<Record<number, number | null>>({});
  const [form] = Form.useForm<SkuValues>();

  const open = (sku: Sku | 'new') => {
    setError(null);
    setEditing(sku);
    form.setFieldsValue(
      sku === 'new'
        ? { spec: '', price: '', cost: '', stock: 0 }
        : {
            spec: specText(sku.spec),
            price: fenToYuanText(sku.priceFen),
            cost: fenToYuanText(sku.costFen),
          },
    );
  };

  const save = async (v: SkuValues) => {
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      spec: parseSpec(v.spec) ?? {},
      priceFen: parseYuanToFen(v.price) ?? 0,
      costFen: v.cost?.trim() ? parseYuanToFen(v.cost) : null,
    };
    try {
      if (editing === 'new') {
        await post(`/api/v1/admin/products/${product.id}/skus`, { ...body, stock: v.stock ?? 0 });
      } else if (editing) {
        await api('PATCH', `/api/v1/admin/skus/${editing.id}`, body);
      }
      void message.success(t('common.saved'));
      setEditing(null);
      onChange();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const adjust = async (sku: Sku, sign: 1 | -1) => {
    const amount = deltas[sku.id];
    if (!amount) return;
    try {
      await post(`/api/v1/admin/skus/${sku.id}/stock`, { delta: sign * amount });
      void message.success(t('products.stockAdjusted'));
      setDeltas((d) => ({ ...d, [sku.id]: null }));
      onChange();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const remove = async (sku: Sku) => {
    try {
      await api('DELETE', `/api/v1/admin/skus/${sku.id}`);
      onChange();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <Card
      title={t('products.skus')}
      className="mb"
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={() => open('new')}>
          {t('products.addSku')}
        </Button>
      }
    >
      <Table<Sku>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={product.skus}
        locale={{ emptyText: <Empty description={t('products.noSkus')} /> }}
        columns={[
          {
            title: t('products.spec'),
            dataIndex: 'spec',
            render: (s: Record<string, string>) => specText(s) || t('products.noSpec'),
          },
          {
            title: t('products.price'),
            dataIndex: 'priceFen',
            render: (v: number, s) => (
              <div>
                {formatFen(v)}
                {s.costFen !== null && (
                  <div className="muted small">
                    {t('products.costShort', { cost: formatFen(s.costFen) })}
                  </div>
                )}
              </div>
            ),
          },
          {
            title: t('products.stock'),
            dataIndex: 'stock',
            render: (v: number, s) => (
              <div>
                <div data-testid={`stock-${s.id}`}>{v}</div>
                <Space.Compact size="small">
                  <Button
                    aria-label={t('products.stockOut')}
                    onClick={() => void adjust(s, -1)}
                    disabled={!deltas[s.id]}
                  >
                    −
                  </Button>
                  <InputNumber
                    min={1}
                    max={100000000}
                    precision={0}
                    style={{ width: 72 }}
                    aria-label={t('products.stockDelta')}
                    value={deltas[s.id] ?? null}
                    onChange={(n) => setDeltas((d) => ({ ...d, [s.id]: n }))}
                  />
                  <Button
                    aria-label={t('products.stockIn')}
                    onClick={() => void adjust(s, 1)}
                    disabled={!deltas[s.id]}
                  >
                    +
                  </Button>
                </Space.Compact>
              </div>
            ),
          },
          {
            title: t('common.actions'),
            render: (_: unknown, s) => (
              <Space size={4}>
                <Button size="small" onClick={() => open(s)}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('products.confirmDeleteSku')}
                  onConfirm={() => remove(s)}
                  okText={t('common.delete')}
                  cancelText={t('common.cancel')}
                >
                  <Button size="small" danger disabled={product.skus.length <= 1}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('products.addSku') : t('products.editSku')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
          <SkuFields withStock={editing === 'new'} />
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </Card>
  );
}
