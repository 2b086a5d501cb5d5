import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AlipayConfig } from './alipay/config.ts';
import { certificateSerial, loadPrivateKey, loadPublicKey } from './keys.ts';
import type { ProviderName } from './provider.ts';
import type { SandboxConfig } from './sandbox/provider.ts';
import type { WechatPayConfig } from './wechatpay/config.ts';

export type PaymentProviderConfig =
  | { provider: 'sandbox'; sandbox: SandboxConfig }
  | { provider: 'wechatpay'; wechatpay: WechatPayConfig }
  | { provider: 'alipay'; alipay: AlipayConfig };

export type PaymentEnvResult =
  { ok: true; configs: PaymentProviderConfig[] } | { ok: false; error: string };

type Env = Record<string, string | undefined>;

/**
 * Reads the payment configuration from environment variables (see docs/payments.md).
 * `FANLI_PAYMENT_PROVIDERS` lists the enabled providers, comma-separated; default
 * `sandbox`. Returns a value naming the first missing or unreadable variable.
 */
export function paymentConfigFromEnv(
  env: Env = process.env,
  readFile: (path: string) => string = readUtf8,
): PaymentEnvResult {
  const names = (env['FANLI_PAYMENT_PROVIDERS'] ?? 'sandbox')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const configs: PaymentProviderConfig[] = [];
  try {
    for (const name of names) {
      if (!isProviderName(name))
        return { ok: false, error: `FANLI_PAYMENT_PROVIDERS: unknown provider "${name}"` };
      configs.push(configFor(name, new EnvReader(env, readFile)));
    }
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  return configs.length > 0
    ? { ok: true, configs }
    : { ok: false, error: 'FANLI_PAYMENT_PROVIDERS: no provider listed' };
}

function isProviderName(name: string): name is ProviderName {
  return name === 'sandbox' || name === 'wechatpay' || name === 'alipay';
}

function readUtf8(path: string): string {
  return readFileSync(path, 'utf8');
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly readFile: (path: string) => string,
  ) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (!value) throw new Error(`${name}: required`);
    return value;
  }

  file(name: string): string {
    return this.read(this.required(name), name);
  }

  read(path: string, source: string): string {
    try {
      return this.readFile(path);
    } catch (error) {
      throw new Error(`${source}: cannot read ${path} (${(error as Error).message})`);
    }
  }

  timeoutMs(name: string): number | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    if (!/^[1-9][0-9]{0,5}$/.test(value))
      throw new Error(`${name}: must be a whole number of milliseconds`);
    return Number(value);
  }
}

function configFor(name: ProviderName, env: EnvReader): PaymentProviderConfig {
  if (name === 'sandbox') {
    const sandbox: SandboxConfig = {
      // A per-process random secret is fine for the demo: the same process signs and verifies.
      secret: env.optional('FANLI_SANDBOX_SECRET') ?? randomBytes(32).toString('hex'),
    };
    const base = env.optional('FANLI_PUBLIC_BASE_URL');
    if (base) sandbox.publicBaseUrl = base;
    return { provider: 'sandbox', sandbox };
  }
  if (name === 'wechatpay') return { provider: 'wechatpay', wechatpay: wechatPayFromEnv(env) };
  return { provider: 'alipay', alipay: alipayFromEnv(env) };
}

