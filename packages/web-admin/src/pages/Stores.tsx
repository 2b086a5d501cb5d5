import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { isAdmin, useSession } from '../session.tsx';
import type { Store } from '../types.ts';

export default function Stores() {
  const { t } = useTranslation();
  const { user } = useSession();
  const { message } = App.useApp();
  const list = useAsync((signal) => get<Store[]>('/api/v1/admin/stores', { signal }), []);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; address?: string }>();

  const create = async (v: { name: string; address?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/admin/stores', {
        name: v.name.trim(),
        ...(v.address?.trim() ? { address: v.address.trim() } : {}),
      });
      void message.success(t('stores.created'));
      setOpen(false);
      form.resetFields();
      list.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Space className="toolbar">
        <Typography.Title level={3} className="page-title">
          {t('nav.stores')}
        </Typography.Title>
        {isAdmin(user) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('stores.create')}
          </Button>
        )}
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<Store>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 80 },
          { title: t('stores.name'), dataIndex: 'name' },
          { title: t('stores.address'), dataIndex: 'address' },
          {
            title: t('users.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={s === 'active' ? 'green' : 'default'}>{t(`stores.status.${s}`)}</Tag>
            ),
          },
          {
            title: t('users.createdAt'),
            dataIndex: 'created_at',
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('stores.create')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={create} requiredMark={false}>
          <Form.Item
            name="name"
            label={t('stores.name')}
            rules={[
              { required: true, whitespace: true, max: 80, message: t('stores.nameRequired') },
            ]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="address" label={t('stores.address')} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </div>
  );
}
