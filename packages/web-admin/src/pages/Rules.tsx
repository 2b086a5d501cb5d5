import { useCallback, useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import {
  CheckCircleOutlined,
  EditOutlined,
  ExperimentOutlined,
  SendOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText, get, post, type Paged } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Chart } from '../components/Chart.tsx';
import { isAdmin, useSession } from '../session.tsx';
import {
  BoolInput,
  ChoiceInput,
  EditorContext,
  F,
  HoursInput,
  LevelPctInput,
  LotteryInput,
  NumInput,
  OverridesSection,
  PctInput,
  RandomReturnInput,
  TextInput,
  YuanField,
  useEditor,
  type EditorValue,
} from '../rules/editor.tsx';
import { MembersTab } from '../rules/members.tsx';
import { reasonText } from '../rules/reasons.ts';
import {
  setIn,
  toDocument,
  type FieldProblem,
  type PreviewAnswer,
  type ReferralReward,
  type RuleVersion,
  type RulesAnswer,
  type Settings,
} from '../rules/types.ts';
import type { ProductRow, Store } from '../types.ts';

/** Field errors of a `VALIDATION_FAILED` answer, keyed by their dotted path. */
function fieldErrors(e: unknown): Record<string, string> | null {
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION_FAILED') return null;
  const fields = (e.details as { fields?: FieldProblem[] } | undefined)?.fields;
  if (!fields?.length) return null;
  const out: Record<string, string> = {};
  for (const f of fields) out[f.field] = out[f.field] ? `${out[f.field]}; ${f.reason}` : f.reason;
  return out;
}

/** Field paths of the document → the tab that shows them. */
const TAB_OF: [string, string][] = [
  ['referral', 'referral'],
  ['commission', 'commission'],
  ['cashback', 'cashback'],
  ['points', 'points'],
  ['queueRebate', 'queue'],
  ['members', 'members'],
  ['settleAfterDays', 'general'],
];

