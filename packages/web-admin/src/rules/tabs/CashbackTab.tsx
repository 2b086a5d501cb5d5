import { useTranslation } from 'react-i18next';
import { BoolInput, ChoiceInput, F, NumInput, PctInput, useEditor } from '../editor.tsx';

/** 消费返现 / Cashback as points or cash. */
export function CashbackTab() {
  const { t } = useTranslation();
  const { settings } = useEditor();
  const c = settings.cashback;
  const off = !c.enabled;
  return (
    <>
      <F path="cashback.enabled" label={t('rules.enabled')}>
        <BoolInput path="cashback.enabled" />
      </F>
      <F path="cashback.form" label={t('rules.cb.form')}>
        <ChoiceInput
          path="cashback.form"
          disabled={off}
          options={[
            { value: 'points', label: t('rules.cb.points') },
            { value: 'cash', label: t('rules.cb.cash') },
          ]}
        />
      </F>
      {c.form === 'points' ? (
        <F
          path="cashback.pointsPerYuan"
          label={t('rules.cb.pointsPerYuan')}
          hint={t('rules.cb.pointsPerYuanHint')}
        >
          <NumInput path="cashback.pointsPerYuan" decimals={4} disabled={off} />
        </F>
      ) : (
        <F path="cashback.pct" label={t('rules.cb.pct')}>
          <PctInput path="cashback.pct" max={100} disabled={off} />
        </F>
      )}
    </>
  );
}
