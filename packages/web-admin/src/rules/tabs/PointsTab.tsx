import { useTranslation } from 'react-i18next';
import { BoolInput, F, NumInput, YuanField } from '../editor.tsx';

/** 积分 / Points: their value at checkout and when they expire. */
export function PointsTab() {
  const { t } = useTranslation();
  return (
    <>
      <F path="points.fenPerPoint" label={t('rules.p.fenPerPoint')}>
        <YuanField path="points.fenPerPoint" />
      </F>
      <F path="points.expiryDays" label={t('rules.p.expiryDays')}>
        <NumInput path="points.expiryDays" min={1} nullable suffix={t('rules.days')} />
      </F>
      <F path="points.expireAtYearEnd" label={t('rules.p.yearEnd')}>
        <BoolInput path="points.expireAtYearEnd" />
      </F>
    </>
  );
}
