import {
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router-dom';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { isAdmin, useSession } from '../session.tsx';
import type { UserTree } from '../types.ts';
import { ROLE_COLOR, StatusAction, StatusTag } from '../components/UserStatus.tsx';
import { AdjustmentForm } from '../components/AdjustmentForm.tsx';
import { MemberCard } from '../components/MemberCard.tsx';

export default function UserDetail() {
  const { t } = useTranslation();
  const { user: me } = useSession();
  const id = Number(useParams().id);
  const tree = useAsync(
    (signal) => get<UserTree>(`/api/v1/admin/dashboard/users/${id}`, { signal }),
    [id],
  );
  const d = tree.data;

  if (tree.error) return <ErrorAlert message={tree.error} onRetry={tree.reload} />;
  if (!d)
    return (
      <div className="center">
        <Spin />
      </div>
    );
  const u = d.user;

  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {u.nickname} <Tag color={ROLE_COLOR[u.role]}>{t(`role.${u.role}`)}</Tag>{' '}
          <StatusTag status={u.status} />
        </Typography.Title>
        {isAdmin(me) && u.id !== me?.id && <StatusAction user={u} onDone={tree.reload} />}
      </Space>
      <Spin spinning={tree.loading}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card title={t('users.profile')}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label="ID">{u.id}</Descriptions.Item>
                <Descriptions.Item label={t('users.phone')}>
                  {u.phoneMasked ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('users.referralCode')}>
                  {u.referralCode}
                </Descriptions.Item>
                <Descriptions.Item label={t('users.createdAt')}>
                  {dayjs(u.createdAt).format('YYYY-MM-DD HH:mm')}
                </Descriptions.Item>
                <Descriptions.Item label={t('users.referrer')}>
                  {d.referrer ? (
                    <Link to={`/users/${d.referrer.id}`}>
                      {d.referrer.nickname} (#{d.referrer.id})
                    </Link>
                  ) : (
                    t('users.noReferrer')
                  )}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('users.balances')}>
              <Row gutter={16}>
                <Col span={8}>
                  <Statistic
                    title={t('users.cashAvailable')}
                    value={formatFen(d.balances.cash.available)}
                  />
                </Col>
                <Col span={8}>
                  <Statistic
                    title={t('users.cashPending')}
                    value={formatFen(d.balances.cash.pendingIn)}
                  />
                </Col>
                <Col span={8}>
                  <Statistic title={t('users.points')} value={d.balances.points.available} />
                </Col>
              </Row>
              {d.balances.voucher.available > 0 && (
                <div className="muted mt" data-testid="user-voucher">
                  {/* voucher value is whole units, never ¥ (docs/web.md) */}
                  {t('users.voucher', { n: d.balances.voucher.available })}
                </div>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <MemberCard userId={u.id} canEdit={isAdmin(me)} />
          </Col>
          <Col xs={24}>
            <Card title={t('users.friends', { count: d.friends.length })}>
              {d.friends.length === 0 ? (
                <Empty description={t('users.noFriends')} />
              ) : (
                <Table
                  rowKey="id"
                  size="small"
                  pagination={{ pageSize: 10 }}
                  dataSource={d.friends}
                  columns={[
                    { title: 'ID', dataIndex: 'id', width: 80 },
                    {
                      title: t('users.nickname'),
                      dataIndex: 'nickname',
                      render: (v: string, f) => <Link to={`/users/${f.id}`}>{v}</Link>,
                    },
                    { title: t('users.phone'), dataIndex: 'phoneMasked' },
                    {
                      title: t('users.referredAt'),
                      dataIndex: 'referredAt',
                      render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—'),
                    },
                    {
                      title: t('users.firstPaidAt'),
                      dataIndex: 'firstPaidAt',
                      render: (v: string | null) =>
                        v ? dayjs(v).format('YYYY-MM-DD HH:mm') : t('users.notYet'),
                    },
                  ]}
                />
              )}
            </Card>
          </Col>
          {isAdmin(me) && (
            <Col xs={24} lg={12}>
              <Card title={t('ledger.adjustTitle')}>
                <AdjustmentForm userId={u.id} onDone={tree.reload} />
              </Card>
            </Col>
          )}
        </Row>
      </Spin>
    </div>
  );
}
