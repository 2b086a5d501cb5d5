import { useState, type ReactNode } from 'react';
import { Button, Checkbox, Input, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
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
  YuanField,
  useEditor,
} from './editor.tsx';
import { under, type SettingsPath } from './paths.ts';
import { getIn, type QueueOverride, type SpendTier } from './types.ts';

/** Accumulated-spend tiers: in the last `days` days ≥ `minFen` → `pct`. */
export function SpendTiersInput({ path }: { path: SettingsPath }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const tiers = (getIn(settings, path) ?? []) as SpendTier[];
  return (
    <Space orientation="vertical" size={4}>
      {tiers.map((_, i) => (
        <Space key={i} size={4} wrap>
          <NumInput path={under(path, `${i}.days`)} min={1} width={100} suffix={t('rules.days')} />
          <span>≥</span>
          <YuanField path={under(path, `${i}.minFen`)} />
          <span>→</span>
          <NumInput path={under(path, `${i}.pct`)} decimals={2} suffix="%" width={110} />
          <Button
            aria-label={t('common.delete')}
            icon={<DeleteOutlined />}
            onClick={() =>
              set(
                path,
                tiers.filter((__, j) => j !== i),
              )
            }
          />
        </Space>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => set(path, [...tiers, { ...PART.spendTier }])}
      >
        {t('rules.addTier')}
      </Button>
    </Space>
  );
}

type OverrideKey = keyof QueueOverride;

/**
 * A per-product / store / cashier override: every field inherits from the plugin
 * defaults unless "单独设置" is ticked.
 */
export function OverrideEditor({ base }: { base: SettingsPath }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const o = (getIn(settings, base) ?? {}) as QueueOverride;
  const q = settings.queueRebate;
  const defaults: Record<OverrideKey, unknown> = {
    enabled: true,
    extractPct: q.extractPct,
    entitlementPct: q.entitlementPct,
    levelPct: {},
    lottery: null,
    spendTiers: [{ ...PART.spendTier }],
    deduction: q.deduction,
    hours: null,
    perUserPerDay: null,
    perUserTotal: null,
    randomReturn: null,
  };
  const row = (key: OverrideKey, label: string, control: ReactNode) => {
    const path = under(base, key);
    const on = key in o;
    return (
      <F path={path} label={label} key={key}>
        <Space align="start" wrap>
          <Checkbox
            checked={on}
            onChange={(e) => set(path, e.target.checked ? defaults[key] : undefined)}
          >
            {on ? t('rules.own') : t('rules.inherit')}
          </Checkbox>
          {on && control}
        </Space>
      </F>
    );
  };
  const p = (k: OverrideKey) => under(base, k);
  return (
    <div className="override">
      {row('enabled', t('rules.q.enabledHere'), <BoolInput path={p('enabled')} />)}
      {row('extractPct', t('rules.q.extractPct'), <PctInput path={p('extractPct')} max={100} />)}
      {row('entitlementPct', t('rules.q.entitlementPct'), <PctInput path={p('entitlementPct')} />)}
      {row('levelPct', t('rules.q.levelPct'), <LevelPctInput path={p('levelPct')} />)}
      {row('spendTiers', t('rules.q.spendTiers'), <SpendTiersInput path={p('spendTiers')} />)}
      {row('lottery', t('rules.q.lottery'), <LotteryInput path={p('lottery')} />)}
      {row(
        'deduction',
        t('rules.q.deduction'),
        <ChoiceInput
          path={p('deduction')}
          options={[
            { value: 'participate', label: t('rules.q.deductionParticipate') },
            { value: 'exclude', label: t('rules.q.deductionExclude') },
          ]}
        />,
      )}
      {row('hours', t('rules.q.hours'), <HoursInput path={p('hours')} />)}
      {row(
        'perUserPerDay',
        t('rules.q.perUserPerDay'),
        <NumInput path={p('perUserPerDay')} min={1} nullable />,
      )}
      {row(
        'perUserTotal',
        t('rules.q.perUserTotal'),
        <NumInput path={p('perUserTotal')} min={1} nullable />,
      )}
      {row(
        'randomReturn',
        t('rules.q.randomReturn'),
        <RandomReturnInput path={p('randomReturn')} />,
      )}
    </div>
  );
}

/** A map of overrides (`queueRebate.products`, `storeOverrides`, `cashierOverrides`). */
export function OverridesSection({
  path,
  choices,
  label,
  addLabel,
  freeText,
  disabled,
}: {
  path: SettingsPath;
  choices: { value: string; label: string }[];
  label(id: string): string;
  addLabel: string;
  freeText?: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const map = (getIn(settings, path) ?? {}) as Record<string, QueueOverride>;
  const [pick, setPick] = useState<string | undefined>();
  const [typed, setTyped] = useState('');
  const add = (id: string) => {
    if (!id || id in map) return;
    set(path, { ...map, [id]: {} });
    setPick(undefined);
    setTyped('');
  };
  return (
    <div>
      <Space className="mb" wrap>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={addLabel}
          style={{ width: 280 }}
          value={pick}
          disabled={disabled}
          onChange={(v: string) => setPick(v)}
          options={choices.filter((c) => !(c.value in map))}
        />
        {freeText && (
          <Input
            placeholder={t('rules.idPlaceholder')}
            value={typed}
            disabled={disabled}
            onChange={(e) => setTyped(e.target.value.trim())}
            style={{ width: 120 }}
          />
        )}
        <Button
          icon={<PlusOutlined />}
          disabled={disabled || (!pick && !typed)}
          onClick={() => add(pick ?? typed)}
        >
          {t('rules.addOverride')}
        </Button>
      </Space>
      {Object.keys(map).length === 0 && <div className="muted mb">{t('rules.noOverrides')}</div>}
      {Object.keys(map).map((id) => (
        <div key={id} className="override-card">
          <Space className="mb">
            <strong>{label(id)}</strong>
            <Button
              size="small"
              danger
              onClick={() => {
                const next = { ...map };
                delete next[id];
                set(path, next);
              }}
            >
              {t('common.delete')}
            </Button>
          </Space>
          <OverrideEditor base={under(path, id)} />
        </div>
      ))}
    </div>
  );
}
