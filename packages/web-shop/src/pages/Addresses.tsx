import { useState } from 'react';
import { Button, Dialog, Popup, Tag, Toast } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { api, errorText, get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { EmptyView, ErrorView, Loading, Page } from '../components/ui.tsx';
import AddressForm, { addressText } from '../components/AddressForm.tsx';
import type { Address } from '../types.ts';

/** My delivery addresses: add, change, make default, delete. */
export default function Addresses() {
  const { t } = useTranslation();
  const addresses = useAsync((signal) => get<Address[]>('/api/v1/addresses', { signal }), []);
  const [editing, setEditing] = useState<Address | 'new' | null>(null);
  const list = addresses.data;

  const makeDefault = async (a: Address) => {
    try {
      const { id: _id, ...rest } = a;
      await api('PUT', `/api/v1/addresses/${a.id}`, { ...rest, isDefault: true });
      addresses.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    }
  };

  const remove = async (a: Address) => {
    const ok = await Dialog.confirm({
      content: t('addresses.confirmDelete'),
      confirmText: t('common.delete'),
      cancelText: t('common.cancel'),
    });
    if (!ok) return;
    try {
      await api('DELETE', `/api/v1/addresses/${a.id}`);
      Toast.show({ icon: 'success', content: t('addresses.deleted') });
      addresses.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    }
  };

  return (
    <Page title={t('addresses.title')}>
      {addresses.loading && !list ? (
        <Loading />
      ) : addresses.error || !list ? (
        <ErrorView message={addresses.error ?? t('error.generic')} onRetry={addresses.reload} />
      ) : list.length === 0 ? (
        <EmptyView text={t('addresses.empty')} />
      ) : (
        <ul className="entry-list" aria-label={t('addresses.title')}>
          {list.map((a) => (
            <li key={a.id} className="card">
              <div>
                <strong>{a.name}</strong> {a.phone}{' '}
                {a.isDefault && (
                  <Tag color="primary" fill="outline">
                    {t('addresses.isDefault')}
                  </Tag>
                )}
              </div>
              <div className="muted small">{addressText(a)}</div>
              <div className="actions">
                {!a.isDefault && (
                  <Button
                    size="mini"
                    fill="none"
                    color="primary"
                    onClick={() => void makeDefault(a)}
                  >
                    {t('addresses.setDefault')}
                  </Button>
                )}
                <Button size="mini" onClick={() => setEditing(a)}>
                  {t('common.edit')}
                </Button>
                <Button size="mini" color="danger" fill="outline" onClick={() => void remove(a)}>
                  {t('common.delete')}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Button block color="primary" shape="rounded" onClick={() => setEditing('new')}>
        <AddOutline /> {t('addresses.add')}
      </Button>
      <Popup
        visible={editing !== null}
        onMaskClick={() => setEditing(null)}
        onClose={() => setEditing(null)}
        showCloseButton
        destroyOnClose
        bodyClassName="sheet sheet-tall"
      >
        <h3 className="sheet-title">
          {editing === 'new' ? t('addresses.add') : t('addresses.edit')}
        </h3>
        {editing !== null && (
          <AddressForm
            address={editing === 'new' ? undefined : editing}
            defaultFirst={editing === 'new' && (list?.length ?? 0) === 0}
            onSaved={() => {
              setEditing(null);
              Toast.show({ icon: 'success', content: t('addresses.saved') });
              addresses.reload();
            }}
          />
        )}
      </Popup>
    </Page>
  );
}
