import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  TreeSelect,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, errorText, get, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { categoryOptions, categoryTree, subtreeIds, type CategoryNode } from '../catalog.ts';
import type { Category } from '../types.ts';

interface Values {
  name: string;
  parentId?: number | null;
  sort?: number | null;
}

/** Category tree: create, rename, move under another parent, sort, delete. */
export default function Categories() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useAsync((signal) => get<Category[]>('/api/v1/admin/categories', { signal }), []);
  const [editing, setEditing] = useState<{ category?: Category; parentId?: number | null } | null>(
    null,
  );
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const all = list.data ?? [];

  const open = (category?: Category, parentId?: number | null) => {
    setError(null);
    setEditing({ category, parentId });
    form.setFieldsValue(
      category
        ? { name: category.name, parentId: category.parentId, sort: category.sort }
        : { name: '', parentId: parentId ?? null, sort: null },
    );
  };

  const save = async (v: Values) => {
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = { name: v.name.trim(), parentId: v.parentId ?? null };
    if (typeof v.sort === 'number') body.sort = v.sort;
    try {
      if (editing?.category) {
        await api('PATCH', `/api/v1/admin/categories/${editing.category.id}`, body);
      } else {
        await post('/api/v1/admin/categories', body);
      }
      void message.success(t('common.saved'));
      setEditing(null);
      list.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (c: Category) => {
    try {
      await api('DELETE', `/api/v1/admin/categories/${c.id}`);
      void message.success(t('categories.deleted'));
      list.reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  /** Swaps places with the neighbouring sibling (their sort values are exchanged). */
  const move = async (c: Category, delta: -1 | 1) => {
    const siblings = all
      .filter((x) => x.parentId === c.parentId)
      .sort((a, b) => a.sort - b.sort || a.id - b.id);
    const i = siblings.findIndex((x) => x.id === c.id);
    const other = siblings[i + delta];
    if (!other) return;
    const mine = other.sort === c.sort ? c.sort + delta : other.sort;
    try {
      await api('PATCH', `/api/v1/admin/categories/${c.id}`, { sort: mine });
      if (other.sort !== c.sort)
        await api('PATCH', `/api/v1/admin/categories/${other.id}`, { sort: c.sort });
      list.reload();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <div>
      <Space className="toolbar">
        <Typography.Title level={3} className="page-title">
          {t('nav.categories')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open(undefined, null)}>
          {t('categories.create')}
        </Button>
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<CategoryNode>
        rowKey="id"
        loading={list.loading}
        dataSource={categoryTree(all)}
        pagination={false}
        expandable={{
          // everything open unless the admin folded it (new children show at once)
          expandedRowKeys: all.map((c) => c.id).filter((id) => !collapsed.has(id)),
          onExpand: (open, c) =>
            setCollapsed((set) => {
              const next = new Set(set);
              if (open) next.delete(c.id);
              else next.add(c.id);
              return next;
            }),
        }}
        locale={{ emptyText: <Empty description={t('categories.empty')} /> }}
        columns={[
          { title: t('categories.name'), dataIndex: 'name' },
          { title: 'ID', dataIndex: 'id', width: 80 },
          { title: t('categories.sort'), dataIndex: 'sort', width: 100 },
          { title: t('categories.products'), dataIndex: 'productCount', width: 100 },
          {
            title: t('common.actions'),
            width: 380,
            render: (_: unknown, c) => (
              <Space size={4} wrap>
                <Button size="small" onClick={() => open(undefined, c.id)}>
                  {t('categories.addChild')}
                </Button>
                <Button size="small" onClick={() => open(c)}>
                  {t('common.edit')}
                </Button>
                <Button
                  size="small"
                  aria-label={t('categories.up')}
                  onClick={() => void move(c, -1)}
                >
                  ↑
                </Button>
                <Button
                  size="small"
                  aria-label={t('categories.down')}
                  onClick={() => void move(c, 1)}
                >
                  ↓
                </Button>
                <Popconfirm
                  title={t('categories.confirmDelete', { name: c.name })}
                  onConfirm={() => remove(c)}
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
      <Modal
        open={editing !== null}
        title={editing?.category ? t('categories.edit') : t('categories.create')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
          <Form.Item
            name="name"
            label={t('categories.name')}
            rules={[
              { required: true, whitespace: true, max: 40, message: t('categories.nameRequired') },
            ]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="parentId" label={t('categories.parent')}>
            <TreeSelect
              allowClear
              placeholder={t('categories.root')}
              treeDefaultExpandAll
              treeData={categoryOptions(
                all,
                editing?.category ? subtreeIds(all, editing.category.id) : undefined,
              )}
            />
          </Form.Item>
          <Form.Item name="sort" label={t('categories.sort')} extra={t('categories.sortHint')}>
            <InputNumber precision={0} min={-1000000} max={1000000} style={{ width: '100%' }} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </div>
  );
}
