import { useState } from 'react';
import { App, Button, Popconfirm, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import type { Role, User } from '../types.ts';

/** How a console account shows: its role colour, its status tag, the disable / enable action. */
export const ROLE_COLOR: Record<Role, string> = {
  shopper: 'default',
  cashier: 'cyan',
  staff: 'blue',
  admin: 'gold',
};

export function StatusTag({ status }: { status?: string }) {
  const { t } = useTranslation();
  if (!status) return null;
  return <Tag color={status === 'active' ? 'green' : 'red'}>{t(`status.${status}`)}</Tag>;
}

/** Disable / enable one account (admin only); `onDone` re-reads the list. */
export function StatusAction({ user, onDone }: { user: User; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const disable = user.status === 'active';
  const run = async () => {
    setBusy(true);
    try {
      await post(`/api/v1/admin/users/${user.id}/${disable ? 'disable' : 'enable'}`);
      void message.success(disable ? t('users.disabled') : t('users.enabled'));
      onDone();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popconfirm
      title={
        disable
          ? t('users.confirmDisable', { name: user.nickname })
          : t('users.confirmEnable', { name: user.nickname })
      }
      onConfirm={() => void run()}
    >
      <Button size="small" danger={disable} loading={busy}>
        {disable ? t('users.disable') : t('users.enable')}
      </Button>
    </Popconfirm>
  );
}
