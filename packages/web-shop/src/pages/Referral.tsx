import { useEffect, useState } from 'react';
import { Alert, Button, Input, Space, message } from 'antd';
import { CopyOutlined, DownloadOutlined } from '@ant-design/icons';
import QRCode from 'qrcode';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { EmptyView, ErrorView, Loading, Page } from '../components/ui.tsx';
import { renderPoster } from '../poster.ts';
import { useSession } from '../session.tsx';
import type { Referrals } from '../types.ts';

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
  const [msg, holder] = message.useMessage();
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
      void msg.success(t('common.copied'));
    } catch {
      void msg.info(t('referral.copyManually'));
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
      {holder}
      <section className="card referral-card">
        <div className="muted">{t('referral.code')}</div>
        <div className="referral-code" data-testid="referral-code">
          {code}
        </div>
        {qr && <img className="qr" src={qr} alt={t('referral.qr')} width={200} height={200} />}
        <div className="muted small">{t('referral.scan')}</div>
        <Space.Compact block>
          <Input readOnly value={link} aria-label={t('referral.link')} />
          <Button icon={<CopyOutlined />} onClick={() => void copy()}>
            {t('common.copy')}
          </Button>
        </Space.Compact>
        <Button
          block
          type="primary"
          icon={<DownloadOutlined />}
          loading={posterBusy}
          onClick={() => void makePoster()}
          className="submit"
        >
          {t('referral.makePoster')}
        </Button>
        {posterError && <Alert type="error" showIcon title={posterError} />}
        {poster && (
          <div className="poster">
            <img src={poster} alt={t('referral.poster')} />
            <Button
              block
              href={poster}
              download={`fanli-invite-${code}.png`}
              icon={<DownloadOutlined />}
            >
              {t('referral.downloadPoster')}
            </Button>
          </div>
        )}
      </section>
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
                  {f.joinedAt
                    ? t('referral.joined', { date: dayjs(f.joinedAt).format('YYYY-MM-DD') })
                    : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
