import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { asRecord, failure, formatAlipayTime } from '../common.ts';
import { sendHttp } from '../http-client.ts';
import type { ProviderFailure } from '../provider.ts';
import { ALIPAY_DEFAULT_GATEWAY, ALIPAY_DEFAULT_TIMEOUT_MS, type AlipayConfig } from './config.ts';
import { topLevelRawMembers } from './raw-json.ts';
import { signRsa2, signingContent, verifyRsa2 } from './signing.ts';

export type AlipayApiResult = { ok: true; data: Record<string, unknown> } | ProviderFailure;

/** Business errors that mean "try again later, outcome unknown" rather than "no". */
const RETRYABLE_SUB_CODES = new Set(['ACQ.SYSTEM_ERROR', 'SYSTEM_ERROR', 'aop.ACQ.SYSTEM_ERROR']);
const NOT_FOUND_SUB_CODES = new Set(['ACQ.TRADE_NOT_EXIST', 'ORDER_NOT_EXIST', 'TRADE_NOT_EXIST']);

/** Signed calls to the Alipay open-API gateway, with response signature verification. */
export class AlipayClient {
  readonly privateKey: KeyObject;
  readonly alipayKey: KeyObject;
  readonly gatewayUrl: string;
  private readonly timeoutMs: number;
  readonly now: () => number;

  constructor(readonly config: AlipayConfig) {
    this.privateKey =
      typeof config.appPrivateKey === 'string'
        ? createPrivateKey(config.appPrivateKey)
        : config.appPrivateKey;
    this.alipayKey =
      typeof config.alipayPublicKey === 'string'
        ? createPublicKey(config.alipayPublicKey)
        : config.alipayPublicKey;
    this.gatewayUrl = config.gatewayUrl ?? ALIPAY_DEFAULT_GATEWAY;
    this.timeoutMs = config.timeoutMs ?? ALIPAY_DEFAULT_TIMEOUT_MS;
    this.now = config.now ?? Date.now;
  }

  /** All request parameters including `sign`. */
  signedParams(
    method: string,
    bizContent: object,
    extra: Record<string, string> = {},
  ): Record<string, string> {
    const params: Record<string, string> = {
      app_id: this.config.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: formatAlipayTime(new Date(this.now())),
      version: '1.0',
      biz_content: JSON.stringify(bizContent),
      ...extra,
    };
    if (this.config.appCertSn) params['app_cert_sn'] = this.config.appCertSn;
    if (this.config.alipayRootCertSn) params['alipay_root_cert_sn'] = this.config.alipayRootCertSn;
    params['sign'] = signRsa2(this.privateKey, signingContent(params, ['sign']));
    return params;
  }

  /** A browser URL for page / wap pay: the shopper's browser calls the gateway, not us. */
  pageUrl(method: string, bizContent: object, extra: Record<string, string>): string {
    const query = new URLSearchParams(this.signedParams(method, bizContent, extra)).toString();
    return `${this.gatewayUrl}?${query}`;
  }

  async call(method: string, bizContent: object): Promise<AlipayApiResult> {
    const params = this.signedParams(method, bizContent);
    const sent = await sendHttp({
      method: 'POST',
      url: `${this.gatewayUrl}?charset=utf-8`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
        accept: 'application/json',
      },
      body: new URLSearchParams(params).toString(),
      timeoutMs: this.timeoutMs,
    });
    if (!sent.ok) return sent;
    const { status, bodyText } = sent.response;
    if (status >= 500)
      return failure('PROVIDER_ERROR', `alipay answered HTTP ${status}`, { httpStatus: status });

    const members = topLevelRawMembers(bodyText);
    const nodeName = `${method.replaceAll('.', '_')}_response`;
    const rawNode = members?.get(nodeName) ?? members?.get('error_response');
    const rawSign = members?.get('sign');
    if (!members || rawNode === undefined)
      return failure('PROVIDER_ERROR', 'unreadable alipay answer', { httpStatus: status });
    // An unsigned or badly signed answer is "outcome unknown", never a verdict we act on.
    let sign: unknown;
    try {
      sign = rawSign === undefined ? undefined : JSON.parse(rawSign);
    } catch {
      sign = undefined;
    }
    if (typeof sign !== 'string' || !verifyRsa2(this.alipayKey, rawNode, sign)) {
      return failure('PROVIDER_ERROR', 'alipay answer not trusted: missing or bad signature', {
        providerCode: 'RESPONSE_SIGNATURE_INVALID',
        httpStatus: status,
      });
    }
    let data: Record<string, unknown> | undefined;
    try {
      data = asRecord(JSON.parse(rawNode));
    } catch {
      data = undefined;
    }
    if (!data) return failure('PROVIDER_ERROR', 'unreadable alipay response node');
    const code = String(data['code'] ?? '');
    if (code === '10000') return { ok: true, data };
    const subCode = typeof data['sub_code'] === 'string' ? data['sub_code'] : undefined;
    const message = String(data['sub_msg'] ?? data['msg'] ?? `alipay code ${code}`);
    const providerCode = subCode ?? code;
    // 20000: service temporarily unavailable — Alipay's own advice is to retry / query.
    if (code === '20000' || (subCode && RETRYABLE_SUB_CODES.has(subCode))) {
      return failure('PROVIDER_ERROR', message, { providerCode });
    }
    if (subCode && NOT_FOUND_SUB_CODES.has(subCode))
      return failure('PROVIDER_NOT_FOUND', message, { providerCode });
    return failure('PROVIDER_REJECTED', message, { providerCode, retryable: false });
  }
}
