import { useCallback, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, Row, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { CheckCircleOutlined, SendOutlined, UndoOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { isAdmin, useSession } from '../session.tsx';
import { EditorContext, type EditorValue } from '../rules/editor.tsx';
import type { SettingsPath } from '../rules/paths.ts';
import { PreviewPanel } from '../rules/PreviewPanel.tsx';
import { PublishModal } from '../rules/PublishModal.tsx';
import { problemsByField } from '../rules/reasons.ts';
import { CashbackTab } from '../rules/tabs/CashbackTab.tsx';
import { CommissionTab } from '../rules/tabs/CommissionTab.tsx';
import { GeneralTab } from '../rules/tabs/GeneralTab.tsx';
import { HistoryTab } from '../rules/tabs/HistoryTab.tsx';
import { MembersTab } from '../rules/tabs/MembersTab.tsx';
import { PointsTab } from '../rules/tabs/PointsTab.tsx';
import { QueueTab } from '../rules/tabs/QueueTab.tsx';
import { ReferralTab } from '../rules/tabs/ReferralTab.tsx';
import {
  setIn,
  toDocument,
  type RuleVersion,
  type RulesAnswer,
  type Settings,
} from '../rules/types.ts';

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
    (path: SettingsPath, value: unknown) => {
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
  const setInvalid = useCallback((path: SettingsPath, bad: boolean) => {
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
    const fe = problemsByField(t, e);
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
                  <code>{k}</code>: {v}
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
                      <HistoryTab
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
