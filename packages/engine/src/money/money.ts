/**
 * Money rules (docs/models/ledger-and-money.md): amounts are integer fen, percentages have at most 2 decimals,
 * `x × pct%` is rounded down to the fen, splits always add up to the whole.
 *
 * Percentages travel through the engine as **hundredths** (`pctH`, 130 % → 13000,
 * 10.5 % → 1050) so no float ever touches money.
 */

/** Largest amount we accept anywhere (≈ 90 trillion yuan); keeps products inside 2^53 via BigInt anyway. */
export const MAX_FEN = Number.MAX_SAFE_INTEGER;

/**
 * Convert a decimal with at most `decimals` places to an integer scaled by 10^decimals,
 * reading its shortest decimal representation so `0.07` never becomes `7.000000000000001`.
 * Returns `null` when the number has more places, is not finite or is negative.
 *
 * @example toScaled(10.5, 2) // 1050
 * @example toScaled(0.05, 2) // 5
 * @example toScaled(1.234, 2) // null
 */
export function toScaled(value: number, decimals: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const text = String(value);
  if (/e/i.test(text)) {
    // Exponent form only appears for very small or huge numbers; accept only exact integers.
    return Number.isSafeInteger(value) ? value * 10 ** decimals : null;
  }
  const [whole = '0', frac = ''] = text.split('.');
  if (frac.length > decimals) return null;
  const scaled = Number(whole + frac.padEnd(decimals, '0'));
  return Number.isSafeInteger(scaled) ? scaled : null;
}

/**
 * A percentage as integer hundredths. Throws on an invalid pct: settings are validated
 * at the edge, so reaching this with a bad value is a bug.
 *
 * @example pctToHundredths(130) // 13000
 * @example pctToHundredths(10.5) // 1050
 */
export function pctToHundredths(pct: number): number {
  const h = toScaled(pct, 2);
  if (h === null) throw new RangeError(`invalid percentage ${pct}`);
  return h;
}

/**
 * `floor(amountFen × pctH / 10000)` computed exactly (BigInt when the product could
 * exceed 2^53). THE rounding rule of the engine: the remainder stays with the merchant.
 *
 * @example pctHOfFen(16800, 13000) // 21840  (168.00 × 130 %)
 * @example pctHOfFen(999, 1050) // 104      (9.99 × 10.5 % = 1.04895 → 1.04)
 */
export function pctHOfFen(amountFen: number, pctH: number): number {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0)
    throw new RangeError(`invalid amount ${amountFen}`);
  if (!Number.isSafeInteger(pctH) || pctH < 0)
    throw new RangeError(`invalid pct hundredths ${pctH}`);
  const product = amountFen * pctH;
  if (Number.isSafeInteger(product)) return Math.floor(product / 10000);
  return Number((BigInt(amountFen) * BigInt(pctH)) / 10000n);
}

/**
 * `floor(amountFen × pct / 100)` for a pct with at most 2 decimals — the one rounding
 * function of docs/models/ledger-and-money.md.
 *
 * @example pctOfFen(16800, 130) // 21840
 * @example pctOfFen(16800, 65) // 10920
 * @example pctOfFen(10000, 10) // 1000
 */
export function pctOfFen(amountFen: number, pct: number): number {
  return pctHOfFen(amountFen, pctToHundredths(pct));
}

/**
 * `floor(amountFen × rate / 100)` where `rate` is "units per yuan" with at most 4
 * decimals (cashback points per yuan, exchange points per yuan).
 *
 * @example unitsPerYuanOfFen(15000, 0.05) // 7  (150.00 yuan × 0.05 = 7.5 → 7 points)
 * @example unitsPerYuanOfFen(21840, 1) // 218
 */
export function unitsPerYuanOfFen(amountFen: number, ratePerYuan: number): number {
  const scaled = toScaled(ratePerYuan, 4);
  if (scaled === null) throw new RangeError(`invalid rate ${ratePerYuan}`);
  return Number((BigInt(amountFen) * BigInt(scaled)) / 1_000_000n);
}

/**
 * Split `totalFen` in proportion to `weights` so the parts always add up to the total:
 * each part gets the floor of its exact share, then the leftover fen go one by one to
 * the largest remainders (ties: the earlier index). All-zero weights split evenly.
 *
 * @example prorateFen(100, [1, 1, 1]) // [34, 33, 33]
 * @example prorateFen(16800, [10000, 6800]) // [10000, 6800]
 */
export function prorateFen(totalFen: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalFen) || totalFen < 0)
    throw new RangeError(`invalid total ${totalFen}`);
  if (weights.length === 0) {
    if (totalFen === 0) return [];
    throw new RangeError('cannot prorate a non-zero amount over no weights');
  }
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`invalid weight ${w}`);
  }
  let sumW = 0n;
  for (const w of weights) sumW += BigInt(w);
  const effective = sumW === 0n ? weights.map(() => 1) : weights;
  const sum = sumW === 0n ? BigInt(weights.length) : sumW;
  const total = BigInt(totalFen);
  const parts: number[] = [];
  const remainders: { index: number; rem: bigint }[] = [];
  let allocated = 0n;
  effective.forEach((w, index) => {
    const exact = total * BigInt(w);
    const part = exact / sum;
    parts.push(Number(part));
    allocated += part;
    remainders.push({ index, rem: exact % sum });
  });
  let left = Number(total - allocated);
  remainders.sort((a, b) => (a.rem === b.rem ? a.index - b.index : a.rem > b.rem ? -1 : 1));
  for (let i = 0; left > 0; i++, left--) {
    const r = remainders[i % remainders.length];
    if (r) parts[r.index] = (parts[r.index] ?? 0) + 1;
  }
  return parts;
}
