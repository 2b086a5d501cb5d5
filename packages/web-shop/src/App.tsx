import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { HomeOutlined, ShoppingCartOutlined, UserOutlined } from '@ant-design/icons';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
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
  { to: '/', label: 'tab.home', icon: <HomeOutlined />, end: true },
  { to: '/cart', label: 'tab.cart', icon: <ShoppingCartOutlined />, end: true },
  { to: '/me', label: 'tab.me', icon: <UserOutlined />, end: false },
];

function TabBar() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  if (!['/', '/cart', '/me'].includes(pathname)) return null;
  return (
    <nav className="tab-bar" aria-label={t('tab.label')}>
      {TABS.map((tab) => (
        <NavLink
          key={tab.to}
          to={tab.to}
          end={tab.end}
          className={({ isActive }) => `tab ${isActive ? 'tab-on' : ''}`}
        >
          {tab.icon}
          <span>{t(tab.label)}</span>
        </NavLink>
      ))}
    </nav>
  );
}

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
          <Route path="/me" element={<Me />} />
          <Route
            path="/me/wallet"
            element={
              <RequireUser>
                <WalletHistory />
              </RequireUser>
            }
          />
          <Route
            path="/me/referral"
            element={
              <RequireUser>
                <Referral />
              </RequireUser>
            }
          />
          <Route
            path="/me/withdrawals"
            element={
              <RequireUser>
                <Withdrawals />
              </RequireUser>
            }
          />
          <Route
            path="/me/after-sales"
            element={
              <RequireUser>
                <AfterSales />
              </RequireUser>
            }
          />
          <Route
            path="/cart"
            element={
              <RequireUser>
                <Cart />
              </RequireUser>
            }
          />
          <Route
            path="/checkout"
            element={
              <RequireUser>
                <Checkout />
              </RequireUser>
            }
          />
          <Route
            path="/orders"
            element={
              <RequireUser>
                <Orders />
              </RequireUser>
            }
          />
          <Route
            path="/orders/:id"
            element={
              <RequireUser>
                <OrderDetail />
              </RequireUser>
            }
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
      <TabBar />
    </div>
  );
}

export default function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language.startsWith('en') ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#fa541c', borderRadius: 8 } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Shell />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
