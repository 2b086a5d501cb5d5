import { createPrivateKey, type KeyObject } from 'node:crypto';
import { failure, makeNonce } from '../common.ts';
import { sendHttp } from '../http-client.ts';
import type { ProviderFailure } from '../provider.ts';
import {
  WECHATPAY_DEFAULT_BASE_URL,
  WECHATPAY_DEFAULT_TIMEOUT_MS,
  type WechatPayConfig,
} from './config.ts';
import { PlatformKeys, buildAuthorization, checkWechatpaySignature } from './signing.ts';

export type WechatApiResult =
  { ok: true; status: number; data: Record<string, unknown> } | ProviderFailure;

/**
 * Signed calls to the WeChat Pay v3 API. Every answer we act on — success or business
 * error — must carry a valid WeChat Pay signature; an unsigned or badly signed answer is
 * treated as "outcome unknown" (retryable), never as a verdict, because acting on a
 * forged "failed" for a transfer could pay a user twice.
 */
export class WechatPayClient {
  readonly privateKey: KeyObject;
  readonly keys: PlatformKeys;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  readonly now: () => number;

  constructor(readonly config: WechatPayConfig) {
    this.privateKey =
      typeof config.merchantPrivateKey === 'string'
        ? createPrivateKey(config.merchantPrivateKey)
        : config.merchantPrivateKey;
    this.keys = new PlatformKeys(config.platformPublicKeys);
    if (Buffer.byteLength(config.apiV3Key, 'utf8') !== 32)
      throw new Error('wechatpay: the APIv3 key must be 32 bytes');
    this.baseUrl = (config.baseUrl ?? WECHATPAY_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = config.timeoutMs ?? WECHATPAY_DEFAULT_TIMEOUT_MS;
    this.now = config.now ?? Date.now;
  }

  async call(
    method: 'GET' | 'POST',
    canonicalUrl: string,
    body?: object,
    extraHeaders: Record<string, string> = {},
  ): Promise<WechatApiResult> {
    const bodyText = body === undefined ? '' : JSON.stringify(body);
    const authorization = buildAuthorization({
      mchid: this.config.mchid,
      serialNo: this.config.merchantSerialNo,
      privateKey: this.privateKey,
      method,
      canonicalUrl,
      body: bodyText,
      timestampSec: String(Math.floor(this.now() / 1000)),
      nonce: makeNonce(),
    });
    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json',
      'user-agent': 'fanli-payments/0.1',
      ...extraHeaders,
    };
    const publicKeyId = this.keys.publicKeyId();
    if (publicKeyId && !headers['wechatpay-serial']) headers['wechatpay-serial'] = publicKeyId;
    if (body !== undefined) headers['content-type'] = 'application/json';

    const sent = await sendHttp({
      method,
      url: `${this.baseUrl}${canonicalUrl}`,
      headers,
      ...(body === undefined ? {} : { body: bodyText }),
      timeoutMs: this.timeoutMs,
    });
    if (!sent.ok) return sent;
    const { status, headers: resHeaders, bodyBytes, bodyText: resText } = sent.response;

    if (status >= 500 || status === 429) {
      return failure('PROVIDER_ERROR', `wechatpay answered HTTP ${status}`, {
        httpStatus: status,
        providerCode: errorCode(resText),
      });
    }
    const check = checkWechatpaySignature(this.keys, resHeaders, bodyBytes, this.now());
    if (!check.ok) {
      return failure('PROVIDER_ERROR', `wechatpay answer not trusted: ${check.reason}`, {
        httpStatus: status,
        providerCode: 'RESPONSE_SIGNATURE_INVALID',
      });
    }
    let data: Record<string, unknown> = {};
    if (resText !== '') {
      try {
        const parsed: unknown = JSON.parse(resText);
        if (typeof parsed === 'object' && parsed !== null) data = parsed as Record<string, unknown>;
      } catch {
        return failure('PROVIDER_ERROR', 'wechatpay answered with unreadable JSON', {
          httpStatus: status,
        });
      }
    }
    if (status >= 200 && status < 300) return { ok: true, status, data };
    const providerCode = typeof data['code'] === 'string' ? data['code'] : `HTTP_${status}`;
    const message = typeof data['message'] === 'string' ? data['message'] : `HTTP ${status}`;
    if (status === 404)
      return failure('PROVIDER_NOT_FOUND', message, { httpStatus: status, providerCode });
    return failure('PROVIDER_REJECTED', message, {
      httpStatus: status,
      providerCode,
      retryable: false,
    });
  }
}

function errorCode(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { code?: unknown }).code === 'string'
    ) {
      return (parsed as { code: string }).code;
    }
  } catch {
    // Not JSON: a load balancer page, for instance.
  }
  return undefined;
}
