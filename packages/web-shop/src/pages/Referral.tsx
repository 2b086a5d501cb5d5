import { useEffect, useState } from 'react';
import { Button, Input, ProgressBar, Toast } from 'antd-mobile';
import { DownlandOutline, LinkOutline } from 'antd-mobile-icons';
import QRCode from 'qrcode';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { formatDate } from '../dates.ts';
import { useAsync } from '../hooks.ts';
import { EmptyView, ErrorView, Loading, Notice, Page } from '../components/ui.tsx';
import { renderPoster } from '../poster.ts';
import { useSession } from '../session.tsx';
import type { ReferralProgress, Referrals } from '../types.ts';
import { rewardText } from '../components/format.ts';

/**
 * The share link is built from the address this page was served from, so it works
 * behind any host name; the code is the one the server gave this user.
 */
const shareLinkFor = (code: string) => `${window.location.origin}/?ref=${encodeURIComponent(code)}`;

export default function Referral() {
  const { t } = useTranslation();
  const { user } = useSession();
  const data = useAsync((signal) => get<Referrals>('/api/v1/referrals', { signal }), []);
  const [qr, setQr] = useState<string | null>(null);
  const [poster, setPoster] = useState<string | null>(null);
  const [posterBusy, setPosterBusy] = useState(false);
  const [posterError, setPosterError] = useState<string | null>(null);
  const code = data.data?.referralCode;
  const link = code ? shareLinkFor(code) : '';

  useEffect(() => {
    if (!link) return;
    let live = true;
    QRCode.toDataURL(link, { width: 240, margin: 1 })
      .then((url) => live && setQr(url))
      .catch(() => live && setQr(null));
    return () => {
      live = false;
    };
  }, [link]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      Toast.show({ icon: 'success', content: t('common.copied') });
    } catch {
      Toast.show({ content: t('referral.copyManually') });
    }
  };

  const makePoster = async () => {
    if (!code) return;
    setPosterBusy(true);
    setPosterError(null);
    try {
      setPoster(
        await renderPoster(link, {
          title: t('referral.posterTitle'),
          subtitle: t('referral.posterSub'),
          nickname: t('referral.posterFrom', { name: user?.nickname ?? '' }),
          codeLine: t('referral.code') + ': ' + code,
          scanLine: t('referral.scan'),
        }),
      );
    } catch (e) {
      setPosterError((e as Error).message);
    } finally {
      setPosterBusy(false);
    }
  };

  if (data.loading && !data.data)
    return (
      <Page title={t('referral.title')}>
        <Loading />
      </Page>
    );
  if (data.error || !data.data)
    return (
      <Page title={t('referral.title')}>
        <ErrorView message={data.error ?? t('error.generic')} onRetry={data.reload} />
      </Page>
    );
  const friends = data.data.friends;

  return (
    <Page title={t('referral.title')}>
      <section className="card referral-card">
        <div className="muted">{t('referral.code')}</div>
        <div className="referral-code" data-testid="referral-code">
          {code}
        </div>
        {qr && <img className="qr" src={qr} alt={t('referral.qr')} width={200} height={200} />}
        <div className="muted small">{t('referral.scan')}</div>
        <div className="link-row-input">
          <Input readOnly value={link} aria-label={t('referral.link')} />
          <Button size="small" onClick={() => void copy()}>
            <LinkOutline /> {t('common.copy')}
          </Button>
        </div>
        <Button
          block
          color="primary"
          shape="rounded"
          loading={posterBusy}
          onClick={() => void makePoster()}
          className="submit"
        >
          <DownlandOutline /> {t('referral.makePoster')}
        </Button>
        {posterError && <Notice text={posterError} />}
        {poster && (
          <div className="poster">
            <img src={poster} alt={t('referral.poster')} />
            <a
              className="adm-button adm-button-default adm-button-block adm-button-shape-rounded"
              href={poster}
              download={`fanli-invite-${code}.png`}
            >
              <DownlandOutline /> {t('referral.downloadPoster')}
            </a>
          </div>
        )}
      </section>
      <ProgressCard />
      <section className="card">
        <h3 className="section-title">{t('referral.friends', { count: friends.length })}</h3>
        {friends.length === 0 ? (
          <EmptyView text={t('referral.friendsEmpty')} />
        ) : (
          <ul className="plain-list" aria-label={t('referral.friendsList')}>
            {friends.map((f, i) => (
              <li key={i}>
                <span className="friend-name">{f.nickname}</span>
                <span className="muted small">
                  {f.joinedAt ? t('referral.joined', { date: formatDate(f.joinedAt) }) : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}

/** 推 N 返 M progress: "2/3 位好友已购买" with a bar. */
function ProgressCard() {
  const { t } = useTranslation();
  const progress = useAsync(
    (signal) => get<ReferralProgress>('/api/v1/referrals/progress', { signal }),
    [],
  );
  const p = progress.data;
  if (!p) return progress.error ? <Notice text={progress.error} /> : null;
  if (!p.enabled)
    return (
      <section className="card muted" aria-label={t('progress.title')}>
        {t('progress.disabled')}
      </section>
    );
  const n = Math.min(p.inCurrentGroup, p.everyN);
  return (
    <section className="card" aria-label={t('progress.title')}>
      <h3 className="section-title">{t('progress.title')}</h3>
      <div className="progress-line" data-testid="referral-progress">
        {t('progress.bought', { n, everyN: p.everyN })}
      </div>
      <ProgressBar
        percent={p.everyN > 0 ? Math.floor((n * 100) / p.everyN) : 0}
        style={{ '--track-width': '8px' }}
      />
      <div className="mt small">
        {t('progress.next', { left: p.everyN - n, reward: rewardText(p.reward, t) })}
      </div>
      <div className="muted small mt">
        {t('progress.stats', {
          bound: p.friendsBound,
          counted: p.friendsCounted,
          earned: p.rewardsEarned,
        })}
      </div>
      <div className="muted small">{t('progress.hint')}</div>
    </section>
  );
}
