import { Collapse, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { formatDate } from '../dates.ts';
import { useAsync } from '../hooks.ts';
import { formatFen } from '../money.ts';
import { EmptyView, ErrorView, Loading, Notice, Page } from '../components/ui.tsx';
import type { RuleSettings, RulesAnswer } from '../types.ts';
import { rewardText } from '../components/format.ts';

/** 16800 × 130 % rounded down to the fen, by integer arithmetic on hundredths of a percent. */
const pctOf = (fen: number, pct: number) => Math.floor((fen * Math.round(pct * 100)) / 10000);

/** Every model that is switched on, in words; the queue's "not guaranteed" always with it. */
function RulesText({ s }: { s: RuleSettings }) {
  const { t } = useTranslation();
  const q = s.queueRebate;
  const r = s.referral;
  const c = s.commission;
  const any = r.enabled || c.enabled || s.cashback.enabled || q.enabled;
  if (!any) return <EmptyView text={t('rules.noModels')} />;
  const example = 16800;
  return (
    <>
      {q.enabled && (
        <section className="card rules-section" aria-label={q.name ?? t('more.queue')}>
          <h3 className="section-title">
            {t('rules.queue.title', { name: q.name ?? t('more.queue') })}
          </h3>
          <Notice kind="alert" className="not-guaranteed" text={t('rules.queue.notGuaranteed')} />
          {q.paused && <p className="warn-text">{t('rules.queue.paused')}</p>}
          {q.pool ? (
            <p>
              {t('rules.queue.pool', { pct: q.pool.poolPct, entitlement: q.pool.entitlementPct })}
            </p>
          ) : (
            <>
              <p>
                {t('rules.queue.how', { entitlement: q.entitlementPct, extract: q.extractPct })}
              </p>
              <p className="muted">
                {t('rules.queue.example', {
                  paid: formatFen(example),
                  ent: formatFen(pctOf(example, q.entitlementPct)),
                  ext: formatFen(pctOf(example, q.extractPct)),
                })}
              </p>
            </>
          )}
          <ul className="rule-points">
            <li>
              {q.queue === 'mall' ? t('rules.queue.scopeMall') : t('rules.queue.scopeProduct')}
            </li>
            <li>
              {q.settleOn === 'paid'
                ? t('rules.queue.settlePaid')
                : t('rules.queue.settleCompleted')}
            </li>
            <li>
              {q.order === 'fifo' ? t('rules.queue.orderFifo') : t('rules.queue.orderCompleted')}
            </li>
            {q.lottery?.pcts && (
              <li>
                {t('rules.queue.lotteryPcts', {
                  pcts: q.lottery.pcts.map((p) => `${p}%`).join(' / '),
                })}
              </li>
            )}
            {q.lottery && q.lottery.minPct !== undefined && (
              <li>
                {t('rules.queue.lotteryRange', { min: q.lottery.minPct, max: q.lottery.maxPct })}
              </li>
            )}
            <li>
              {t('rules.queue.exchange', {
                points: q.exchangeRate.pointsPerYuan,
                voucher: q.exchangeRate.voucherPerYuan,
              })}
            </li>
            {q.clearing && (
              <li>
                {t('rules.queue.clearing', { when: t(`rules.queue.clearingWhen.${q.clearing}`) })}
              </li>
            )}
          </ul>
        </section>
      )}
      {r.enabled && (
        <section className="card rules-section">
          <h3 className="section-title">{t('rules.referral.title', { n: r.everyN })}</h3>
          <p>{t('rules.referral.body', { n: r.everyN, reward: rewardText(r.reward, t) })}</p>
          <ul className="rule-points">
            <li>{r.repeat ? t('rules.referral.repeat') : t('rules.referral.once')}</li>
            {r.minOrderFen > 0 && (
              <li>{t('rules.referral.minOrder', { amount: formatFen(r.minOrderFen) })}</li>
            )}
            {r.withinDays !== null && (
              <li>{t('rules.referral.withinDays', { days: r.withinDays })}</li>
            )}
            {r.productId !== null && <li>{t('rules.referral.product')}</li>}
            {r.budgetFen !== null && <li>{t('rules.referral.budget')}</li>}
          </ul>
        </section>
      )}
      {c.enabled && (
        <section className="card rules-section">
          <h3 className="section-title">{t('rules.commission.title')}</h3>
          <ul className="rule-points">
            <li>{t('rules.commission.level1', { pct: c.level1Pct })}</li>
            {c.depth >= 2 && c.level2Pct > 0 && (
              <li>{t('rules.commission.level2', { pct: c.level2Pct })}</li>
            )}
          </ul>
          <p className="muted small">{t('rules.commission.note')}</p>
        </section>
      )}
      {s.cashback.enabled && (
        <section className="card rules-section">
          <h3 className="section-title">{t('rules.cashback.title')}</h3>
          <p>
            {s.cashback.form === 'points'
              ? t('rules.cashback.points', { rate: s.cashback.pointsPerYuan ?? 0 })
              : t('rules.cashback.cash', { pct: s.cashback.pct ?? 0 })}
          </p>
        </section>
      )}
      <p className="muted small rules-settle">
        {s.settleAfterDays > 0
          ? t('rules.settle', { days: s.settleAfterDays })
          : t('rules.settleNow')}
      </p>
    </>
  );
}

/** The rules in force and every announced change with the date it takes effect (docs/rules-on-the-server.md). */
export default function Rules() {
  const { t } = useTranslation();
  const rules = useAsync((signal) => get<RulesAnswer>('/api/v1/rules', { signal }), []);
  const d = rules.data;
  return (
    <Page title={t('rules.title')}>
      {rules.loading && !d ? (
        <Loading />
      ) : rules.error || !d ? (
        <ErrorView message={rules.error ?? t('error.generic')} onRetry={rules.reload} />
      ) : (
        <>
          {d.upcoming.length > 0 && (
            <section className="card" aria-label={t('rules.upcoming')}>
              <h3 className="section-title">{t('rules.upcoming')}</h3>
              <p className="muted small">{t('rules.upcomingHint')}</p>
              <Collapse>
                {d.upcoming.map((u, i) => (
                  <Collapse.Panel
                    key={String(u.id ?? i)}
                    title={
                      <span>
                        <Tag color="warning" fill="outline">
                          {t('rules.upcomingOn', { date: formatDate(u.effectiveAt) })}
                        </Tag>{' '}
                        {u.note}
                      </span>
                    }
                  >
                    <RulesText s={u.settings} />
                  </Collapse.Panel>
                ))}
              </Collapse>
            </section>
          )}
          <div className="rules-head">
            <h2 className="section-title">{t('rules.inForce')}</h2>
            <span className="muted small">
              {d.current.id === null
                ? t('rules.defaults')
                : t('rules.effectiveFrom', { date: formatDate(d.current.effectiveAt) })}
            </span>
          </div>
          <RulesText s={d.current.settings} />
        </>
      )}
    </Page>
  );
}
