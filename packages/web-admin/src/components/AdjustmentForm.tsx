import { useRef, useState } from 'react';
import { Alert, App, Button, Col, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText, newIdempotencyKey, post } from '../api.ts';
import { parseYuanToFen } from '../money.ts';

type Asset = 'cash' | 'points' | 'voucher';
interface Values {
  userId: number;
  asset: Asset;
  direction: 'credit' | 'debit';
  amount: string;
  note: string;
}

/**
 * Credit or debit a user's cash, points or voucher value. The request carries an
 * `Idempotency-Key` made once per submit: a retry of the same submit after a lost answer
 * reuses it, so the server applies the adjustment at most once.
 */
export function AdjustmentForm({ userId, onDone }: { userId?: number; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = useRef<{ body: string; key: string } | null>(null);
  const asset = Form.useWatch('asset', form) ?? 'cash';

  const submit = async (v: Values) => {
    setError(null);
    // cash is typed in yuan (→ fen); points and voucher value are whole units
    const magnitude =
      v.asset !== 'cash'
        ? /^\d{1,9}$/.test(v.amount.trim())
          ? Number(v.amount.trim())
          : null
        : parseYuanToFen(v.amount);
    if (magnitude === null || magnitude <= 0) {
      setError(t('ledger.amountInvalid'));
      return;
    }
    const body = {
      userId: userId ?? v.userId,
      asset: v.asset,
      amount: v.direction === 'debit' ? -magnitude : magnitude,
      note: v.note.trim(),
    };
    const bodyText = JSON.stringify(body);
    // same submit retried → same key; anything changed → a new adjustment, a new key
    if (pending.current?.body !== bodyText)
      pending.current = { body: bodyText, key: newIdempotencyKey() };
    setBusy(true);
    try {
      await post('/api/v1/admin/ledger/adjustments', body, {
        headers: { 'Idempotency-Key': pending.current.key },
      });
      pending.current = null;
      void message.success(t('ledger.adjusted'));
      form.resetFields(['amount', 'note']);
      onDone?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{ asset: 'cash', direction: 'credit', userId }}
      requiredMark={false}
    >
      {userId === undefined && (
        <Form.Item
          name="userId"
          label={t('ledger.userId')}
          rules={[{ required: true, message: t('ledger.userIdRequired') }]}
        >
          <InputNumber min={1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      )}
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="asset" label={t('ledger.asset')}>
            <Select
              options={(['cash', 'points', 'voucher'] as const).map((a) => ({
                value: a,
                label: t(`asset.${a}`),
              }))}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="direction" label={t('ledger.direction')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'credit', label: t('ledger.credit') },
                { value: 'debit', label: t('ledger.debit') },
              ]}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="amount"
        label={
          asset === 'points'
            ? t('ledger.amountPoints')
            : asset === 'voucher'
              ? t('ledger.amountVoucher')
              : t('ledger.amountYuan')
        }
        rules={[{ required: true, message: t('ledger.amountInvalid') }]}
      >
        <Input
          inputMode="decimal"
          prefix={asset === 'cash' ? '¥' : undefined}
          placeholder={asset === 'cash' ? '10.00' : '100'}
        />
      </Form.Item>
      <Form.Item
        name="note"
        label={t('ledger.note')}
        rules={[{ required: true, whitespace: true, max: 200, message: t('ledger.noteRequired') }]}
      >
        <Input maxLength={200} placeholder={t('ledger.notePlaceholder')} />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} className="mb" role="alert" />}
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('ledger.submit')}
      </Button>
    </Form>
  );
}
