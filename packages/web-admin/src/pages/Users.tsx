import { useState } from 'react';
import { Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { isAdmin, useSession } from '../session.tsx';
import type { Role, User } from '../types.ts';
import { ROLE_COLOR, StatusAction, StatusTag } from '../components/UserStatus.tsx';

export default function Users() {
  const { t } = useTranslation();
  const { user: me } = useSession();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (q) params.set('q', q);
  if (role) params.set('role', role);
  const list = useAsync(
    (signal) => get<Paged<User>>(`/api/v1/admin/users?${params}`, { signal }),
    [params.toString()],
  );

  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t('nav.users')}
        </Typography.Title>
        <Input.Search
          allowClear
          placeholder={t('users.search')}
          aria-label={t('users.search')}
          onSearch={(v) => {
            setQ(v.trim().slice(0, 40));
            setPage(1);
          }}
          style={{ width: 260 }}
        />
        <Select
          value={role}
          onChange={(v) => {
            setRole(v);
            setPage(1);
          }}
          style={{ width: 140 }}
          aria-label={t('users.role')}
          options={[
            { value: '', label: t('users.allRoles') },
            ...(['shopper', 'cashier', 'staff', 'admin'] as const).map((r) => ({
              value: r,
              label: t(`role.${r}`),
            })),
          ]}
        />
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<User>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 800 }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
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
          { title: t('users.referralCode'), dataIndex: 'referralCode' },
          {
            title: t('users.referrer'),
            dataIndex: 'referrerId',
            render: (v: number | null) => (v ? <Link to={`/users/${v}`}>#{v}</Link> : '—'),
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
            key: 'actions',
            render: (_v, u) => (
              <Space>
                <Link to={`/users/${u.id}`}>{t('users.view')}</Link>
                {isAdmin(me) && u.id !== me?.id && <StatusAction user={u} onDone={list.reload} />}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
