import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorText, get, post, upload } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { parseYuanToFen } from '../money.ts';
import { sanitizeHtml } from '@fanli/web-common/sanitize.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { ProductImage } from '../components/ProductImage.tsx';
import { categoryOptions } from '../catalog.ts';
import type { Category, ProductDetail, Store } from '../types.ts';

import { SkuFields, SkuTable, parseSpec, type SkuValues } from '../products/skus.tsx';

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
