import { useState } from 'react';
import { Alert, App, Button, Empty, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { isAdmin, useSession } from '../session.tsx';

/** `GET /api/v1/admin/rewards/held`: referral rewards the ring check held for review. */
export interface HeldReward {
  id: number;
  userId: number;
  kind: string;
  asset: 'cash' | 'points' | 'voucher';
  amount: number;
  heldReason: string;
  createdAt: string;
}

type Decision = 'release' | 'reject';

/** Cash is fen (shown in yuan); points and voucher value are whole units, never ¥. */
export function heldAmountText(t: TFunction, asset: string, amount: number): string {
  if (asset === 'cash') return formatFen(amount);
  if (asset === 'points') return t('held.points', { n: amount });
  if (asset === 'voucher') return t('held.voucher', { n: amount });
  return `${amount} ${asset}`;
}

/**
 * The server writes the reason in English (`rules/abuse.ts`): "shared shipping phone
 * (referrer 12, friend 34)". Known reasons are shown in the reader's language with the
 * friend linked; anything else as the server wrote it.
 */
const REASONS: [RegExp, string][] = [
  [/^shared shipping phone \(referrer (\d+), friend (\d+)\)$/, 'held.reasons.phone'],
  [/^shared shipping address \(referrer (\d+), friend (\d+)\)$/, 'held.reasons.address'],
  [/^same sign-up device \(referrer (\d+), friend (\d+)\)$/, 'held.reasons.device'],
];

function Reason({ text }: { text: string }) {
  const { t } = useTranslation();
  for (const [re, key] of REASONS) {
    const m = re.exec(text);
    if (m)
      return (
        <span title={text}>
          {t(key)} · {t('held.friend')} <Link to={`/users/${m[2]}`}>#{m[2]}</Link>
        </span>
      );
  }
  return <span>{text}</span>;
}

/**
 * 待审核奖励: referral rewards held by the referral ring check (docs/security.md). Staff
 * see the list; an admin releases a reward (it becomes available once its orders have
 * settled) or rejects it (cancelled), with an optional note kept in the audit log.
 */
export default function HeldRewards() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const admin = isAdmin(user);
  const list = useAsync(
    (signal) => get<{ items: HeldReward[] }>('/api/v1/admin/rewards/held', { signal }),
    [],
  );
  const [open, setOpen] = useState<{ row: HeldReward; decision: Decision } | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = (row: HeldReward, decision: Decision) => {
    setOpen({ row, decision });
    setNote('');
    setError(null);
  };

  const decide = async () => {
    if (!open) return;
    setBusy(true);
    setError(null);
    try {
      await post(
        `/api/v1/admin/rewards/${open.row.id}/${open.decision}`,
        note.trim() ? { note: note.trim() } : {},
      );
      void message.success(t(open.decision === 'release' ? 'held.released' : 'held.rejected'));
      setOpen(null);
      list.reload();
    } catch (e) {
      // e.g. 404 when someone else decided first: say so, and show the list as it is now
      setError(errorText(e));
      list.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t('nav.heldRewards')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading}>
          {t('common.refresh')}
        </Button>
      </Space>
      <div className="muted mb">{t(admin ? 'held.hint' : 'held.hintStaff')}</div>
      {list.error && <ErrorAlert message={list.error} onRetry={list.reload} />}
      <Table<HeldReward>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('held.empty')} /> }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 70 },
          {
            title: t('review.user'),
            dataIndex: 'userId',
            render: (v: number) => <Link to={`/users/${v}`}>#{v}</Link>,
          },
          {
            title: t('queues.kind'),
            dataIndex: 'kind',
            render: (v: string) => t(`queues.rewardKinds.${v}`, { defaultValue: v }),
          },
          {
            title: t('review.amount'),
            dataIndex: 'amount',
            render: (v: number, r) => (
              <span data-testid={`held-amount-${r.id}`}>{heldAmountText(t, r.asset, v)}</span>
            ),
          },
          {
            title: t('held.reason'),
            dataIndex: 'heldReason',
            render: (v: string) => <Reason text={v} />,
          },
          {
            title: t('held.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_v, r) =>
              admin ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => start(r, 'release')}>
                    {t('held.release')}
                  </Button>
                  <Button size="small" danger onClick={() => start(r, 'reject')}>
                    {t('held.reject')}
                  </Button>
                </Space>
              ) : (
                <Tag>{t('review.status.pending')}</Tag>
              ),
          },
        ]}
      />
      <Modal
        open={open !== null}
        title={open && t(open.decision === 'release' ? 'held.release' : 'held.reject')}
        okText={open && t(open.decision === 'release' ? 'held.release' : 'held.reject')}
        okButtonProps={{ danger: open?.decision === 'reject', loading: busy }}
        cancelText={t('common.cancel')}
        onOk={() => void decide()}
        onCancel={() => setOpen(null)}
        destroyOnHidden
      >
        {open && (
          <>
            <p>
              {t(open.decision === 'release' ? 'held.confirmRelease' : 'held.confirmReject', {
                id: open.row.id,
                user: open.row.userId,
                amount: heldAmountText(t, open.row.asset, open.row.amount),
              })}
            </p>
            <Input.TextArea
              aria-label={t('held.note')}
              placeholder={t('held.note')}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
            />
            {error && <Alert type="error" showIcon role="alert" className="mt" title={error} />}
          </>
        )}
      </Modal>
    </div>
  );
}
