import { Button, Table, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { RulesAnswer } from '../types.ts';

/** Published versions; loading one puts its settings into the draft. */
export function HistoryTab({
  data,
  loading,
  onLoad,
}: {
  data: RulesAnswer;
  loading: number | null;
  onLoad(id: number): void;
}) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="id"
      size="small"
      dataSource={data.versions}
      pagination={{ pageSize: 10 }}
      locale={{ emptyText: t('rules.noVersions') }}
      columns={[
        { title: t('rules.version'), dataIndex: 'id', width: 70, render: (v: number) => `v${v}` },
        {
          title: t('rules.effectiveAt'),
          dataIndex: 'effectiveAt',
          render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
        },
        { title: t('rules.note'), dataIndex: 'note', render: (v: string) => v || '—' },
        {
          title: t('rules.createdAt'),
          dataIndex: 'createdAt',
          render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
        },
        {
          title: t('users.status'),
          render: (_: unknown, v) =>
            v.inForce ? (
              <Tag color="green">{t('rules.stateInForce')}</Tag>
            ) : v.announced ? (
              <Tag color="blue">{t('rules.stateAnnounced')}</Tag>
            ) : (
              <Tag>{t('rules.statePast')}</Tag>
            ),
        },
        {
          title: t('common.actions'),
          render: (_: unknown, v) => (
            <Button
              size="small"
              icon={<EditOutlined />}
              loading={loading === v.id}
              disabled={loading !== null && loading !== v.id}
              onClick={() => onLoad(v.id)}
            >
              {t('rules.loadVersion')}
            </Button>
          ),
        },
      ]}
    />
  );
}
