/**
 * Money is an integer number of fen everywhere in Fanli. This is the one place that
 * turns fen into text; it never divides into a float (¥12.34 is built from 1234 by
 * integer arithmetic on the digits).
 */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) return '¥—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const cents = abs % 100;
  return `${sign}¥${yuan.toLocaleString('en-US')}.${String(cents).padStart(2, '0')}`;
}

/** Parses a yuan amount typed by a person ("12", "12.3", "12.34") into fen, or null. */
export function parseYuanToFen(text: string): number | null {
  const m = /^\s*(-)?(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}
