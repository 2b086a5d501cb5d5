import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import {
  Button,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Tooltip,
} from 'antd';
import { DeleteOutlined, PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { YuanInput } from '../components/YuanInput.tsx';
import { reasonText } from './reasons.ts';
import { getIn, type Lottery, type QueueOverride, type Settings, type SpendTier } from './types.ts';

/**
 * The rules editor's state, shared by every field: the document being edited, a setter by
 * dotted path, the server's field errors (`commission.depth` → "must be 1 or 2") and the
 * fields whose typed text is not a number yet (nothing is sent while there are any).
 */
export interface EditorValue {
  settings: Settings;
  set(path: string, value: unknown): void;
  errors: Record<string, string>;
  setInvalid(path: string, invalid: boolean): void;
}

export const EditorContext = createContext<EditorValue | null>(null);

export function useEditor(): EditorValue {
  const v = useContext(EditorContext);
  if (!v) throw new Error('useEditor outside EditorContext');
  return v;
}

/** The errors for a field and everything under it (e.g. `queueRebate.lottery.pcts`). */
export function errorsUnder(errors: Record<string, string>, path: string): string[] {
  return Object.entries(errors)
    .filter(([k]) => k === path || k.startsWith(path + '.'))
    .map(([k, v]) => (k === path ? v : `${k.slice(path.length + 1)}: ${v}`));
}

/** The input's id for a path: `members.levels[0].id` → `rule-members-levels-0-id`. */
export const fieldId = (path: string) => 'rule-' + path.replace(/[.[\]]+/g, '-');

/** One labelled field; the server's error for `path` shows under it, in red. */
export function F({
  path,
  label,
  hint,
  children,
}: {
  path: string;
  label: ReactNode;
  hint?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { errors } = useEditor();
  const mine = errorsUnder(errors, path).map((r) => reasonText(t, r));
  return (
    <Form.Item
      label={
        hint ? (
          <span>
            {label}{' '}
            <Tooltip title={hint}>
              <QuestionCircleOutlined className="muted" />
            </Tooltip>
          </span>
        ) : (
          label
        )
      }
      htmlFor={fieldId(path)}
      validateStatus={mine.length ? 'error' : undefined}
      help={mine.length ? <span data-field-error={path}>{mine.join('; ')}</span> : undefined}
      className="rule-field"
    >
      {children}
    </Form.Item>
  );
}

export function BoolInput({ path, disabled }: { path: string; disabled?: boolean }) {
  const { settings, set } = useEditor();
  return (
    <Switch
      id={fieldId(path)}
      checked={Boolean(getIn(settings, path))}
      disabled={disabled}
      onChange={(v) => set(path, v)}
    />
  );
}

export function NumInput({
  path,
  min = 0,
  max,
  decimals = 0,
  nullable,
  disabled,
  suffix,
  width = 160,
}: {
  path: string;
  min?: number;
  max?: number;
  decimals?: number;
  nullable?: boolean;
  disabled?: boolean;
  suffix?: string;
  width?: number;
}) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const v = getIn(settings, path);
  return (
    <InputNumber<number>
      id={fieldId(path)}
      value={typeof v === 'number' ? v : null}
      min={min}
      max={max}
      step={decimals ? 1 / 10 ** Math.min(decimals, 2) : 1}
      precision={decimals ? undefined : 0}
      disabled={disabled}
      suffix={suffix}
      placeholder={nullable ? t('rules.unlimited') : undefined}
      style={{ width }}
      onChange={(n) => {
        if (n === null || n === undefined) set(path, nullable ? null : min);
        else set(path, decimals ? Number(n.toFixed(decimals)) : Math.trunc(n));
      }}
    />
  );
}

export const PctInput = (p: { path: string; max?: number; disabled?: boolean }) => (
  <NumInput path={p.path} max={p.max} decimals={2} suffix="%" disabled={p.disabled} />
);

export function YuanField({
  path,
  nullable,
  disabled,
}: {
  path: string;
  nullable?: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { settings, set, setInvalid } = useEditor();
  const v = getIn(settings, path);
  return (
    <YuanInput
      id={fieldId(path)}
      value={typeof v === 'number' ? v : null}
      nullable={nullable}
      disabled={disabled}
      placeholder={nullable ? t('rules.unlimited') : undefined}
      onChange={(fen) => set(path, fen)}
      onInvalid={(bad) => setInvalid(path, bad)}
      style={{ width: 180 }}
    />
  );
}

export function ChoiceInput<V extends string | number | boolean>({
  path,
  options,
  disabled,
}: {
  path: string;
  options: { value: V; label: ReactNode }[];
  disabled?: boolean;
}) {
  const { settings, set } = useEditor();
  return (
    <Radio.Group
      id={fieldId(path)}
      optionType="button"
      buttonStyle="solid"
      disabled={disabled}
      value={getIn(settings, path)}
      onChange={(e) => set(path, e.target.value)}
      options={options.map((o) => ({ value: o.value, label: o.label }))}
    />
  );
}

export function TextInput({ path, max = 40 }: { path: string; max?: number }) {
  const { settings, set } = useEditor();
  return (
    <Input
      id={fieldId(path)}
      maxLength={max}
      value={String(getIn(settings, path) ?? '')}
      onChange={(e) => set(path, e.target.value)}
      style={{ width: 240 }}
    />
  );
}

/** `{level: pct}` — e.g. VIP → 150 %. */
export function LevelPctInput({ path }: { path: string }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const map = (getIn(settings, path) ?? {}) as Record<string, number>;
  const [rows, setRows] = useState<[string, number | null][]>(() => Object.entries(map));
  // Follow outside changes (another version loaded) but keep half-typed rows while editing.
  const key = JSON.stringify(map);
  useEffect(() => {
    setRows((current) => {
      const fromRows = Object.fromEntries(current.filter(([k, v]) => k.trim() && v !== null));
      return JSON.stringify(fromRows) === key ? current : Object.entries(JSON.parse(key));
    });
  }, [key]);
  const commit = (next: [string, number | null][]) => {
    setRows(next);
    set(
      path,
      Object.fromEntries(
        next.filter(([k, v]) => k.trim() && v !== null).map(([k, v]) => [k.trim(), v]),
      ),
    );
  };
  return (
    <Space orientation="vertical" size={4}>
      {rows.map(([k, v], i) => (
        <Space key={i} size={4}>
          <Input
            aria-label={t('rules.level')}
            placeholder={t('rules.levelPlaceholder')}
            value={k}
            style={{ width: 140 }}
            onChange={(e) => commit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
          />
          <InputNumber<number>
            aria-label={t('rules.pct')}
            min={0}
            step={1}
            suffix="%"
            value={v}
            onChange={(n) => commit(rows.map((r, j) => (j === i ? [r[0], n ?? null] : r)))}
          />
          <Button
            aria-label={t('common.delete')}
            icon={<DeleteOutlined />}
            onClick={() => commit(rows.filter((_, j) => j !== i))}
          />
        </Space>
      ))}
      <Button size="small" icon={<PlusOutlined />} onClick={() => setRows([...rows, ['', null]])}>
        {t('rules.addLevel')}
      </Button>
    </Space>
  );
}

/** `null` | fixed list `{pcts}` | range `{minPct, maxPct}`. */
export function LotteryInput({ path }: { path: string }) {
  const { t } = useTranslation();
  const { settings, set, setInvalid } = useEditor();
  const v = getIn(settings, path) as Lottery | null | undefined;
  const mode = !v ? 'none' : 'pcts' in v ? 'list' : 'range';
  const [text, setText] = useState(v && 'pcts' in v ? v.pcts.join(', ') : '10, 20, 50');
  const parseList = (s: string) => {
    const parts = s.split(/[,，\s]+/).filter(Boolean);
    const nums = parts.map(Number);
    return parts.length && nums.every((n) => Number.isFinite(n) && n >= 0) ? nums : null;
  };
  return (
    <Space orientation="vertical" size={4}>
      <Radio.Group
        optionType="button"
        value={mode}
        onChange={(e) => {
          const m = e.target.value as string;
          setInvalid(path, false);
          if (m === 'none') set(path, null);
          else if (m === 'list') set(path, { pcts: parseList(text) ?? [10, 20, 50] });
          else set(path, { minPct: 100, maxPct: 150 });
        }}
        options={[
          { value: 'none', label: t('rules.lotteryNone') },
          { value: 'list', label: t('rules.lotteryList') },
          { value: 'range', label: t('rules.lotteryRange') },
        ]}
      />
      {mode === 'list' && (
        <Input
          aria-label={t('rules.lotteryList')}
          value={text}
          suffix="%"
          style={{ width: 240 }}
          placeholder="10, 20, 50"
          onChange={(e) => {
            setText(e.target.value);
            const nums = parseList(e.target.value);
            setInvalid(path, !nums);
            if (nums) set(path, { pcts: nums });
          }}
        />
      )}
      {mode === 'range' && (
        <Space>
          <NumInput path={`${path}.minPct`} decimals={2} suffix="%" width={120} />
          <span>—</span>
          <NumInput path={`${path}.maxPct`} decimals={2} suffix="%" width={120} />
        </Space>
      )}
    </Space>
  );
}

/** `null` (all day) or `{from: "HH:MM", to: "HH:MM"}`. */
export function HoursInput({ path }: { path: string }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const v = getIn(settings, path) as { from: string; to: string } | null | undefined;
  return (
    <Space>
      <Switch
        checked={Boolean(v)}
        onChange={(on) => set(path, on ? { from: '10:00', to: '22:00' } : null)}
        checkedChildren={t('rules.hoursOn')}
        unCheckedChildren={t('rules.allDay')}
      />
      {v && (
        <>
          <Input
            aria-label={t('rules.from')}
            value={v.from}
            style={{ width: 80 }}
            placeholder="10:00"
            onChange={(e) => set(`${path}.from`, e.target.value)}
          />
          <span>—</span>
          <Input
            aria-label={t('rules.to')}
            value={v.to}
            style={{ width: 80 }}
            placeholder="22:00"
            onChange={(e) => set(`${path}.to`, e.target.value)}
          />
        </>
      )}
    </Space>
  );
}

/** `null` or groups of `cash` + `points` members. */
export function RandomReturnInput({ path }: { path: string }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const v = getIn(settings, path);
  return (
    <Space wrap>
      <Switch
        checked={Boolean(v)}
        onChange={(on) => set(path, on ? { cash: 1, points: 2 } : null)}
      />
      {Boolean(v) && (
        <>
          <span>{t('rules.rrCash')}</span>
          <NumInput path={`${path}.cash`} min={0} width={90} />
          <span>{t('rules.rrPoints')}</span>
          <NumInput path={`${path}.points`} min={0} width={90} />
        </>
      )}
    </Space>
  );
}

/** Accumulated-spend tiers: in the last `days` days ≥ `minFen` → `pct`. */
export function SpendTiersInput({ path }: { path: string }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const tiers = (getIn(settings, path) ?? []) as SpendTier[];
  return (
    <Space orientation="vertical" size={4}>
      {tiers.map((_, i) => (
        <Space key={i} size={4} wrap>
          <NumInput path={`${path}.${i}.days`} min={1} width={100} suffix={t('rules.days')} />
          <span>≥</span>
          <YuanField path={`${path}.${i}.minFen`} />
          <span>→</span>
          <NumInput path={`${path}.${i}.pct`} decimals={2} suffix="%" width={110} />
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
        onClick={() => set(path, [...tiers, { days: 30, minFen: 200000, pct: 50 }])}
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
export function OverrideEditor({ base }: { base: string }) {
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
    spendTiers: [{ days: 30, minFen: 200000, pct: 50 }],
    deduction: q.deduction,
    hours: null,
    perUserPerDay: null,
    perUserTotal: null,
    randomReturn: null,
  };
  const row = (key: OverrideKey, label: string, control: ReactNode) => {
    const path = `${base}.${key}`;
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
  const p = (k: string) => `${base}.${k}`;
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
  path: string;
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
          <OverrideEditor base={`${path}.${id}`} />
        </div>
      ))}
    </div>
  );
}
