import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Select, Space, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorAlert } from './ErrorAlert.tsx';

/** `GET /api/v1/admin/users/:id/member` (docs/models/members.md). */
interface MemberAnswer {
  enabled: boolean;
  level: string | null;
  levelName: string | null;
  growth: number;
  next: { level: string; name: string; minGrowth: number; growthNeeded: number } | null;
  levels: { id: string; name: string; minGrowth: number }[];
}

/**
 * A member's level and growth value; an admin sets the level from the configured list,
 * or clears it (`POST /api/v1/admin/users/:id/level`). Later growth only raises it.
 */
export function MemberCard({ userId, canEdit }: { userId: number; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const member = useAsync(
    (signal) => get<MemberAnswer>(`/api/v1/admin/users/${userId}/member`, { signal }),
    [userId],
  );
  const [pick, setPick] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const save = async (level: string | null) => {
    setBusy(true);
    try {
      await post(`/api/v1/admin/users/${userId}/level`, { level });
      void message.success(t('users.memberSaved'));
      setPick(undefined);
      member.reload();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const m = member.data;
  return (
    <Card title={t('users.member')}>
      {member.error ? (
        <ErrorAlert message={member.error} onRetry={member.reload} />
      ) : !m ? (
        <Spin />
      ) : (
        <>
          {!m.enabled && <Alert type="info" showIcon className="mb" title={t('users.memberOff')} />}
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('users.memberLevel')}>
              <span data-testid="member-level">
                {m.level === null ? (
                  t('users.memberNone')
                ) : (
                  <Tag color="gold">
                    {m.levelName ?? m.level}
                    {m.levelName === null && ` ${t('users.memberNotConfigured')}`}
                  </Tag>
                )}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('users.memberGrowth')}>
              <span data-testid="member-growth">{m.growth}</span>
              {m.enabled && (
                <span className="muted">
                  {' · '}
                  {m.next
                    ? t('users.memberNext', { name: m.next.name, count: m.next.growthNeeded })
                    : t('users.memberTop')}
                </span>
              )}
            </Descriptions.Item>
          </Descriptions>
          {canEdit && (
            <Space wrap className="mt">
              <Select
                aria-label={t('users.memberLevel')}
                placeholder={t('users.memberLevel')}
                style={{ width: 200 }}
                value={pick}
                onChange={(v: string) => setPick(v)}
                options={m.levels.map((l) => ({
                  value: l.id,
                  label: `${l.name} (${l.minGrowth})`,
                  disabled: l.id === m.level,
                }))}
              />
              <Button
                type="primary"
                loading={busy}
                disabled={!pick}
                onClick={() => void save(pick ?? null)}
              >
                {t('users.memberSet')}
              </Button>
              <Popconfirm title={t('users.memberClear')} onConfirm={() => void save(null)}>
                <Button disabled={busy || m.level === null}>{t('users.memberClear')}</Button>
              </Popconfirm>
            </Space>
          )}
          {canEdit && <div className="muted mt">{t('users.memberHint')}</div>}
        </>
      )}
    </Card>
  );
}
