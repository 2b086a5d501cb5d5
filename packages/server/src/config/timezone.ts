/**
 * Local time zone of the shop: day boundaries for limits, clearing, pool days, points
 * expiry and time windows. `loadConfig` checks FANLI_TIMEZONE at start, so a typo stops
 * the server before the first order.
 */
export const SHOP_TIMEZONE = process.env.FANLI_TIMEZONE || 'Asia/Shanghai';
