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
  CSRF_FAILED: {
    status: 403,
    zh: '安全校验失败，请刷新页面后重试',
    en: 'Security check failed; reload the page and try again',
  },
  RATE_LIMITED: {
    status: 429,
    zh: '操作过于频繁，请稍后再试',
    en: 'Too many attempts; please try again later',
  },
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    zh: '缺少 Idempotency-Key 请求头',
    en: 'The Idempotency-Key header is required',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    zh: '该 Idempotency-Key 已用于另一个请求',
    en: 'This Idempotency-Key was used for a different request',
  },
  // also the answer after too many attempts: it must not tell who has an account
  INVALID_CREDENTIALS: {
    status: 401,
    zh: '手机号或密码错误；连续失败 5 次需等待 15 分钟，或改用验证码登录',
    en: 'Wrong phone number or password; after 5 failures wait 15 minutes or sign in with a code',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用', en: 'This account is disabled' },
  PHONE_TAKEN: { status: 409, zh: '该手机号已注册', en: 'This phone number is already registered' },
  OTP_INVALID: {
    status: 400,
    zh: '验证码错误或已失效',
    en: 'The code is wrong or no longer valid',
  },
  PRIVACY_CONSENT_REQUIRED: {
    status: 400,
    zh: '请阅读并同意隐私政策',
    en: 'Please read and accept the privacy policy',
  },
  PRIVACY_VERSION_OUTDATED: {
    status: 409,
    zh: '隐私政策已更新，请重新阅读',
    en: 'The privacy policy has changed; please read it again',
  },
  REFERRAL_CODE_INVALID: { status: 400, zh: '邀请码无效', en: 'The referral code is not valid' },
  WEAK_PASSWORD: {
    status: 400,
    zh: '密码至少 8 位，且需包含字母和数字',
    en: 'A password needs at least 8 characters with letters and digits',
  },
  INSUFFICIENT_FUNDS: { status: 409, zh: '可用余额不足', en: 'Not enough available balance' },
  STORE_NOT_FOUND: { status: 404, zh: '门店不存在', en: 'Store not found' },
  CONFLICT: { status: 409, zh: '操作冲突，请重试', en: 'Conflicting operation; please retry' },
  // commerce: cart, checkout, orders, payments, after-sale, withdrawals, reviews
  SKU_NOT_AVAILABLE: {
    status: 409,
    zh: '商品已下架或规格不存在',
    en: 'This product or spec is not available',
  },
  OUT_OF_STOCK: { status: 409, zh: '库存不足', en: 'Not enough stock' },
  ADDRESS_REQUIRED: { status: 400, zh: '请选择收货地址', en: 'Please choose a shipping address' },
  ADDRESS_LIMIT_REACHED: {
    status: 409,
    zh: '收货地址最多 20 个，请删除不用的地址后再添加',
    en: 'You can keep at most 20 addresses; delete one you no longer use first',
  },
  CART_FULL: {
    status: 409,
    zh: '购物车最多 100 种商品，请先结算或删除部分商品',
    en: 'The cart holds at most 100 items; check out or remove some first',
  },
  COUPON_NOT_AVAILABLE: { status: 409, zh: '优惠券不可用', en: 'This coupon cannot be used' },
  ORDER_STATE_INVALID: {
    status: 409,
    zh: '订单当前状态不允许此操作',
    en: 'The order cannot do this in its current state',
  },
  ORDER_AFTER_SALE_OPEN: {
    status: 409,
    zh: '该订单有未处理完的售后申请，请先审核后再发货',
    en: 'This order has an open refund request; review it before shipping',
  },
  ORDER_FULLY_REFUNDED: {
    status: 409,
    zh: '该订单已全额退款，无需发货',
    en: 'This order was fully refunded; there is nothing to ship',
  },
  PAYMENT_PROVIDER_UNKNOWN: { status: 400, zh: '不支持的支付方式', en: 'Unknown payment method' },
  PAYMENT_FAILED: {
    status: 502,
    zh: '支付渠道暂时不可用，请稍后重试',
    en: 'The payment service is unavailable; please try again',
  },
  AFTER_SALE_QTY_EXCEEDED: {
    status: 409,
    zh: '申请数量超过可售后数量',
    en: 'More units than can still be returned or refunded',
  },
  AFTER_SALE_STATE_INVALID: {
    status: 409,
    zh: '售后单当前状态不允许此操作',
    en: 'The after-sale request cannot do this in its current state',
  },
  WITHDRAWAL_BELOW_MINIMUM: {
    status: 400,
    zh: '提现金额低于最低限额',
    en: 'The amount is below the minimum withdrawal',
  },
  WITHDRAWAL_ABOVE_MAXIMUM: {
    status: 400,
    zh: '提现金额超过单笔上限',
    en: 'The amount is above the maximum withdrawal',
  },
  WITHDRAWAL_STATE_INVALID: {
    status: 409,
    zh: '提现单当前状态不允许此操作',
    en: 'The withdrawal cannot do this in its current state',
  },
  REVIEW_NOT_ALLOWED: {
    status: 409,
    zh: '订单完成后才能评价',
    en: 'You can review once the order is completed',
  },
  REVIEW_EXISTS: { status: 409, zh: '该商品已评价', en: 'You have already reviewed this item' },
  LOTTERY_NOT_AVAILABLE: {
    status: 409,
    zh: '该排队记录不能抽奖（已抽过或已开始返利）',
    en: 'This queue entry cannot draw the lottery (already drawn or already receiving)',
  },
  QUEUE_ENTRY_NOT_WAITING: {
    status: 409,
    zh: '该排队记录已不在队列中',
    en: 'This queue entry is no longer waiting',
  },
  CHARGE_TAKEN: {
    status: 409,
    zh: '该收款码已被其他顾客使用',
    en: 'Another customer is already paying this charge',
  },
  CHARGE_EXPIRED: {
    status: 410,
    zh: '收款码已过期，请让收银员重新生成',
    en: 'This payment code has expired; ask the cashier for a new one',
  },
  INTERNAL: {
    status: 500,
    zh: '服务器开小差了，请稍后再试',
    en: 'Something went wrong on our side; please try again later',
  },
  // catalog administration
  CATEGORY_NOT_FOUND: { status: 404, zh: '分类不存在', en: 'Category not found' },
  CATEGORY_NOT_EMPTY: {
    status: 409,
    zh: '该分类下还有子分类或商品，不能删除',
    en: 'This category still has subcategories or products',
  },
  CATEGORY_CYCLE: {
    status: 409,
    zh: '不能把分类移动到它自己或它的子分类下',
    en: 'A category cannot be moved under itself or one of its subcategories',
  },
  SKU_SPEC_DUPLICATE: {
    status: 409,
    zh: '该商品已有相同规格的 SKU',
    en: 'This product already has a SKU with the same spec',
  },
  SKU_LAST_ONE: {
    status: 409,
    zh: '商品至少需要保留一个规格',
    en: 'A product needs at least one SKU',
  },
  STOCK_BELOW_ZERO: {
    status: 409,
    zh: '库存不足，调整后库存不能小于 0',
    en: 'Not enough stock: stock cannot go below zero',
  },
  UPLOAD_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '只支持 PNG、JPEG、WebP、GIF 图片',
    en: 'Only PNG, JPEG, WebP and GIF images are accepted',
  },
  UPLOAD_EMPTY: { status: 400, zh: '没有收到图片内容', en: 'No image data was received' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
