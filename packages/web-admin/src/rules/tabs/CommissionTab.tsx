import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { BoolInput, ChoiceInput, F, PctInput, useEditor } from '../editor.tsx';

/** 分销佣金 / Commission: at most two levels. */
export function CommissionTab() {
  const { t } = useTranslation();
  const { settings } = useEditor();
  const c = settings.commission;
  const off = !c.enabled;
  return (
    <>
      <Alert type="warning" showIcon className="mb" title={t('rules.c.law')} />
      <F path="commission.enabled" label={t('rules.enabled')}>
        <BoolInput path="commission.enabled" />
      </F>
      <F path="commission.depth" label={t('rules.c.depth')} hint={t('rules.c.depthHint')}>
        <ChoiceInput
          path="commission.depth"
          disabled={off}
          options={[
            { value: 1, label: t('rules.c.depth1') },
            { value: 2, label: t('rules.c.depth2') },
          ]}
        />
      </F>
      <F path="commission.level1Pct" label={t('rules.c.level1')}>
        <PctInput path="commission.level1Pct" max={100} disabled={off} />
      </F>
      <F path="commission.level2Pct" label={t('rules.c.level2')}>
        <PctInput path="commission.level2Pct" max={100} disabled={off || c.depth < 2} />
      </F>
      <F
        path="commission.storeRecruitPct"
        label={t('rules.c.storeRecruit')}
        hint={t('rules.c.storeRecruitHint')}
      >
        <PctInput path="commission.storeRecruitPct" max={100} disabled={off} />
      </F>
    </>
  );
}
