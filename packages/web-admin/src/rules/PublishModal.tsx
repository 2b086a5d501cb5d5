import { useState } from 'react';
import { Alert, DatePicker, Input, Modal, Radio, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, post } from '../api.ts';
import { toDocument, type Settings } from './types.ts';

/** Publishes the draft now or from a later instant, with a note. */
export function PublishModal({
  open,
  settings,
  onClose,
  onProblems,
  onPublished,
}: {
  open: boolean;
  settings: Settings;
  onClose(): void;
  onProblems(e: unknown): boolean;
  onPublished(): void;
}) {
  const { t } = useTranslation();
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState<Dayjs | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setError(null);
    if (when === 'later' && (!at || !at.isAfter(dayjs()))) {
      setError(t('rules.pickFuture'));
      return;
    }
    setBusy(true);
    try {
      await post('/api/v1/admin/rules', {
        settings: toDocument(settings),
        ...(when === 'later' && at ? { effectiveAt: at.toISOString() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setNote('');
      setAt(null);
      setWhen('now');
      onPublished();
    } catch (e) {
      if (!onProblems(e)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('rules.publish')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okText={t('rules.publishOk')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={when}
          onChange={(e) => setWhen(e.target.value as 'now' | 'later')}
          options={[
            { value: 'now', label: t('rules.publishNow') },
            { value: 'later', label: t('rules.publishLater') },
          ]}
        />
        {when === 'later' && (
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={at}
            onChange={setAt}
            aria-label={t('rules.effectiveAt')}
            disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
          />
        )}
        <div className="muted small">{t('rules.announceHint')}</div>
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('rules.notePlaceholder')}
          aria-label={t('rules.note')}
        />
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
