import { lazy, Suspense, useState } from 'react';
import { flushSync } from 'react-dom';
import {
  App as AntApp,
  Button,
  ConfigProvider,
  Layout,
  Menu,
  Result,
  Space,
  Spin,
  Typography,
} from 'antd';
import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isAdmin, isConsoleRole, SessionProvider, useSession } from './session.tsx';
import { LanguageSwitch } from './components/LanguageSwitch.tsx';
import { NAV } from './nav.tsx';
import Login from './pages/Login.tsx';

const Dashboard = lazy(() => import('./pages/Dashboard.tsx'));
const Users = lazy(() => import('./pages/Users.tsx'));
const UserDetail = lazy(() => import('./pages/UserDetail.tsx'));
const Stores = lazy(() => import('./pages/Stores.tsx'));
const Staff = lazy(() => import('./pages/Staff.tsx'));
const Ledger = lazy(() => import('./pages/Ledger.tsx'));
const Audit = lazy(() => import('./pages/Audit.tsx'));
const Products = lazy(() => import('./pages/Products.tsx'));
const ProductEdit = lazy(() => import('./pages/ProductEdit.tsx'));
const Categories = lazy(() => import('./pages/Categories.tsx'));
const Rules = lazy(() => import('./pages/Rules.tsx'));
const Queues = lazy(() => import('./pages/Queues.tsx'));
const Orders = lazy(() => import('./pages/Orders.tsx'));
const AfterSales = lazy(() =>
  import('./pages/Reviews.tsx').then((m) => ({ default: m.AfterSalesPage })),
);
const Withdrawals = lazy(() =>
  import('./pages/Reviews.tsx').then((m) => ({ default: m.WithdrawalsPage })),
);

const HeldRewards = lazy(() => import('./pages/HeldRewards.tsx'));

const Center = () => (
  <div className="center">
    <Spin />
  </div>
);

function Shell() {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const admin = isAdmin(user);
  const items = NAV.filter((n) => !n.admin || admin).map((n) => ({
    key: n.path,
    icon: n.icon,
    label: t(n.label),
  }));
  const selected = NAV.filter((n) =>
    n.path === '/' ? pathname === '/' : pathname.startsWith(n.path),
  ).map((n) => n.path);

  if (!isConsoleRole(user)) {
    return (
      <Result
        status="403"
        title={t('login.notStaff')}
        extra={<Button onClick={() => void logout()}>{t('nav.logout')}</Button>}
      />
    );
  }

  return (
    <Layout className="shell">
      <Layout.Sider
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        theme="light"
        width={208}
      >
        <div className="logo">{collapsed ? '返' : t('app.title')}</div>
        <Menu
          mode="inline"
          selectedKeys={selected}
          items={items}
          onClick={(e) => navigate(e.key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="header">
          <Button
            type="text"
            aria-label={t('nav.toggle')}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
          />
          <Space>
            <LanguageSwitch />
            <Typography.Text data-testid="whoami">
              {user!.nickname} · {t(`role.${user!.role}`)}
            </Typography.Text>
            <Button
              icon={<LogoutOutlined />}
              onClick={() => {
                // Unmount the page first: its requests in flight are aborted instead of
                // coming back 401 once the session is gone.
                flushSync(() => setLeaving(true));
                void logout().then(() => navigate('/login'));
              }}
            >
              {t('nav.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="content">
          {leaving ? (
            <Center />
          ) : (
            <Suspense fallback={<Center />}>
              <Routes>
                <Route path="/" element={<Dashboard />} />
                <Route path="/orders" element={<Orders />} />
                <Route path="/orders/:id" element={<Orders />} />
                <Route path="/products" element={<Products />} />
                <Route path="/products/:id" element={<ProductEdit />} />
                <Route path="/categories" element={<Categories />} />
                <Route path="/rules" element={<Rules />} />
                <Route path="/queues" element={<Queues />} />
                <Route path="/after-sales" element={<AfterSales />} />
                <Route path="/withdrawals" element={<Withdrawals />} />
                <Route path="/held-rewards" element={<HeldRewards />} />
                <Route path="/users" element={<Users />} />
                <Route path="/users/:id" element={<UserDetail />} />
                <Route path="/stores" element={<Stores />} />
                {admin && <Route path="/staff" element={<Staff />} />}
                {admin && <Route path="/ledger" element={<Ledger />} />}
                {admin && <Route path="/audit" element={<Audit />} />}
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            </Suspense>
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Gate() {
  const { user, loading } = useSession();
  if (loading) return <Center />;
  return (
    <Routes>
      <Route
        path="/login"
        element={user && isConsoleRole(user) ? <Navigate to="/" replace /> : <Login />}
      />
      <Route path="/*" element={user ? <Shell /> : <Navigate to="/login" replace />} />
    </Routes>
  );
}

export default function App() {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  dayjs.locale(en ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#fa541c' } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter basename="/admin">
            <Gate />
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
