import { Alert, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../../api.ts';
import { useAsync } from '../../hooks.ts';
import type { ProductRow } from '../../types.ts';
import { BoolInput, ChoiceInput, F, NumInput, PART, YuanField, useEditor } from '../editor.tsx';
import type { ReferralReward } from '../types.ts';

type AmountKind = keyof typeof PART.referralAmount;
const AMOUNT_KINDS: AmountKind[] = ['fixedFen', 'points', 'pctOfOwnOrder', 'pctOfFriendsPaid'];

/** 推荐有礼 / Referral: a reward for every N friends who buy. */
export function ReferralTab() {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const products = useAsync(
    (signal) => get<Paged<ProductRow>>('/api/v1/admin/products?page=1&pageSize=100', { signal }),
    [],
  );
  const r = settings.referral;
  const kind = AMOUNT_KINDS.find((k) => r.reward[k] !== undefined) ?? 'fixedFen';
  const setReward = (form: ReferralReward['form'], k: AmountKind) => {
    set('referral.reward', { form, [k]: r.reward[k] ?? PART.referralAmount[k] });
  };
  const off = !r.enabled;
  return (
    <>
      <Alert type="info" showIcon className="mb" title={t('rules.referralHint')} />
      <F path="referral.enabled" label={t('rules.enabled')}>
        <BoolInput path="referral.enabled" />
      </F>
      <F path="referral.everyN" label={t('rules.r.everyN')} hint={t('rules.r.everyNHint')}>
        <NumInput path="referral.everyN" min={1} suffix={t('rules.friends')} disabled={off} />
      </F>
      <F path="referral.repeat" label={t('rules.r.repeat')}>
        <ChoiceInput
          path="referral.repeat"
          disabled={off}
          options={[
            { value: true, label: t('rules.r.repeatYes') },
            { value: false, label: t('rules.r.repeatNo') },
          ]}
        />
      </F>
      <F path="referral.minOrderFen" label={t('rules.r.minOrder')}>
        <YuanField path="referral.minOrderFen" disabled={off} />
      </F>
      <F path="referral.productId" label={t('rules.r.product')} hint={t('rules.r.productHint')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          disabled={off}
          style={{ width: 280 }}
          placeholder={t('rules.r.anyProduct')}
          value={r.productId ?? undefined}
          onChange={(v?: string) => set('referral.productId', v ?? null)}
          options={(products.data?.items ?? []).map((p) => ({
            value: String(p.id),
            label: `#${p.id} ${p.title}`,
          }))}
        />
      </F>
      <F
        path="referral.withinDays"
        label={t('rules.r.withinDays')}
        hint={t('rules.r.withinDaysHint')}
      >
        <NumInput path="referral.withinDays" nullable suffix={t('rules.days')} disabled={off} />
      </F>
      <F path="referral.budgetFen" label={t('rules.r.budget')} hint={t('rules.r.budgetHint')}>
        <YuanField path="referral.budgetFen" nullable disabled={off} />
      </F>
      <F path="referral.reward.form" label={t('rules.r.form')}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          disabled={off}
          value={r.reward.form}
          onChange={(e) => {
            const form = e.target.value as ReferralReward['form'];
            setReward(form, form !== 'points' && kind === 'points' ? 'fixedFen' : kind);
          }}
          options={(['cash', 'points', 'coupon'] as const).map((f) => ({
            value: f,
            label: t(`rules.r.forms.${f}`),
          }))}
        />
      </F>
      <F path="referral.reward" label={t('rules.r.amountKind')}>
        <Select
          disabled={off}
          style={{ width: 280 }}
          value={kind}
          onChange={(k: AmountKind) => setReward(r.reward.form, k)}
          options={AMOUNT_KINDS.filter((k) => k !== 'points' || r.reward.form === 'points').map(
            (k) => ({ value: k, label: t(`rules.r.kinds.${k}`) }),
          )}
        />
      </F>
      <F path={`referral.reward.${kind}`} label={t('rules.r.amount')}>
        {kind === 'fixedFen' ? (
          <YuanField path="referral.reward.fixedFen" disabled={off} />
        ) : kind === 'points' ? (
          <NumInput
            path="referral.reward.points"
            min={1}
            suffix={t('rules.pointsUnit')}
            disabled={off}
          />
        ) : (
          <NumInput path={`referral.reward.${kind}`} decimals={2} suffix="%" disabled={off} />
        )}
      </F>
    </>
  );
}
