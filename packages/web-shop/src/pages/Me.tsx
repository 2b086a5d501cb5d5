import { Avatar, Button, Segmented } from 'antd';
import { RightOutlined, UserOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { get } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, Loading, Price } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import { setLang, type Lang } from '../i18n.ts';
import type { Wallet } from '../types.ts';
import { ME_LINKS } from '../features.ts';

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  return (
    <Segmented
      size="small"
      value={i18n.language}
      onChange={(v) => setLang(v as Lang)}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en-US' },
      ]}
    />
  );
}

function WalletCard() {
  const { t } = useTranslation();
  const wallet = useAsync((signal) => get<Wallet>('/api/v1/wallet', { signal }), []);
  if (wallet.loading && !wallet.data) return <Loading />;
  if (wallet.error || !wallet.data)
    return <ErrorView message={wallet.error ?? t('error.generic')} onRetry={wallet.reload} />;
  const w = wallet.data;
  return (
    <section className="card wallet-card" aria-label={t('me.wallet')}>
      <div className="wallet-grid">
        <div data-testid="cash-available">
          <Price fen={w.cash.available} className="price-lg" />
          <div className="muted small">{t('me.available')}</div>
        </div>
        <div data-testid="cash-pending">
          <Price fen={w.cash.pendingIn} />
          <div className="muted small">{t('me.pending')}</div>
        </div>
        <div data-testid="points">
          <span className="num">{w.points.available}</span>
          <div className="muted small">{t('me.points')}</div>
        </div>
      </div>
      {(w.cash.pendingOut > 0 || w.points.pendingIn > 0 || w.voucher.available > 0) && (
        <div className="muted small wallet-extra">
          {w.cash.pendingOut > 0 && (
            <span>
              {t('me.reserved')} <Price fen={w.cash.pendingOut} />{' '}
            </span>
          )}
          {w.points.pendingIn > 0 && (
            <span>{t('me.pointsPending', { count: w.points.pendingIn })} </span>
          )}
          {w.voucher.available > 0 && (
            <span>
              {t('me.voucher')} <Price fen={w.voucher.available} />
            </span>
          )}
        </div>
      )}
      <Link to="/me/wallet" className="wallet-link">
        {t('me.history')} <RightOutlined />
      </Link>
    </section>
  );
}

export default function Me() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user, loading, logout } = useSession();

  return (
    <div className="page">
      <header className="me-head">
        <Avatar size={56} icon={<UserOutlined />} />
        {user ? (
          <div>
            <div className="me-name">{user.nickname}</div>
            <div className="me-sub">{user.phoneMasked}</div>
            <div className="me-sub">{t('me.myCode', { code: user.referralCode })}</div>
          </div>
        ) : (
          <div className="me-actions">
            <Button type="primary" ghost onClick={() => navigate('/login')} disabled={loading}>
              {t('me.login')}
            </Button>
            <Button onClick={() => navigate('/signup')} disabled={loading}>
              {t('me.signUp')}
            </Button>
          </div>
        )}
      </header>
      <main className="page-body">
        {loading ? <Loading /> : user && <WalletCard />}
        <nav className="card link-list">
          {user &&
            ME_LINKS.map((l) => (
              <Link key={l.to} to={l.to}>
                {t(l.label)} <RightOutlined />
              </Link>
            ))}
          <Link to="/privacy">
            {t('privacy.title')} <RightOutlined />
          </Link>
          <div className="link-row">
            <span>{t('me.language')}</span>
            <LanguageSwitch />
          </div>
        </nav>
        {user && (
          <Button block danger size="large" onClick={() => void logout().then(() => navigate('/'))}>
            {t('me.logout')}
          </Button>
        )}
      </main>
    </div>
  );
}
