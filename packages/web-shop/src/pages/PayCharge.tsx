import { useEffect, useRef, useState } from 'react';
import { Button, Result, Toast } from 'antd-mobile';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorText, get, post } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { ErrorView, Loading, Page, Price } from '../components/ui.tsx';
import { startPayment } from '../pay.ts';
import { useSession } from '../session.tsx';
import type { PublicCharge } from '../types.ts';

const orderKey = (code: string) => `fanli.charge.${code}`;

function rememberOrder(code: string, orderId: number) {
  try {
    sessionStorage.setItem(orderKey(code), String(orderId));
  } catch {
    // storage blocked: the order link is not shown, the payment still works
  }
}

function rememberedOrder(code: string): number | null {
  try {
    const v = Number(sessionStorage.getItem(orderKey(code)));
    return Number.isSafeInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/**
 * A store's charge opened from the cashier's QR code (`/pay/c/:code`): store and amount
 * (readable before signing in: the code is unguessable), sign in, then pay in the sandbox
 * like any order; back here, wait for it to be paid.
 */
export default function PayCharge() {
  const { t } = useTranslation();
  const code = useParams().code ?? '';
  const navigate = useNavigate();
  const location = useLocation();
  const { user, loading } = useSession();
  // public: anyone with the code sees what to pay; once claimed, only its payer does
  // (read again when the session changes)
  const charge = useAsync(
    (signal) => get<PublicCharge>(`/api/v1/charges/${encodeURIComponent(code)}`, { signal }),
    [code, user?.id],
  );
  const [busy, setBusy] = useState(false);
  const returnedPaid = new URLSearchParams(location.search).get('result') === 'paid';
  const polls = useRef(0);
  const c = charge.data;
  const confirming = returnedPaid && c?.status === 'pending' && polls.current < 20;

  // back from the pay page: the gateway's notice may still be on its way
  useEffect(() => {
    if (!confirming || charge.loading) return;
    const id = setTimeout(() => {
      polls.current += 1;
      charge.reload();
    }, 1500);
    return () => clearTimeout(id);
  }, [confirming, charge.loading, charge]);

  const pay = async () => {
    setBusy(true);
    try {
      const { orderId } = await post<{ orderId: number }>(
        `/api/v1/charges/${encodeURIComponent(code)}/claim`,
        {},
      );
      rememberOrder(code, orderId);
      if (await startPayment(orderId, `/pay/c/${encodeURIComponent(code)}`)) return;
      charge.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    }
    setBusy(false);
  };

  const here = encodeURIComponent(location.pathname);
  const orderId = rememberedOrder(code);
  const signIn = (
    <div className="pay-actions">
      <div className="muted">{t('payCharge.signInHint')}</div>
      <Button
        block
        color="primary"
        size="large"
        shape="rounded"
        onClick={() => navigate(`/login?next=${here}`)}
      >
        {t('payCharge.signInToPay')}
      </Button>
      <Button block shape="rounded" onClick={() => navigate(`/signup?next=${here}`)}>
        {t('payCharge.signUp')}
      </Button>
    </div>
  );
  return (
    <Page title={t('payCharge.title')}>
      {loading || (charge.loading && !c) ? (
        <Loading />
      ) : charge.error || !c ? (
        <>
          <ErrorView message={charge.error ?? t('error.generic')} onRetry={charge.reload} />
          {/* a charge claimed by its payer is theirs only: they may have to sign in again */}
          {!user && <section className="card pay-charge">{signIn}</section>}
        </>
      ) : (
        <section className="card pay-charge">
          <div className="muted">{t('payCharge.store')}</div>
          <h2 className="store-name" data-testid="charge-store">
            {c.storeName}
          </h2>
          <div className="muted">{t('payCharge.amount')}</div>
          <Price fen={c.amountFen} className="price-xl" />
          {c.status === 'paid' ? (
            <Result status="success" title={t('payCharge.paid')} />
          ) : c.status === 'expired' ? (
            <Result status="warning" title={t('payCharge.expired')} />
          ) : confirming ? (
            <Result status="waiting" title={t('payCharge.confirming')} />
          ) : !user ? (
            signIn
          ) : (
            <Button
              block
              color="primary"
              size="large"
              shape="rounded"
              loading={busy}
              onClick={() => void pay()}
              className="mt"
            >
              {t('payCharge.pay')}
              <Price fen={c.amountFen} className="price-inverse" />
            </Button>
          )}
          {c.status === 'paid' && orderId && user && (
            <Link to={`/orders/${orderId}`} className="center-link">
              {t('payCharge.viewOrder')}
            </Link>
          )}
        </section>
      )}
    </Page>
  );
}
