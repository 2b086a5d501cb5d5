/**
 * Every expected failure has a stable code, an HTTP status and a message in zh-CN and en.
 * Clients branch on `code`; people read `message` (chosen by Accept-Language).
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数不正确', en: 'The request is not valid' },
  BAD_REQUEST: { status: 400, zh: '请求无法处理', en: 'The request cannot be processed' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  NOT_FOUND: { status: 404, zh: '找不到该资源', en: 'Not found' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please sign in' },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'You are not allowed to do this' },
  CSRF_FAILED: { status: 403, zh: '安全校验失败，请刷新页面后重试', en: 'Security check failed; reload the page and try again' },
  RATE_LIMITED: { status: 429, zh: '操作过于频繁，请稍后再试', en: 'Too many attempts; please try again later' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, zh: '缺少 Idempotency-Key 请求头', en: 'The Idempotency-Key header is required' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, zh: '该 Idempotency-Key 已用于另一个请求', en: 'This Idempotency-Key was used for a different request' },
  INVALID_CREDENTIALS: { status: 401, zh: '手机号或密码错误', en: 'Wrong phone number or password' },
  ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，账号已暂时锁定', en: 'Too many failed sign-ins; the account is locked for a while' },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已注册', en: 'This phone number is already registered' },
  OTP_INVALID: { status: 400, zh: '验证码错误或已失效', en: 'The code is wrong or no longer valid' },
  PRIVACY_CONSENT_REQUIRED: { status: 400, zh: '请阅读并同意隐私政策', en: 'Please read and accept the privacy policy' },
  PRIVACY_VERSION_OUTDATED: { status: 409, zh: '隐私政策已更新，请重新阅读', en: 'The privacy policy has changed; please read it again' },
  REFERRAL_CODE_INVALID: { status: 400, zh: '邀请码无效', en: 'The referral code is not valid' },
  WEAK_PASSWORD: { status: 400, zh: '密码至少 8 位，且需包含字母和数字', en: 'A password needs at least 8 characters with letters and digits' },
  INSUFFICIENT_FUNDS: { status: 409, zh: '可用余额不足', en: 'Not enough available balance' },
  STORE_NOT_FOUND: { status: 404, zh: '门店不存在', en: 'Store not found' },
  CONFLICT: { status: 409, zh: '操作冲突，请重试', en: 'Conflicting operation; please retry' },
  INTERNAL: { status: 500, zh: '服务器开小差了，请稍后再试', en: 'Something went wrong on our side; please try again later' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
