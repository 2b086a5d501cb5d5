import type { KeyObject } from 'node:crypto';

export interface WechatPayConfig {
  /** 商户号 (FANLI_WECHATPAY_MCHID). */
  mchid: string;
  /** The AppID the payments are made under: 公众号 / 小程序 / 移动应用 (FANLI_WECHATPAY_APPID). */
  appid: string;
  /** Serial number of the merchant API certificate (FANLI_WECHATPAY_MERCHANT_SERIAL). */
  merchantSerialNo: string;
  /** apiclient_key.pem, PEM text or a KeyObject (FANLI_WECHATPAY_PRIVATE_KEY_PATH). */
  merchantPrivateKey: KeyObject | string;
  /** The 32-character APIv3 key, used to decrypt notification resources (FANLI_WECHATPAY_APIV3_KEY). */
  apiV3Key: string;
  /**
   * Keys WeChat Pay signs with, by the value it puts in Wechatpay-Serial: the WeChat Pay
   * public key id (`PUB_KEY_ID_…`) and/or platform certificate serials. Anything else is refused.
   */
  platformPublicKeys: Record<string, KeyObject | string>;
  /** Defaults to https://api.mch.weixin.qq.com. */
  baseUrl?: string;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** 商家转账 scene: 1000 现金营销 by default; its report infos must match the scene. */
  transferSceneId?: string;
  transferSceneReportInfos?: ReadonlyArray<{ infoType: string; infoContent: string }>;
  now?: () => number;
}

export const WECHATPAY_DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com';
export const WECHATPAY_DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_TRANSFER_SCENE_ID = '1000';
/** Scene 1000 (现金营销) requires 活动名称 and 奖励说明. */
export const DEFAULT_TRANSFER_REPORT_INFOS = [
  { infoType: '活动名称', infoContent: '消费返利' },
  { infoType: '奖励说明', infoContent: '返利余额提现' },
] as const;
