import { useState } from 'react';
import { Button, Checkbox, Form, Input } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api.ts';
import type { Address } from '../types.ts';
import { Notice } from './ui.tsx';

export type AddressValues = Omit<Address, 'id'>;

export const addressText = (a: Partial<Omit<Address, 'id' | 'isDefault'>> | null | undefined) =>
  a ? `${a.province ?? ''}${a.city ?? ''}${a.district ?? ''} ${a.detail ?? ''}`.trim() : '';

/** Adds a new address (POST) or changes `address` (PUT); `onSaved` gets the server's copy. */
export default function AddressForm({
  address,
  defaultFirst = false,
  onSaved,
}: {
  address?: Address;
  /** a first address is the default one */
  defaultFirst?: boolean;
  onSaved(a: Address): void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (v: AddressValues) => {
    setBusy(true);
    setError(null);
    const body = {
      name: v.name.trim(),
      phone: v.phone.trim(),
      province: (v.province ?? '').trim(),
      city: (v.city ?? '').trim(),
      district: (v.district ?? '').trim(),
      detail: v.detail.trim(),
      isDefault: defaultFirst || Boolean(v.isDefault),
    };
    try {
      onSaved(
        address
          ? await api<Address>('PUT', `/api/v1/addresses/${address.id}`, body)
          : await api<Address>('POST', '/api/v1/addresses', body),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      name="address"
      layout="horizontal"
      onFinish={save}
      requiredMarkStyle="none"
      initialValues={address ?? { isDefault: defaultFirst }}
      aria-label={address ? t('addresses.edit') : t('checkout.newAddress')}
      footer={
        <>
          {error && <Notice text={error} />}
          <Button type="submit" color="primary" fill="outline" loading={busy} block>
            {t('address.save')}
          </Button>
        </>
      }
    >
      <Form.Item
        name="name"
        label={t('address.name')}
        rules={[{ required: true, max: 40, message: t('address.nameRequired') }]}
      >
        <Input maxLength={40} autoComplete="name" />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('address.phone')}
        rules={[
          { required: true, pattern: /^[0-9+\- ]{5,20}$/, message: t('address.phoneInvalid') },
        ]}
      >
        <Input maxLength={20} inputMode="tel" autoComplete="tel" />
      </Form.Item>
      <Form.Item name="province" label={t('address.province')} rules={[{ max: 40 }]}>
        <Input maxLength={40} autoComplete="address-level1" />
      </Form.Item>
      <Form.Item name="city" label={t('address.city')} rules={[{ max: 40 }]}>
        <Input maxLength={40} autoComplete="address-level2" />
      </Form.Item>
      <Form.Item name="district" label={t('address.district')} rules={[{ max: 40 }]}>
        <Input maxLength={40} autoComplete="address-level3" />
      </Form.Item>
      <Form.Item
        name="detail"
        label={t('address.detail')}
        rules={[{ required: true, max: 200, message: t('address.detailRequired') }]}
      >
        <Input maxLength={200} autoComplete="street-address" />
      </Form.Item>
      {!defaultFirst && (
        <Form.Item name="isDefault" valuePropName="checked">
          <Checkbox>{t('addresses.setDefault')}</Checkbox>
        </Form.Item>
      )}
    </Form>
  );
}
