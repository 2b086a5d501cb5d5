import { randomBytes } from 'node:crypto';
import { AlipayProvider } from './alipay/provider.ts';
import type { PaymentProviderConfig } from './config.ts';
import type { PaymentProvider } from './provider.ts';
import { SandboxProvider, type SandboxConfig } from './sandbox/provider.ts';
import { WechatPayProvider } from './wechatpay/provider.ts';

/**
 * Payment adapters. Entry points:
 * - `createPaymentProvider(config?)` — sandbox unless told otherwise;
 * - `paymentConfigFromEnv(env)` — the FANLI_* variables described in docs/payments.md;
 * - `sandboxPayRoutes` — the hosted sandbox cashier page (Fastify plugin);
 * - `acceptRawBodies(scope)` — raw-body parsing for notify routes.
 */

export function createPaymentProvider(config?: {
  provider: 'sandbox';
  sandbox: SandboxConfig;
}): SandboxProvider;
export function createPaymentProvider(config: PaymentProviderConfig): PaymentProvider;
export function createPaymentProvider(config?: PaymentProviderConfig): PaymentProvider {
  if (!config) return new SandboxProvider({ secret: randomBytes(32).toString('hex') });
  switch (config.provider) {
    case 'sandbox':
      return new SandboxProvider(config.sandbox);
    case 'wechatpay':
      return new WechatPayProvider(config.wechatpay);
    case 'alipay':
      return new AlipayProvider(config.alipay);
  }
}

export type * from './provider.ts';
export {
  paymentConfigFromEnv,
  type PaymentProviderConfig,
  type PaymentEnvResult,
} from './config.ts';
export { formatFenAsYuan, parseYuanToFen } from './money.ts';
export { acceptRawBodies } from './raw-body.ts';
export {
  SandboxProvider,
  type SandboxConfig,
  type PayLink,
  type SignedNotification,
} from './sandbox/provider.ts';
export {
  sandboxPayRoutes,
  type SandboxPayRoutesOptions,
  type SandboxPaymentView,
  type NotificationDeliverer,
} from './sandbox/routes.ts';
export { WechatPayProvider } from './wechatpay/provider.ts';
export type { WechatPayConfig } from './wechatpay/config.ts';
export { AlipayProvider } from './alipay/provider.ts';
export type { AlipayConfig } from './alipay/config.ts';