function wechatPayFromEnv(env: EnvReader): WechatPayConfig {
  const apiV3Key = env.required('FANLI_WECHATPAY_APIV3_KEY');
  if (Buffer.byteLength(apiV3Key, 'utf8') !== 32)
    throw new Error('FANLI_WECHATPAY_APIV3_KEY: must be 32 characters');
  const platformPublicKeys: WechatPayConfig['platformPublicKeys'] = {};
  const publicKeyId = env.optional('FANLI_WECHATPAY_PUBLIC_KEY_ID');
  if (publicKeyId) {
    if (!publicKeyId.startsWith('PUB_KEY_ID_'))
      throw new Error('FANLI_WECHATPAY_PUBLIC_KEY_ID: must start with PUB_KEY_ID_');
    platformPublicKeys[publicKeyId] = loadPublicKey(
      env.file('FANLI_WECHATPAY_PUBLIC_KEY_PATH'),
      'FANLI_WECHATPAY_PUBLIC_KEY_PATH',
    );
  }
  // Platform certificates (the older scheme) may be configured alongside, during a migration.
  for (const path of (env.optional('FANLI_WECHATPAY_PLATFORM_CERT_PATHS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const source = `FANLI_WECHATPAY_PLATFORM_CERT_PATHS (${path})`;
    const pem = env.read(path, 'FANLI_WECHATPAY_PLATFORM_CERT_PATHS');
    platformPublicKeys[certificateSerial(pem, source)] = loadPublicKey(pem, source);
  }
  if (Object.keys(platformPublicKeys).length === 0) {
    throw new Error(
      'FANLI_WECHATPAY_PUBLIC_KEY_ID: required (or FANLI_WECHATPAY_PLATFORM_CERT_PATHS)',
    );
  }
  const config: WechatPayConfig = {
    mchid: env.required('FANLI_WECHATPAY_MCHID'),
    appid: env.required('FANLI_WECHATPAY_APPID'),
    merchantSerialNo: env.required('FANLI_WECHATPAY_MERCHANT_SERIAL').toUpperCase(),
    merchantPrivateKey: loadPrivateKey(
      env.file('FANLI_WECHATPAY_PRIVATE_KEY_PATH'),
      'FANLI_WECHATPAY_PRIVATE_KEY_PATH',
    ),
    apiV3Key,
    platformPublicKeys,
  };
  const baseUrl = env.optional('FANLI_WECHATPAY_BASE_URL');
  if (baseUrl) config.baseUrl = baseUrl;
  const timeoutMs = env.timeoutMs('FANLI_WECHATPAY_TIMEOUT_MS');
  if (timeoutMs) config.timeoutMs = timeoutMs;
  const sceneId = env.optional('FANLI_WECHATPAY_TRANSFER_SCENE_ID');
  if (sceneId) config.transferSceneId = sceneId;
  return config;
}

function alipayFromEnv(env: EnvReader): AlipayConfig {
  const certPath = env.optional('FANLI_ALIPAY_PUBLIC_CERT_PATH');
  const alipayPublicKey = certPath
    ? loadPublicKey(env.file('FANLI_ALIPAY_PUBLIC_CERT_PATH'), 'FANLI_ALIPAY_PUBLIC_CERT_PATH')
    : loadPublicKey(env.file('FANLI_ALIPAY_PUBLIC_KEY_PATH'), 'FANLI_ALIPAY_PUBLIC_KEY_PATH');
  const config: AlipayConfig = {
    appId: env.required('FANLI_ALIPAY_APP_ID'),
    appPrivateKey: loadPrivateKey(
      env.file('FANLI_ALIPAY_PRIVATE_KEY_PATH'),
      'FANLI_ALIPAY_PRIVATE_KEY_PATH',
    ),
    alipayPublicKey,
  };
  const optional: Array<[keyof AlipayConfig, string]> = [
    ['sellerId', 'FANLI_ALIPAY_SELLER_ID'],
    ['gatewayUrl', 'FANLI_ALIPAY_GATEWAY_URL'],
    ['appCertSn', 'FANLI_ALIPAY_APP_CERT_SN'],
    ['alipayRootCertSn', 'FANLI_ALIPAY_ROOT_CERT_SN'],
  ];
  for (const [key, name] of optional) {
    const value = env.optional(name);
    if (value) (config as unknown as Record<string, string>)[key] = value;
  }
  const timeoutMs = env.timeoutMs('FANLI_ALIPAY_TIMEOUT_MS');
  if (timeoutMs) config.timeoutMs = timeoutMs;
  return config;
}
