import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Button, Form, Input, InputNumber, Radio, Space, Switch, Tooltip } from 'antd';
import { DeleteOutlined, PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { YuanInput } from '../components/YuanInput.tsx';
import { settingPartDefaults } from '@fanli/engine';
import { under, type SettingsPath } from './paths.ts';
import { getIn, type Lottery, type Settings } from './types.ts';

/** What an optional part starts from when switched on: the engine's own values. */
export const PART = settingPartDefaults();
const LIST_TEXT = PART.lotteryList.pcts.join(', ');

/**
 * The rules editor's state, shared by every field: the document being edited, a setter by
 * dotted path, the server's field errors in the reader's words (`commission.depth` →
 * "只能是 1 或 2（最多两级分销）") and the
 * fields whose typed text is not a number yet (nothing is sent while there are any).
 */
export interface EditorValue {
  settings: Settings;
  set(path: SettingsPath, value: unknown): void;
  errors: Record<string, string>;
  setInvalid(path: SettingsPath, invalid: boolean): void;
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
  path: SettingsPath;
  label: ReactNode;
  hint?: ReactNode;
  children: ReactNode;
}) {
  const { errors } = useEditor();
  const mine = errorsUnder(errors, path);
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

export function BoolInput({ path, disabled }: { path: SettingsPath; disabled?: boolean }) {
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
  path: SettingsPath;
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

export const PctInput = (p: { path: SettingsPath; max?: number; disabled?: boolean }) => (
  <NumInput path={p.path} max={p.max} decimals={2} suffix="%" disabled={p.disabled} />
);

export function YuanField({
  path,
  nullable,
  disabled,
}: {
  path: SettingsPath;
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
  path: SettingsPath;
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

export function TextInput({ path, max = 40 }: { path: SettingsPath; max?: number }) {
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
export function LevelPctInput({ path }: { path: SettingsPath }) {
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
export function LotteryInput({ path }: { path: SettingsPath }) {
  const { t } = useTranslation();
  const { settings, set, setInvalid } = useEditor();
  const v = getIn(settings, path) as Lottery | null | undefined;
  const mode = !v ? 'none' : 'pcts' in v ? 'list' : 'range';
  const [text, setText] = useState(v && 'pcts' in v ? v.pcts.join(', ') : LIST_TEXT);
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
          else if (m === 'list') set(path, { pcts: parseList(text) ?? [...PART.lotteryList.pcts] });
          else set(path, { ...PART.lotteryRange });
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
          placeholder={LIST_TEXT}
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
          <NumInput path={under(path, 'minPct')} decimals={2} suffix="%" width={120} />
          <span>—</span>
          <NumInput path={under(path, 'maxPct')} decimals={2} suffix="%" width={120} />
        </Space>
      )}
    </Space>
  );
}

/** `null` (all day) or `{from: "HH:MM", to: "HH:MM"}`. */
export function HoursInput({ path }: { path: SettingsPath }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const v = getIn(settings, path) as { from: string; to: string } | null | undefined;
  return (
    <Space>
      <Switch
        checked={Boolean(v)}
        onChange={(on) => set(path, on ? { ...PART.hours } : null)}
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
            onChange={(e) => set(under(path, 'from'), e.target.value)}
          />
          <span>—</span>
          <Input
            aria-label={t('rules.to')}
            value={v.to}
            style={{ width: 80 }}
            placeholder="22:00"
            onChange={(e) => set(under(path, 'to'), e.target.value)}
          />
        </>
      )}
    </Space>
  );
}

/** `null` or groups of `cash` + `points` members. */
export function RandomReturnInput({ path }: { path: SettingsPath }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const v = getIn(settings, path);
  return (
    <Space wrap>
      <Switch
        checked={Boolean(v)}
        onChange={(on) => set(path, on ? { ...PART.randomReturn } : null)}
      />
      {Boolean(v) && (
        <>
          <span>{t('rules.rrCash')}</span>
          <NumInput path={under(path, 'cash')} min={0} width={90} />
          <span>{t('rules.rrPoints')}</span>
          <NumInput path={under(path, 'points')} min={0} width={90} />
        </>
      )}
    </Space>
  );
}
