import { Alert, Radio, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, type Paged } from '../../api.ts';
import { useAsync } from '../../hooks.ts';
import type { ProductRow, Store } from '../../types.ts';
import {
  BoolInput,
  ChoiceInput,
  F,
  HoursInput,
  LevelPctInput,
  LotteryInput,
  NumInput,
  PART,
  PctInput,
  RandomReturnInput,
  TextInput,
  useEditor,
} from '../editor.tsx';
import { OverridesSection } from '../overrides.tsx';

/** 排队返利 / Queue rebate: the plugin-wide settings and the per product / store / cashier overrides. */
export function QueueTab() {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const q = settings.queueRebate;
  const products = useAsync(
    (signal) => get<Paged<ProductRow>>('/api/v1/admin/products?page=1&pageSize=100', { signal }),
    [],
  );
  const stores = useAsync((signal) => get<Store[]>('/api/v1/admin/stores', { signal }), []);
  const productName = (id: string) =>
    products.data?.items.find((p) => String(p.id) === id)?.title ?? `#${id}`;
  const storeName = (id: string) => stores.data?.find((s) => String(s.id) === id)?.name ?? `#${id}`;
  const D = 'queueRebate.display';
  return (
    <>
      <Alert type="warning" showIcon className="mb" title={t('rules.q.trust')} />
      <Typography.Title level={5}>{t('rules.q.sections.basics')}</Typography.Title>
      <F path="queueRebate.enabled" label={t('rules.enabled')}>
        <BoolInput path="queueRebate.enabled" />
      </F>
      <F path="queueRebate.name" label={t('rules.q.name')}>
        <TextInput path="queueRebate.name" />
      </F>
      <F path="queueRebate.exchangeName" label={t('rules.q.exchangeName')}>
        <TextInput path="queueRebate.exchangeName" />
      </F>
      <F path="queueRebate.paused" label={t('rules.q.paused')} hint={t('rules.q.pausedHint')}>
        <BoolInput path="queueRebate.paused" />
      </F>

      <Typography.Title level={5}>{t('rules.q.sections.scope')}</Typography.Title>
      <F path="queueRebate.queue" label={t('rules.q.queue')} hint={t('rules.q.queueHint')}>
        <ChoiceInput
          path="queueRebate.queue"
          options={[
            { value: 'mall', label: t('rules.q.mall') },
            { value: 'product', label: t('rules.q.product') },
          ]}
        />
      </F>
      <F path="queueRebate.stores" label={t('rules.q.stores')}>
        <ChoiceInput
          path="queueRebate.stores"
          options={[
            { value: 'all', label: t('rules.q.allStores') },
            { value: 'each', label: t('rules.q.eachStore') },
          ]}
        />
      </F>
      <F path="queueRebate.cashiers" label={t('rules.q.cashiers')}>
        <ChoiceInput
          path="queueRebate.cashiers"
          options={[
            { value: 'all', label: t('rules.q.allCashiers') },
            { value: 'each', label: t('rules.q.eachCashier') },
          ]}
        />
      </F>
      <F path="queueRebate.settleOn" label={t('rules.q.settleOn')} hint={t('rules.q.settleOnHint')}>
        <ChoiceInput
          path="queueRebate.settleOn"
          options={[
            { value: 'paid', label: t('rules.q.onPaid') },
            { value: 'completed', label: t('rules.q.onCompleted') },
          ]}
        />
      </F>
      <F path="queueRebate.order" label={t('rules.q.order')} hint={t('rules.q.orderHint')}>
        <ChoiceInput
          path="queueRebate.order"
          options={[
            { value: 'fifo', label: t('rules.q.fifo') },
            { value: 'completedFirst', label: t('rules.q.completedFirst') },
          ]}
        />
      </F>

      <Typography.Title level={5}>{t('rules.q.sections.pcts')}</Typography.Title>
      <F
        path="queueRebate.extractPct"
        label={t('rules.q.extractPct')}
        hint={t('rules.q.extractHint')}
      >
        <PctInput path="queueRebate.extractPct" max={100} />
      </F>
      <F
        path="queueRebate.entitlementPct"
        label={t('rules.q.entitlementPct')}
        hint={t('rules.q.entitlementHint')}
      >
        <PctInput path="queueRebate.entitlementPct" />
      </F>
      <F path="queueRebate.levelPct" label={t('rules.q.levelPct')} hint={t('rules.q.levelPctHint')}>
        <LevelPctInput path="queueRebate.levelPct" />
      </F>
      <F path="queueRebate.lottery" label={t('rules.q.lottery')} hint={t('rules.q.lotteryHint')}>
        <LotteryInput path="queueRebate.lottery" />
      </F>

      <Typography.Title level={5}>{t('rules.q.sections.limits')}</Typography.Title>
      <F
        path="queueRebate.deduction"
        label={t('rules.q.deduction')}
        hint={t('rules.q.deductionHint')}
      >
        <ChoiceInput
          path="queueRebate.deduction"
          options={[
            { value: 'participate', label: t('rules.q.deductionParticipate') },
            { value: 'exclude', label: t('rules.q.deductionExclude') },
          ]}
        />
      </F>
      <F path="queueRebate.hours" label={t('rules.q.hours')} hint={t('rules.q.hoursHint')}>
        <HoursInput path="queueRebate.hours" />
      </F>
      <F path="queueRebate.perUserPerDay" label={t('rules.q.perUserPerDay')}>
        <NumInput path="queueRebate.perUserPerDay" min={1} nullable />
      </F>
      <F path="queueRebate.perUserTotal" label={t('rules.q.perUserTotal')}>
        <NumInput path="queueRebate.perUserTotal" min={1} nullable />
      </F>

      <Typography.Title level={5}>{t('rules.q.sections.exchange')}</Typography.Title>
      <F path="queueRebate.exchangeRate.pointsPerYuan" label={t('rules.q.pointsPerYuan')}>
        <NumInput path="queueRebate.exchangeRate.pointsPerYuan" decimals={4} />
      </F>
      <F path="queueRebate.exchangeRate.voucherPerYuan" label={t('rules.q.voucherPerYuan')}>
        <NumInput path="queueRebate.exchangeRate.voucherPerYuan" decimals={4} />
      </F>
      <F
        path="queueRebate.randomReturn"
        label={t('rules.q.randomReturn')}
        hint={t('rules.q.randomReturnHint')}
      >
        <RandomReturnInput path="queueRebate.randomReturn" />
      </F>
      <F path="queueRebate.clearing" label={t('rules.q.clearing')} hint={t('rules.q.clearingHint')}>
        <Select
          style={{ width: 200 }}
          value={q.clearing ?? 'none'}
          onChange={(v: string) => set('queueRebate.clearing', v === 'none' ? null : v)}
          options={['none', 'daily', 'weekly', 'monthly'].map((v) => ({
            value: v,
            label: t(`rules.q.clearings.${v}`),
          }))}
        />
      </F>

      <Typography.Title level={5}>{t('rules.q.sections.display')}</Typography.Title>
      {(['queueId', 'progress', 'accumulated', 'pending', 'member', 'pendingAmount'] as const).map(
        (k) => (
          <F key={k} path={`${D}.${k}`} label={t(`rules.q.display.${k}`)}>
            <BoolInput path={`${D}.${k}`} />
          </F>
        ),
      )}

      <Typography.Title level={5}>{t('rules.q.sections.pool')}</Typography.Title>
      <F path="queueRebate.pool" label={t('rules.q.pool')} hint={t('rules.q.poolHint')}>
        <Space wrap>
          <Radio.Group
            optionType="button"
            value={q.pool ? 'pool' : 'extract'}
            onChange={(e) =>
              set('queueRebate.pool', e.target.value === 'pool' ? { ...PART.pool } : null)
            }
            options={[
              { value: 'extract', label: t('rules.q.poolOff') },
              { value: 'pool', label: t('rules.q.poolOn') },
            ]}
          />
        </Space>
      </F>
      {q.pool && (
        <>
          <F path="queueRebate.pool.poolPct" label={t('rules.q.poolPct')}>
            <PctInput path="queueRebate.pool.poolPct" max={100} />
          </F>
          <F path="queueRebate.pool.entitlementPct" label={t('rules.q.poolEntitlementPct')}>
            <PctInput path="queueRebate.pool.entitlementPct" />
          </F>
        </>
      )}

      <Typography.Title level={5}>{t('rules.q.sections.products')}</Typography.Title>
      <OverridesSection
        path="queueRebate.products"
        addLabel={t('rules.q.pickProduct')}
        label={(id) => `${t('rules.q.productLabel')} #${id} ${productName(id)}`}
        choices={(products.data?.items ?? []).map((p) => ({
          value: String(p.id),
          label: `#${p.id} ${p.title}`,
        }))}
      />
      <Typography.Title level={5}>{t('rules.q.sections.stores')}</Typography.Title>
      {q.stores === 'all' && <div className="muted mb">{t('rules.q.overridesNeedEach')}</div>}
      <OverridesSection
        path="queueRebate.storeOverrides"
        disabled={q.stores === 'all'}
        addLabel={t('rules.q.pickStore')}
        label={(id) => `${t('rules.q.storeLabel')} ${storeName(id)}`}
        choices={(stores.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
      />
      <Typography.Title level={5}>{t('rules.q.sections.cashiers')}</Typography.Title>
      {q.cashiers === 'all' && <div className="muted mb">{t('rules.q.overridesNeedEach')}</div>}
      <OverridesSection
        path="queueRebate.cashierOverrides"
        disabled={q.cashiers === 'all'}
        freeText
        addLabel={t('rules.q.cashierId')}
        label={(id) => `${t('rules.q.cashierLabel')} #${id}`}
        choices={[]}
      />
    </>
  );
}
