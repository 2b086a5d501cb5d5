import type { ReactNode } from 'react';
import {
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  ClusterOutlined,
  OrderedListOutlined,
  ControlOutlined,
  DashboardOutlined,
  MoneyCollectOutlined,
  ProfileOutlined,
  RollbackOutlined,
  SafetyCertificateOutlined,
  ShopOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';

/**
 * The console's side menu. `admin` items are hidden from staff (the API refuses them
 * anyway). Only pages whose API exists are listed — see docs/web.md for what waits on
 * which API.
 */
export const NAV: { path: string; label: string; icon: ReactNode; admin?: boolean }[] = [
  { path: '/', label: 'nav.dashboard', icon: <DashboardOutlined /> },
  { path: '/orders', label: 'nav.orders', icon: <ProfileOutlined /> },
  { path: '/products', label: 'nav.products', icon: <AppstoreOutlined /> },
  { path: '/categories', label: 'nav.categories', icon: <ClusterOutlined /> },
  { path: '/rules', label: 'nav.rules', icon: <ControlOutlined /> },
  { path: '/queues', label: 'nav.queues', icon: <OrderedListOutlined /> },
  { path: '/after-sales', label: 'nav.afterSales', icon: <RollbackOutlined /> },
  { path: '/withdrawals', label: 'nav.withdrawals', icon: <MoneyCollectOutlined /> },
  { path: '/held-rewards', label: 'nav.heldRewards', icon: <SafetyCertificateOutlined /> },
  { path: '/users', label: 'nav.users', icon: <UserOutlined /> },
  { path: '/stores', label: 'nav.stores', icon: <ShopOutlined /> },
  { path: '/staff', label: 'nav.staff', icon: <TeamOutlined />, admin: true },
  { path: '/ledger', label: 'nav.ledger', icon: <BankOutlined />, admin: true },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, admin: true },
];
