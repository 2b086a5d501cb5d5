import { describe, expect, it } from 'vitest';
import { rsaKeyPair } from './testing/keys.ts';
import { createPaymentProvider, paymentConfigFromEnv } from './index.ts';

const merchant = rsaKeyPair();
const platform = rsaKeyPair();
const files: Record<string, string> = {
  '/keys/apiclient_key.pem': merchant.privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString(),
  '/keys/pub_key.pem': platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  // Alipay's key tool prints bare base64, without PEM headers.
  '/keys/alipay_public.txt': platform.publicKey
    .export({ type: 'spki', format: 'der' })
    .toString('base64'),
  '/keys/app_private.txt': merchant.privateKey
    .export({ type: 'pkcs1', format: 'der' })
    .toString('base64'),
};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error('ENOENT');
  return text;
};

describe('payment configuration', () => {
  it('defaults to the sandbox', () => {
    expect(createPaymentProvider().name).toBe('sandbox');
    const env = paymentConfigFromEnv({}, readFile);
    expect(env).toMatchObject({ ok: true, configs: [{ provider: 'sandbox' }] });
  });

  it('reads WeChat Pay and Alipay settings, including bare base64 keys', () => {
    const env = paymentConfigFromEnv(
      {
        FANLI_PAYMENT_PROVIDERS: 'wechatpay, alipay',
        FANLI_WECHATPAY_MCHID: '1900000109',
        FANLI_WECHATPAY_APPID: 'wxd678efh567hg6787',
        FANLI_WECHATPAY_MERCHANT_SERIAL: '5157f09efdc096de',
        FANLI_WECHATPAY_PRIVATE_KEY_PATH: '/keys/apiclient_key.pem',
        FANLI_WECHATPAY_APIV3_KEY: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
        FANLI_WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000001092024',
        FANLI_WECHATPAY_PUBLIC_KEY_PATH: '/keys/pub_key.pem',
        FANLI_ALIPAY_APP_ID: '2021000000000001',
        FANLI_ALIPAY_PRIVATE_KEY_PATH: '/keys/app_private.txt',
        FANLI_ALIPAY_PUBLIC_KEY_PATH: '/keys/alipay_public.txt',
        FANLI_ALIPAY_SELLER_ID: '2088101122136241',
      },
      readFile,
    );
    if (!env.ok) throw new Error(env.error);
    expect(env.configs.map((c) => c.provider)).toEqual(['wechatpay', 'alipay']);
    expect(env.configs.map((c) => createPaymentProvider(c).name)).toEqual(['wechatpay', 'alipay']);
  });

  it('names the variable that is missing or wrong', () => {
    expect(paymentConfigFromEnv({ FANLI_PAYMENT_PROVIDERS: 'paypal' }, readFile)).toEqual({
      ok: false,
      error: 'FANLI_PAYMENT_PROVIDERS: unknown provider "paypal"',
    });
    expect(
      paymentConfigFromEnv(
        { FANLI_PAYMENT_PROVIDERS: 'wechatpay', FANLI_WECHATPAY_APIV3_KEY: 'short' },
        readFile,
      ),
    ).toEqual({
      ok: false,
      error: 'FANLI_WECHATPAY_APIV3_KEY: must be 32 characters',
    });
    const missingFile = paymentConfigFromEnv(
      {
        FANLI_PAYMENT_PROVIDERS: 'alipay',
        FANLI_ALIPAY_APP_ID: '1',
        FANLI_ALIPAY_PUBLIC_KEY_PATH: '/nope',
      },
      readFile,
    );
    expect(missingFile).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^FANLI_ALIPAY_PUBLIC_KEY_PATH: cannot read \/nope/),
    });
  });
});
