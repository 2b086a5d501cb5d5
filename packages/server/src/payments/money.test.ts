import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatFenAsYuan, parseYuanToFen } from './money.ts';

describe('yuan ↔ fen', () => {
  it('parses exact decimal strings', () => {
    expect(parseYuanToFen('0.29')).toBe(29);
    expect(parseYuanToFen('88.88')).toBe(8888);
    expect(parseYuanToFen('88.8')).toBe(8880);
    expect(parseYuanToFen('100')).toBe(10000);
    expect(parseYuanToFen('0.01')).toBe(1);
    expect(parseYuanToFen('1.10')).toBe(110);
  });

  it('rejects anything that is not a plain non-negative 2-decimal amount', () => {
    for (const bad of [
      '',
      '.5',
      '1.',
      '1.005',
      '-1.00',
      '+1',
      '1e2',
      ' 1.00',
      '01.00',
      '1,00',
      'NaN',
    ]) {
      expect(parseYuanToFen(bad), bad).toBeNull();
    }
  });

  it('formats fen with two decimals', () => {
    expect(formatFenAsYuan(0)).toBe('0.00');
    expect(formatFenAsYuan(5)).toBe('0.05');
    expect(formatFenAsYuan(29)).toBe('0.29');
    expect(formatFenAsYuan(12340)).toBe('123.40');
    expect(() => formatFenAsYuan(1.5)).toThrow(RangeError);
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(parseYuanToFen(formatFenAsYuan(fen))).toBe(fen);
      }),
    );
  });
});
