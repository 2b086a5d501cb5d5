/**
 * Yuan ↔ fen conversions done on strings, never through floats: `parseFloat('0.29') * 100`
 * is 28.999999999999996, and a notification that says "0.29" must mean exactly 29 fen.
 */

const YUAN_PATTERN = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

/**
 * Parses a non-negative decimal yuan string ("88.88", "0.5", "100") into integer fen.
 * Returns null for anything else — more than 2 decimals, signs, exponents, spaces — so a
 * malformed provider amount is rejected rather than rounded.
 * @example parseYuanToFen('88.08') // 8808
 */
export function parseYuanToFen(yuan: string): number | null {
  const match = YUAN_PATTERN.exec(yuan);
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  // Built as a digit string so no float multiplication is involved.
  const fen = Number(`${whole}${fraction}`);
  return Number.isSafeInteger(fen) ? fen : null;
}

/**
 * Formats integer fen as the two-decimal yuan string Alipay expects ("0.05", "123.40").
 * Throws on a non-integer: passing a float here is a programming error, not a user error.
 * @example formatFenAsYuan(8808) // '88.08'
 */
export function formatFenAsYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw new RangeError(`formatFenAsYuan: expected a non-negative safe integer, got ${fen}`);
  }
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** True for an amount a provider can charge: a positive safe integer of fen. */
export function isPositiveFen(fen: number): boolean {
  return Number.isSafeInteger(fen) && fen > 0;
}
