/**
 * Dates for the screen, in the shopper's local time. One small formatter instead of a
 * date library: the shop only ever shows "2026-01-31", "2026-01-31 09:05" and "09:05".
 */
const pad = (n: number) => String(n).padStart(2, '0');

function parse(value: string | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(value: string | Date): string {
  const d = parse(value);
  if (!d) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatTime(value: string | Date): string {
  const d = parse(value);
  if (!d) return '';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDateTime(value: string | Date): string {
  const d = parse(value);
  return d ? `${formatDate(d)} ${formatTime(d)}` : '';
}
