import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { F, NumInput } from '../editor.tsx';

/** 通用 / General: when rewards settle. */
export function GeneralTab() {
  const { t } = useTranslation();
  return (
    <>
      <F
        path="settleAfterDays"
        label={t('rules.settleAfterDays')}
        hint={t('rules.settleAfterDaysHint')}
      >
        <NumInput path="settleAfterDays" min={0} max={3650} suffix={t('rules.days')} />
      </F>
      <Alert type="info" showIcon title={t('rules.generalHint')} />
    </>
  );
}
