import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, get, post, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import type { Role, Store, User } from '../types.ts';
import { ROLE_COLOR, StatusAction, StatusTag } from '../components/UserStatus.tsx';

type StaffRole = Exclude<Role, 'shopper'>;
interface Values {
  phone: string;
  password: string;
  nickname: string;
  role: StaffRole;
  storeId?: number;
}

/** Staff, cashier and admin accounts (admin only): the console's people. */
export default function Staff() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [role, setRole] = useState<StaffRole>('staff');
  const list = useAsync(
    (signal) => get<Paged<User>>(`/api/v1/admin/users?role=${role}&pageSize=100`, { signal }),
    [role],
  );
  const stores = useAsync((signal) => get<Store[]>('/api/v1/admin/stores', { signal }), []);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const newRole = Form.useWatch('role', form);

  const create = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/admin/staff', {
        phone: v.phone,
        password: v.password,
        nickname: v.nickname.trim(),
        role: v.role,
        ...(v.role === 'cashier' ? { storeId: v.storeId } : {}),
      });
      void message.success(t('staff.created'));
      setOpen(false);
      form.resetFields();
      setRole(v.role);
      list.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t('nav.staff')}
        </Typography.Title>
        <Select
          value={role}
          onChange={setRole}
          style={{ width: 140 }}
          aria-label={t('users.role')}
          options={(['staff', 'cashier', 'admin'] as const).map((r) => ({
            value: r,
            label: t(`role.${r}`),
          }))}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('staff.create')}
        </Button>
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<User>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 80 },
          {
            title: t('users.nickname'),
            dataIndex: 'nickname',
            render: (v: string, u) => <Link to={`/users/${u.id}`}>{v}</Link>,
          },
          { title: t('users.phone'), dataIndex: 'phoneMasked' },
          {
            title: t('users.role'),
            dataIndex: 'role',
            render: (r: Role) => <Tag color={ROLE_COLOR[r]}>{t(`role.${r}`)}</Tag>,
          },
          {
            title: t('staff.store'),
            dataIndex: 'storeId',
            render: (id: number | null) =>
              id ? (stores.data?.find((s) => s.id === id)?.name ?? `#${id}`) : '—',
          },
          {
            title: t('users.status'),
            dataIndex: 'status',
            render: (s: string) => <StatusTag status={s} />,
          },
          {
            title: t('users.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_v, u) => <StatusAction user={u} onDone={list.reload} />,
          },
        ]}
      />
      <Modal
        open={open}
        title={t('staff.create')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={create}
          requiredMark={false}
          initialValues={{ role: 'staff' }}
        >
          <Form.Item name="role" label={t('users.role')}>
            <Select
              options={(['staff', 'cashier', 'admin'] as const).map((r) => ({
                value: r,
                label: t(`role.${r}`),
              }))}
            />
          </Form.Item>
          {newRole === 'cashier' && (
            <Form.Item
              name="storeId"
              label={t('staff.store')}
              rules={[{ required: true, message: t('staff.storeRequired') }]}
            >
              <Select
                loading={stores.loading}
                options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="nickname"
            label={t('users.nickname')}
            rules={[
              { required: true, whitespace: true, max: 40, message: t('staff.nicknameRequired') },
            ]}
          >
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('login.phone')}
            rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t('login.phoneInvalid') }]}
          >
            <Input maxLength={11} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            extra={t('staff.passwordHint')}
            rules={[
              {
                required: true,
                pattern: /^(?=.*[A-Za-z])(?=.*\d).{8,128}$/,
                message: t('staff.passwordHint'),
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} />}
        </Form>
      </Modal>
    </div>
  );
}
