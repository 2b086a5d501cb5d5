import { useState } from 'react';
import { Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import type { AuditEntry } from '../types.ts';

/** Every staff/admin action and money movement they made, newest first. */
export default function Audit() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const list = useAsync(
    (signal) =>
      get<Paged<AuditEntry>>(`/api/v1/admin/audit?page=${page}&pageSize=${pageSize}`, { signal }),
    [page, pageSize],
  );
  return (
    <div>
      <Space className="toolbar">
        <Typography.Title level={3} className="page-title">
          {t('nav.audit')}
        </Typography.Title>
      </Space>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<AuditEntry>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showTotal: (n) => t('common.total', { count: n }),
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
        columns={[
          {
            title: t('audit.at'),
            dataIndex: 'created_at',
            width: 170,
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss'),
          },
          {
            title: t('audit.actor'),
            dataIndex: 'actor_id',
            render: (v: number | null, r) =>
              v
                ? `#${v} (${t(`role.${r.actor_role}`, { defaultValue: r.actor_role })})`
                : t('audit.system'),
          },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            render: (a: string) => (
              <Tag>{t(`audit.actions.${a.replace('.', '_')}`, { defaultValue: a })}</Tag>
            ),
          },
          {
            title: t('audit.object'),
            key: 'object',
            render: (_v, r) => `${r.object_type}${r.object_id ? ` #${r.object_id}` : ''}`,
          },
          {
            title: t('audit.detail'),
            dataIndex: 'detail',
            render: (d: Record<string, unknown>) => (
              <code className="detail">{JSON.stringify(d)}</code>
            ),
          },
          { title: 'IP', dataIndex: 'ip' },
        ]}
      />
    </div>
  );
}
