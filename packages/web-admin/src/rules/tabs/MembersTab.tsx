import { Alert, Button, Input, InputNumber, Space, Switch } from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { BoolInput, F, NumInput, PART, fieldId, useEditor } from '../editor.tsx';
import type { SettingsPath } from '../paths.ts';
import type { MemberLevel } from '../types.ts';

/**
 * 会员等级 / Member levels (docs/models/members.md): growth value per paid yuan and the
 * levels with their benefits. The list is edited as a whole (`members.levels`); each
 * cell shows the server's error for its own path, e.g. `members.levels[1].minGrowth`.
 */
export function MembersTab() {
  const { t } = useTranslation();
  const { settings } = useEditor();
  const off = !settings.members.enabled;
  return (
    <>
      <Alert type="info" showIcon className="mb" title={t('rules.m.intro')} />
      <F path="members.enabled" label={t('rules.enabled')}>
        <BoolInput path="members.enabled" />
      </F>
      <F
        path="members.growthPerYuan"
        label={t('rules.m.growthPerYuan')}
        hint={t('rules.m.growthPerYuanHint')}
      >
        <NumInput path="members.growthPerYuan" decimals={4} disabled={off} />
      </F>
      <F path="members.levels" label={t('rules.m.levels')} hint={t('rules.m.levelsHint')}>
        <LevelsInput disabled={off} />
      </F>
      <Alert type="info" showIcon title={t('rules.m.queueHint')} />
    </>
  );
}

const NEW_LEVEL = (levels: MemberLevel[]): MemberLevel => {
  const top = levels[levels.length - 1];
  return {
    id: `level${levels.length + 1}`,
    name: '',
    minGrowth: (top?.minGrowth ?? 0) + PART.levelGrowthStep,
    discountPct: 0,
    pointsMultiplier: 1,
    commissionPct: null,
  };
};

function LevelsInput({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const levels = settings.members.levels;
  const update = (i: number, patch: Partial<MemberLevel>) =>
    set(
      'members.levels',
      levels.map((l, j) => (j === i ? { ...l, ...patch } : l)),
    );
  const move = (i: number, by: -1 | 1) => {
    const next = [...levels];
    const [row] = next.splice(i, 1);
    next.splice(i + by, 0, row!);
    set('members.levels', next);
  };
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      {levels.length === 0 && <div className="muted">{t('rules.m.noLevels')}</div>}
      {levels.map((l, i) => {
        const at = (k: keyof MemberLevel): SettingsPath => `members.levels[${i}].${k}`;
        return (
          <div key={i} className="override-card" data-testid={`member-level-${i}`}>
            <Space className="mb" wrap>
              <strong>{l.name || l.id || t('rules.m.level', { n: i + 1 })}</strong>
              <Button
                size="small"
                aria-label={t('rules.m.up')}
                icon={<ArrowUpOutlined />}
                disabled={disabled || i === 0}
                onClick={() => move(i, -1)}
              />
              <Button
                size="small"
                aria-label={t('rules.m.down')}
                icon={<ArrowDownOutlined />}
                disabled={disabled || i === levels.length - 1}
                onClick={() => move(i, 1)}
              />
              <Button
                size="small"
                danger
                aria-label={t('common.delete')}
                icon={<DeleteOutlined />}
                disabled={disabled}
                onClick={() =>
                  set(
                    'members.levels',
                    levels.filter((_, j) => j !== i),
                  )
                }
              />
            </Space>
            <F path={at('id')} label={t('rules.m.id')} hint={t('rules.m.idHint')}>
              <Input
                id={fieldId(at('id'))}
                value={l.id}
                maxLength={40}
                disabled={disabled}
                style={{ width: 200 }}
                onChange={(e) => update(i, { id: e.target.value.trim() })}
              />
            </F>
            <F path={at('name')} label={t('rules.m.name')}>
              <Input
                id={fieldId(at('name'))}
                value={l.name}
                maxLength={40}
                disabled={disabled}
                placeholder={t('rules.m.namePlaceholder')}
                style={{ width: 200 }}
                onChange={(e) => update(i, { name: e.target.value })}
              />
            </F>
            <F path={at('minGrowth')} label={t('rules.m.minGrowth')}>
              <InputNumber<number>
                id={fieldId(at('minGrowth'))}
                value={l.minGrowth}
                min={0}
                precision={0}
                disabled={disabled}
                style={{ width: 160 }}
                onChange={(n) => update(i, { minGrowth: n ?? 0 })}
              />
            </F>
            <F path={at('discountPct')} label={t('rules.m.discountPct')}>
              <InputNumber<number>
                id={fieldId(at('discountPct'))}
                value={l.discountPct}
                min={0}
                max={100}
                step={0.5}
                suffix="%"
                disabled={disabled}
                style={{ width: 160 }}
                onChange={(n) => update(i, { discountPct: n === null ? 0 : Number(n.toFixed(2)) })}
              />
            </F>
            <F path={at('pointsMultiplier')} label={t('rules.m.pointsMultiplier')}>
              <InputNumber<number>
                id={fieldId(at('pointsMultiplier'))}
                value={l.pointsMultiplier}
                min={1}
                max={100}
                step={0.1}
                prefix="×"
                disabled={disabled}
                style={{ width: 160 }}
                onChange={(n) =>
                  update(i, { pointsMultiplier: n === null ? 1 : Number(n.toFixed(2)) })
                }
              />
            </F>
            <F
              path={at('commissionPct')}
              label={t('rules.m.commissionPct')}
              hint={t('rules.m.commissionPctHint')}
            >
              <Space>
                <Switch
                  checked={l.commissionPct !== null}
                  disabled={disabled}
                  checkedChildren={t('rules.own')}
                  unCheckedChildren={t('rules.inherit')}
                  onChange={(on) =>
                    update(i, { commissionPct: on ? settings.commission.level1Pct : null })
                  }
                />
                {l.commissionPct !== null && (
                  <InputNumber<number>
                    id={fieldId(at('commissionPct'))}
                    aria-label={t('rules.m.commissionPct')}
                    value={l.commissionPct}
                    min={0}
                    max={100}
                    suffix="%"
                    disabled={disabled}
                    style={{ width: 140 }}
                    onChange={(n) =>
                      update(i, { commissionPct: n === null ? 0 : Number(n.toFixed(2)) })
                    }
                  />
                )}
              </Space>
            </F>
          </div>
        );
      })}
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={disabled}
        onClick={() => set('members.levels', [...levels, NEW_LEVEL(levels)])}
      >
        {t('rules.m.add')}
      </Button>
    </Space>
  );
}
