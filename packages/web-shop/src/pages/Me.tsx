import { useState } from 'react';
import { Avatar, Button, Dialog, Form, Input, List, Selector, Toast } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { acceptLanguage, ApiError, errorText, get, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, ListLink, Loading, Notice, Price } from '../components/ui.tsx';
import { useSession } from '../session.tsx';
import { setLang, type Lang } from '../i18n.ts';
import type { Wallet } from '../types.ts';
import { ME_GROUPS } from '../features.ts';
import { MemberLine } from '../components/MemberLine.tsx';

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  return (
    <Selector
      className="lang-switch"
      value={[i18n.language]}
      onChange={(v) => v[0] && setLang(v[0] as Lang)}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en-US' },
      ]}
      showCheckMark={false}
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
      {(w.cash.pendingOut > 0 ||
        w.points.pendingIn > 0 ||
        w.voucher.available > 0 ||
        w.voucher.pendingIn > 0) && (
        <div className="muted small wallet-extra">
          {w.cash.pendingOut > 0 && (
            <span>
              {t('me.reserved')} <Price fen={w.cash.pendingOut} />{' '}
            </span>
          )}
          {w.points.pendingIn > 0 && (
            <span>{t('me.pointsPending', { count: w.points.pendingIn })} </span>
          )}
          {/* voucher value (爱心值) is counted in units, not money */}
          {w.voucher.available > 0 && (
            <span data-testid="voucher-available">
              {t('me.voucher', { count: w.voucher.available })}{' '}
            </span>
          )}
          {w.voucher.pendingIn > 0 && (
            <span>{t('me.voucherPending', { count: w.voucher.pendingIn })}</span>
          )}
        </div>
      )}
      <Link to="/me/wallet" className="wallet-link">
        {t('me.history')} <RightOutline />
      </Link>
    </section>
  );
}

/** Downloads `GET /api/v1/me/export` as a JSON file, the file name the server gives. */
async function downloadExport(): Promise<void> {
  const res = await fetch('/api/v1/me/export', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': acceptLanguage() },
  });
  if (!res.ok) {
    const e = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? '');
  }
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
    'fanli-export.json';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Account deletion: the password again, then a last confirmation. */
function DeleteAccount({ onDeleted }: { onDeleted(): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await post('/api/v1/me/delete', { confirm: 'DELETE', password });
      setOpen(false);
      Toast.show({ icon: 'success', content: t('more.deleteDone') });
      onDeleted();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <List.Item onClick={() => setOpen(true)} className="danger-item">
        {t('more.deleteAccount')}
      </List.Item>
      <Dialog
        visible={open}
        title={t('more.deleteTitle')}
        onClose={() => setOpen(false)}
        closeOnMaskClick
        content={
          <div className="delete-dialog">
            <p>{t('more.deleteWarning')}</p>
            <Form layout="vertical" name="deleteAccount">
              <Form.Item
                label={t('more.deletePassword')}
                description={t('more.deletePasswordHint')}
              >
                <Input
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={setPassword}
                  aria-label={t('more.deletePassword')}
                />
              </Form.Item>
            </Form>
            {error && <Notice text={error} />}
          </div>
        }
        actions={[
          [
            { key: 'cancel', text: t('common.cancel'), onClick: () => setOpen(false) },
            {
              key: 'delete',
              text: t('more.deleteConfirm'),
              danger: true,
              bold: true,
              disabled: busy || password.length === 0,
              onClick: () => void submit(),
            },
          ],
        ]}
      />
    </>
  );
}

export default function Me() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user, loading, logout, signedIn } = useSession();
  const [exporting, setExporting] = useState(false);

  const exportData = async () => {
    setExporting(true);
    try {
      await downloadExport();
      Toast.show({ icon: 'success', content: t('more.exportDone') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="page">
      <header className="me-head">
        <Avatar src="" style={{ '--size': '56px', '--border-radius': '50%' }} />
        {user ? (
          <div>
            <div className="me-name">{user.nickname}</div>
            <div className="me-sub">{user.phoneMasked}</div>
            <div className="me-sub">{t('me.myCode', { code: user.referralCode })}</div>
            <MemberLine />
          </div>
        ) : (
          <div className="me-actions">
            <Button
              color="primary"
              shape="rounded"
              onClick={() => navigate('/login')}
              disabled={loading}
            >
              {t('me.login')}
            </Button>
            <Button shape="rounded" onClick={() => navigate('/signup')} disabled={loading}>
              {t('me.signUp')}
            </Button>
          </div>
        )}
      </header>
      <main className="page-body">
        {loading ? <Loading /> : user && <WalletCard />}
        {user &&
          ME_GROUPS.map((g) => (
            <List key={g.title} header={t(g.title)} mode="card" className="me-list">
              {g.links.map((l) => (
                <ListLink key={l.to} to={l.to}>
                  {t(l.label)}
                </ListLink>
              ))}
            </List>
          ))}
        <List header={user ? t('more.account') : undefined} mode="card" className="me-list">
          {!user && <ListLink to="/rules">{t('more.rules')}</ListLink>}
          <ListLink to="/privacy">{t('privacy.title')}</ListLink>
          {user && (
            <List.Item
              onClick={() => void exportData()}
              arrow={false}
              extra={exporting ? '…' : null}
            >
              {t('more.exportData')}
            </List.Item>
          )}
          {user && user.role === 'shopper' && (
            <DeleteAccount
              onDeleted={() => {
                signedIn(null);
                navigate('/', { replace: true });
              }}
            />
          )}
          <List.Item extra={<LanguageSwitch />}>{t('me.language')}</List.Item>
        </List>
        {user && (
          <Button
            block
            color="danger"
            fill="outline"
            size="large"
            shape="rounded"
            onClick={() => void logout().then(() => navigate('/'))}
          >
            {t('me.logout')}
          </Button>
        )}
      </main>
    </div>
  );
}
