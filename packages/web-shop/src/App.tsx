import { lazy, Suspense, type ReactNode } from 'react';
import { ConfigProvider, SafeArea, TabBar } from 'antd-mobile';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import enUS from 'antd-mobile/es/locales/en-US';
import { AppOutline, ShopbagOutline, UserOutline } from 'antd-mobile-icons';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useSession } from './session.tsx';
import { Loading } from './components/ui.tsx';
import Home from './pages/Home.tsx';

const ProductDetail = lazy(() => import('./pages/ProductDetail.tsx'));
const Login = lazy(() => import('./pages/Login.tsx'));
const SignUp = lazy(() => import('./pages/SignUp.tsx'));
const Privacy = lazy(() => import('./pages/Privacy.tsx'));
const Me = lazy(() => import('./pages/Me.tsx'));
const WalletHistory = lazy(() => import('./pages/WalletHistory.tsx'));
const Referral = lazy(() => import('./pages/Referral.tsx'));
const Cart = lazy(() => import('./pages/Cart.tsx'));
const Checkout = lazy(() => import('./pages/Checkout.tsx'));
const Orders = lazy(() => import('./pages/Orders.tsx'));
const OrderDetail = lazy(() => import('./pages/OrderDetail.tsx'));
const Withdrawals = lazy(() => import('./pages/Withdrawals.tsx'));
const AfterSales = lazy(() => import('./pages/AfterSales.tsx'));
const Rules = lazy(() => import('./pages/Rules.tsx'));
const Queue = lazy(() => import('./pages/Queue.tsx'));
const Rewards = lazy(() => import('./pages/Rewards.tsx'));
const Addresses = lazy(() => import('./pages/Addresses.tsx'));
const Cashier = lazy(() => import('./pages/Cashier.tsx'));
const PayCharge = lazy(() => import('./pages/PayCharge.tsx'));

/** Pages that need a session send a signed-out shopper to log in, then back. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!user)
    return (
      <Navigate
        to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  return children;
}

const TABS = [
  { key: '/', label: 'tab.home', icon: <AppOutline /> },
  { key: '/cart', label: 'tab.cart', icon: <ShopbagOutline /> },
  { key: '/me', label: 'tab.me', icon: <UserOutline /> },
];

function MainTabs() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  if (!TABS.some((tab) => tab.key === pathname)) return null;
  return (
    <nav className="tab-bar" aria-label={t('tab.label')}>
      <TabBar activeKey={pathname} onChange={(key) => navigate(key)} safeArea>
        {TABS.map((tab) => (
          <TabBar.Item key={tab.key} icon={tab.icon} title={t(tab.label)} />
        ))}
      </TabBar>
    </nav>
  );
}

const user = (page: ReactNode) => <RequireUser>{page}</RequireUser>;

function Shell() {
  return (
    <div className="shell">
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/products/:id" element={<ProductDetail />} />
          <Route path="/login" element={<Login />} />
          <Route path="/signup" element={<SignUp />} />
          <Route path="/privacy" element={<Privacy />} />
          <Route path="/rules" element={<Rules />} />
          <Route path="/me" element={<Me />} />
          <Route path="/me/wallet" element={user(<WalletHistory />)} />
          <Route path="/me/referral" element={user(<Referral />)} />
          <Route path="/me/withdrawals" element={user(<Withdrawals />)} />
          <Route path="/me/after-sales" element={user(<AfterSales />)} />
          <Route path="/me/queue" element={user(<Queue />)} />
          <Route path="/me/rewards" element={user(<Rewards />)} />
          <Route path="/me/addresses" element={user(<Addresses />)} />
          <Route path="/cart" element={user(<Cart />)} />
          <Route path="/checkout" element={user(<Checkout />)} />
          <Route path="/orders" element={user(<Orders />)} />
          <Route path="/orders/:id" element={user(<OrderDetail />)} />
          <Route path="/cashier" element={<Cashier />} />
          <Route path="/pay/c/:code" element={<PayCharge />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
      <MainTabs />
      <SafeArea position="bottom" />
    </div>
  );
}

export default function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language.startsWith('en') ? enUS : zhCN}>
      <SessionProvider>
        <BrowserRouter>
          <Shell />
        </BrowserRouter>
      </SessionProvider>
    </ConfigProvider>
  );
}
