import { useState } from 'react';
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
  Space,
  Table,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, errorText, post } from '../api.ts';
import { formatFen, parseYuanToFen } from '../money.ts';
import { fenToYuanText } from '../components/YuanInput.tsx';
import type { ProductDetail, Sku } from '../types.ts';

/** A product's SKUs in the console: the spec text, the price fields, the table of a saved product. */

export interface SkuValues {
  spec?: string;
  price: string;
  cost?: string;
  stock?: number | null;
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

export function SkuFields({ name, withStock }: { name?: number; withStock?: boolean }) {
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
export function SkuTable({ product, onChange }: { product: ProductDetail; onChange(): void }) {
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
