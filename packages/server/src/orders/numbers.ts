import { randomInt } from 'node:crypto';

/** Beijing-time date and time digits: orders read naturally to staff in China. */
function beijingStamp(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

/** e.g. `2026030110001234567890`: 14 digits of time + 8 random digits (22 chars). */
export function newOrderNo(at: Date): string {
  return `${beijingStamp(at)}${digits(8)}`;
}

/** A payment attempt of an order: `<orderNo>P<n>` — valid for every provider (≤ 32 chars). */
export const outTradeNoFor = (orderNo: string, attempt: number) => `${orderNo}P${attempt}`;

/** The refund of one after-sale request: `<orderNo>R<id>`, fixed before the provider is called. */
export const outRefundNoFor = (orderNo: string, afterSaleId: number) => `${orderNo}R${afterSaleId}`;

/** The automatic full refund of a payment that arrived after its order closed. */
export const orphanRefundNoFor = (outTradeNo: string) => `${outTradeNo}X`;

/** A withdrawal's payout bill number: `WD` + time + random (24 chars). */
export function newOutBillNo(at: Date): string {
  return `WD${beijingStamp(at)}${digits(8)}`;
}
