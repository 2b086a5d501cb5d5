/** Latency figures of one set of samples (milliseconds). */
export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles; an empty set gives zeros. */
export function summarize(samples: readonly number[]): LatencySummary {
  const n = samples.length;
  if (n === 0) return { n: 0, p50: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { n, p50: at(0.5), p99: at(0.99), max: sorted[n - 1]!, mean: sum / n };
}

export const fmt = (v: number, digits = 0) =>
  v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
