import type { KeyObject } from 'node:crypto';

export interface AlipayConfig {
  /** FANLI_ALIPAY_APP_ID */
  appId: string;
  /** Application private key (PKCS#8 PEM or KeyObject): FANLI_ALIPAY_PRIVATE_KEY_PATH. */
  appPrivateKey: KeyObject | string;
  /** Alipay's public key (or the public key of alipayCertPublicKey_RSA2.crt): FANLI_ALIPAY_PUBLIC_KEY_PATH. */
  alipayPublicKey: KeyObject | string;
  /** Merchant PID (2088…); when set, notifications must carry it as seller_id. FANLI_ALIPAY_SELLER_ID. */
  sellerId?: string;
  /** Defaults to https://openapi.alipay.com/gateway.do. */
  gatewayUrl?: string;
  /**
   * Public-key-certificate mode (required by alipay.fund.trans.uni.transfer): the SNs of
   * appCertPublicKey.crt and alipayRootCert.crt, sent as app_cert_sn / alipay_root_cert_sn.
   */
  appCertSn?: string;
  alipayRootCertSn?: string;
  timeoutMs?: number;
  /** Title shown to the payee of a transfer. */
  transferOrderTitle?: string;
  now?: () => number;
}

export const ALIPAY_DEFAULT_GATEWAY = 'https://openapi.alipay.com/gateway.do';
export const ALIPAY_DEFAULT_TIMEOUT_MS = 10_000;