export default function Rules() {
  const { t } = useTranslation();
  const { user } = useSession();
  const { message } = App.useApp();
  const rules = useAsync((signal) => get<RulesAnswer>('/api/v1/admin/rules', { signal }), []);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [invalid, setInvalidMap] = useState<Record<string, true>>({});
  const [tab, setTab] = useState('general');
  const [checking, setChecking] = useState(false);
  const [checked, setChecked] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [publishOpen, setPublishOpen] = useState(false);
  // bumped to remount the form, so inputs holding typed text start from the new settings
  const [editorRev, setEditorRev] = useState(0);
  const [loadingVersion, setLoadingVersion] = useState<number | null>(null);

  const loaded = rules.data?.current.settings;
  const settings = draft ?? loaded ?? null;
  const dirty = Boolean(draft && loaded && JSON.stringify(draft) !== JSON.stringify(loaded));

  const set = useCallback(
    (path: string, value: unknown) => {
      setDraft((d) => setIn(d ?? loaded!, path, value));
      setChecked(null);
      setErrors((errs) => {
        const next = { ...errs };
        for (const k of Object.keys(next))
          // `members.levels` also clears `members.levels[1].minGrowth`
          if (k === path || k.startsWith(path + '.') || k.startsWith(path + '[')) delete next[k];
        return next;
      });
    },
    [loaded],
  );
  const setInvalid = useCallback((path: string, bad: boolean) => {
    setInvalidMap((m) => {
      if (Boolean(m[path]) === bad) return m;
      const next = { ...m };
      if (bad) next[path] = true;
      else delete next[path];
      return next;
    });
  }, []);

  const editor = useMemo<EditorValue | null>(
    () => (settings ? { settings, set, errors, setInvalid } : null),
    [settings, set, errors, setInvalid],
  );

  /** Shows the server's field errors next to their fields and opens the first one's tab. */
  const showProblems = (e: unknown): boolean => {
    const fe = fieldErrors(e);
    if (!fe) return false;
    setErrors(fe);
    const first = Object.keys(fe)[0] ?? '';
    const hit = TAB_OF.find(([prefix]) => first.startsWith(prefix));
    if (hit) setTab(hit[1]);
    return true;
  };

  const badInput = Object.keys(invalid).length > 0;

  /** Puts a version's settings into the draft, as if typed; only publishing applies it. */
  const loadVersion = async (id: number) => {
    setLoadingVersion(id);
    setActionError(null);
    try {
      const v = await get<RuleVersion>(`/api/v1/admin/rules/versions/${id}`);
      setDraft(v.settings);
      setErrors({});
      setInvalidMap({});
      setChecked(null);
      setEditorRev((r) => r + 1);
      void message.success(t('rules.versionLoaded', { id }));
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setLoadingVersion(null);
    }
  };

  const validate = async (): Promise<boolean> => {
    if (!settings) return false;
    setChecking(true);
    setActionError(null);
    setChecked(null);
    try {
      await post('/api/v1/admin/rules/validate', { settings: toDocument(settings) });
      setErrors({});
      setChecked(t('rules.valid'));
      return true;
    } catch (e) {
      if (!showProblems(e)) setActionError(errorText(e));
      return false;
    } finally {
      setChecking(false);
    }
  };

  if (rules.error) return <ErrorAlert message={rules.error} onRetry={rules.reload} />;
  if (!settings || !editor || !rules.data)
    return (
      <div className="center">
        <Spin />
      </div>
    );
  const current = rules.data.current;
  const errorCount = Object.keys(errors).length;

  return (
    <EditorContext.Provider value={editor}>
      <Space className="toolbar" wrap>
        <Typography.Title level={3} className="page-title">
          {t('nav.rules')}
        </Typography.Title>
        <Button
          icon={<CheckCircleOutlined />}
          loading={checking}
          disabled={badInput}
          onClick={() => void validate()}
        >
          {t('rules.validate')}
        </Button>
        <Button
          icon={<UndoOutlined />}
          disabled={!dirty}
          onClick={() => {
            setDraft(null);
            setErrors({});
            setInvalidMap({});
            setChecked(null);
            setEditorRev((r) => r + 1);
          }}
        >
          {t('rules.reset')}
        </Button>
        {isAdmin(user) && (
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={badInput}
            onClick={() => {
              setActionError(null);
              setPublishOpen(true);
            }}
          >
            {t('rules.publish')}
          </Button>
        )}
        {dirty && <Tag color="orange">{t('rules.unsaved')}</Tag>}
      </Space>
      <div className="muted mb" data-testid="rules-in-force">
        {current.id === null
          ? t('rules.defaultsInForce')
          : t('rules.inForce', {
              id: current.id,
              at: dayjs(current.effectiveAt).format('YYYY-MM-DD HH:mm'),
              note: current.note || '—',
            })}
      </div>
      {badInput && <Alert type="warning" showIcon className="mb" title={t('rules.badInput')} />}
      {errorCount > 0 && (
        <Alert
          type="error"
          showIcon
          className="mb"
          role="alert"
          title={t('rules.problems', { count: errorCount })}
          description={
            <ul className="problems">
              {Object.entries(errors).map(([k, v]) => (
                <li key={k}>
                  <code>{k}</code>: {reasonText(t, v)}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {checked && <Alert type="success" showIcon className="mb" title={checked} />}
      {actionError && <ErrorAlert message={actionError} />}
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card>
            <Form
              key={editorRev}
              layout="horizontal"
              labelCol={{ span: 8 }}
              wrapperCol={{ span: 16 }}
              component="div"
              labelWrap
            >
              <Tabs
                activeKey={tab}
                onChange={setTab}
                items={[
                  { key: 'general', label: t('rules.tabs.general'), children: <GeneralTab /> },
                  { key: 'referral', label: t('rules.tabs.referral'), children: <ReferralTab /> },
                  {
                    key: 'commission',
                    label: t('rules.tabs.commission'),
                    children: <CommissionTab />,
                  },
                  { key: 'cashback', label: t('rules.tabs.cashback'), children: <CashbackTab /> },
                  { key: 'points', label: t('rules.tabs.points'), children: <PointsTab /> },
                  { key: 'queue', label: t('rules.tabs.queue'), children: <QueueTab /> },
                  { key: 'members', label: t('rules.tabs.members'), children: <MembersTab /> },
                  {
                    key: 'history',
                    label: t('rules.tabs.history'),
                    children: (
                      <History
                        data={rules.data}
                        loading={loadingVersion}
                        onLoad={(id) => void loadVersion(id)}
                      />
                    ),
                  },
                ]}
              />
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <PreviewPanel
            settings={settings}
            disabled={badInput}
            onProblems={showProblems}
            onClearProblems={() => setErrors({})}
          />
        </Col>
      </Row>
      <PublishModal
        open={publishOpen}
        settings={settings}
        onClose={() => setPublishOpen(false)}
        onProblems={(e) => {
          if (showProblems(e)) {
            setPublishOpen(false);
            return true;
          }
          return false;
        }}
        onPublished={() => {
          setPublishOpen(false);
          setDraft(null);
          setErrors({});
          void message.success(t('rules.published'));
          rules.reload();
        }}
      />
    </EditorContext.Provider>
  );
}

function GeneralTab() {
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

type AmountKind = 'fixedFen' | 'points' | 'pctOfOwnOrder' | 'pctOfFriendsPaid';
const AMOUNT_KINDS: AmountKind[] = ['fixedFen', 'points', 'pctOfOwnOrder', 'pctOfFriendsPaid'];

function ReferralTab() {
  const { t } = useTranslation();
  const { settings, set } = useEditor();
  const products = useAsync(
    (signal) => get<Paged<ProductRow>>('/api/v1/admin/products?page=1&pageSize=100', { signal }),
    [],
  );
  const r = settings.referral;
  const kind = AMOUNT_KINDS.find((k) => r.reward[k] !== undefined) ?? 'fixedFen';
  const setReward = (form: ReferralReward['form'], k: AmountKind) => {
    const amount = k === 'fixedFen' ? 5000 : k === 'points' ? 500 : 100;
    const keep = r.reward[k];
    set('referral.reward', { form, [k]: keep ?? amount });
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

function CommissionTab() {
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

function CashbackTab() {
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

function PointsTab() {
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

function QueueTab() {
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
              set(
                'queueRebate.pool',
                e.target.value === 'pool' ? { poolPct: 60, entitlementPct: 110 } : null,
              )
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

function History({
  data,
  loading,
  onLoad,
}: {
  data: RulesAnswer;
  loading: number | null;
  onLoad(id: number): void;
}) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="id"
      size="small"
      dataSource={data.versions}
      pagination={{ pageSize: 10 }}
      locale={{ emptyText: t('rules.noVersions') }}
      columns={[
        { title: t('rules.version'), dataIndex: 'id', width: 70, render: (v: number) => `v${v}` },
        {
          title: t('rules.effectiveAt'),
          dataIndex: 'effectiveAt',
          render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
        },
        { title: t('rules.note'), dataIndex: 'note', render: (v: string) => v || '—' },
        {
          title: t('rules.createdAt'),
          dataIndex: 'createdAt',
          render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
        },
        {
          title: t('users.status'),
          render: (_: unknown, v) =>
            v.inForce ? (
              <Tag color="green">{t('rules.stateInForce')}</Tag>
            ) : v.announced ? (
              <Tag color="blue">{t('rules.stateAnnounced')}</Tag>
            ) : (
              <Tag>{t('rules.statePast')}</Tag>
            ),
        },
        {
          title: t('common.actions'),
          render: (_: unknown, v) => (
            <Button
              size="small"
              icon={<EditOutlined />}
              loading={loading === v.id}
              disabled={loading !== null && loading !== v.id}
              onClick={() => onLoad(v.id)}
            >
              {t('rules.loadVersion')}
            </Button>
          ),
        },
      ]}
    />
  );
}

function PublishModal({
  open,
  settings,
  onClose,
  onProblems,
  onPublished,
}: {
  open: boolean;
  settings: Settings;
  onClose(): void;
  onProblems(e: unknown): boolean;
  onPublished(): void;
}) {
  const { t } = useTranslation();
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState<Dayjs | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setError(null);
    if (when === 'later' && (!at || !at.isAfter(dayjs()))) {
      setError(t('rules.pickFuture'));
      return;
    }
    setBusy(true);
    try {
      await post('/api/v1/admin/rules', {
        settings: toDocument(settings),
        ...(when === 'later' && at ? { effectiveAt: at.toISOString() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setNote('');
      setAt(null);
      setWhen('now');
      onPublished();
    } catch (e) {
      if (!onProblems(e)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('rules.publish')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okText={t('rules.publishOk')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={when}
          onChange={(e) => setWhen(e.target.value as 'now' | 'later')}
          options={[
            { value: 'now', label: t('rules.publishNow') },
            { value: 'later', label: t('rules.publishLater') },
          ]}
        />
        {when === 'later' && (
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={at}
            onChange={setAt}
            aria-label={t('rules.effectiveAt')}
            disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
          />
        )}
        <div className="muted small">{t('rules.announceHint')}</div>
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('rules.notePlaceholder')}
          aria-label={t('rules.note')}
        />
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}

const PREVIEW_KEYS = [
  'outstandingEntitlementFen',
  'rewardsPendingFen',
  'rewardsAvailableFen',
  'rewardsPaidFen',
] as const;

/** Runs the simulator over the shop's own recent orders with the edited rules. */
function PreviewPanel({
  settings,
  disabled,
  onProblems,
  onClearProblems,
}: {
  settings: Settings;
  disabled: boolean;
  onProblems(e: unknown): boolean;
  onClearProblems(): void;
}) {
  const { t } = useTranslation();
  const [days, setDays] = useState(30);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<{ answer: PreviewAnswer; key: string }[]>([]);
  const last = runs[runs.length - 1];
  const prev = runs.length > 1 ? runs[runs.length - 2] : undefined;
  const stale = last !== undefined && last.key !== JSON.stringify([settings, days]);

  const run = async () => {
    setBusy(true);
    setError(null);
    const key = JSON.stringify([settings, days]);
    try {
      const answer = await post<PreviewAnswer>('/api/v1/admin/rules/preview', {
        settings: toDocument(settings),
        days,
      });
      onClearProblems();
      setRuns((r) => [...r.slice(-1), { answer, key }]);
    } catch (e) {
      if (!onProblems(e)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const chart = useMemo(() => {
    if (!last) return null;
    const label = (k: (typeof PREVIEW_KEYS)[number]) => t(`rules.pv.${k}`);
    const series = [
      ...(prev
        ? [
            {
              name: t('rules.pv.previous'),
              type: 'bar',
              data: PREVIEW_KEYS.map((k) => prev.answer.summary[k] / 100),
              itemStyle: { color: '#bfbfbf' },
            },
          ]
        : []),
      {
        name: t('rules.pv.current'),
        type: 'bar',
        data: PREVIEW_KEYS.map((k) => last.answer.summary[k] / 100),
        itemStyle: { color: '#fa541c' },
      },
    ];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: series.map((s) => s.name) },
      grid: { left: 60, right: 10, top: 40, bottom: 50 },
      xAxis: {
        type: 'category',
        data: PREVIEW_KEYS.map(label),
        axisLabel: { interval: 0, width: 80, overflow: 'break' },
      },
      // display only: the axis is in yuan, the exact figures are the integer fen above
      yAxis: { type: 'value', name: t('rules.pv.yuan') },
      series,
    };
  }, [last, prev, t]);

  const delta = (k: keyof PreviewAnswer['summary']) => {
    if (!prev || k === 'entries') return null;
    const d = last!.answer.summary[k] - prev.answer.summary[k];
    if (d === 0) return <span className="muted small"> ({t('rules.pv.same')})</span>;
    return (
      <span className={d > 0 ? 'up small' : 'down small'}>
        {' '}
        ({d > 0 ? '+' : ''}
        {formatFen(d)})
      </span>
    );
  };

  const s = last?.answer.summary;
  return (
    <Card
      className="preview-panel"
      title={
        <span>
          <ExperimentOutlined /> {t('rules.pv.title')}
        </span>
      }
      extra={
        <Space>
          <Select
            size="small"
            value={days}
            onChange={setDays}
            aria-label={t('rules.pv.days')}
            options={[7, 30, 90].map((d) => ({
              value: d,
              label: t('rules.pv.lastDays', { count: d }),
            }))}
          />
          <Button
            type="primary"
            size="small"
            loading={busy}
            disabled={disabled}
            onClick={() => void run()}
          >
            {runs.length ? t('rules.pv.again') : t('rules.pv.run')}
          </Button>
        </Space>
      }
    >
      <div className="muted small mb">{t('rules.pv.hint')}</div>
      {error && <ErrorAlert message={error} onRetry={() => void run()} />}
      {!last && !busy && !error && <div className="muted center-text">{t('rules.pv.empty')}</div>}
      {busy && !last && (
        <div className="center">
          <Spin />
        </div>
      )}
      {last && s && (
        <Spin spinning={busy}>
          {stale && <Alert type="warning" showIcon className="mb" title={t('rules.pv.stale')} />}
          <div className="muted small mb" data-testid="preview-window">
            {t('rules.pv.window', {
              from: dayjs(last.answer.window.from).format('YYYY-MM-DD'),
              to: dayjs(last.answer.window.to).format('YYYY-MM-DD'),
              orders: last.answer.window.orders,
              users: last.answer.window.users,
            })}
          </div>
          <Row gutter={[12, 12]} data-testid="preview-summary">
            <Col span={12}>
              <div data-testid="pv-outstanding">
                <Statistic
                  title={t('rules.pv.outstandingEntitlementFen')}
                  value={formatFen(s.outstandingEntitlementFen)}
                  suffix={delta('outstandingEntitlementFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-pending">
                <Statistic
                  title={t('rules.pv.rewardsPendingFen')}
                  value={formatFen(s.rewardsPendingFen)}
                  suffix={delta('rewardsPendingFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-available">
                <Statistic
                  title={t('rules.pv.rewardsAvailableFen')}
                  value={formatFen(s.rewardsAvailableFen)}
                  suffix={delta('rewardsAvailableFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-paid">
                <Statistic
                  title={t('rules.pv.rewardsPaidFen')}
                  value={formatFen(s.rewardsPaidFen)}
                  suffix={delta('rewardsPaidFen')}
                />
              </div>
            </Col>
            <Col span={12}>
              <div data-testid="pv-revenue">
                <Statistic title={t('rules.pv.revenueFen')} value={formatFen(s.revenueFen)} />
              </div>
            </Col>
            <Col span={12}>
              <Statistic
                title={t('rules.pv.entries')}
                value={t('rules.pv.entriesValue', {
                  waiting: s.entries.waiting,
                  done: s.entries.done,
                  total: s.entries.total,
                })}
                data-testid="pv-entries"
              />
            </Col>
          </Row>
          {chart && <Chart option={chart} style={{ height: 260 }} className="mt" />}
          <div className="muted small">{t('rules.q.trust')}</div>
        </Spin>
      )}
    </Card>
  );
}
