import { describe, expect, it } from 'vitest';
import { defaultSettings, settingPartDefaults } from './defaults.ts';
import { validateSettings } from './validate.ts';

describe('the values an optional part starts from', () => {
  const part = settingPartDefaults();
  /** The defaults as a document: store and cashier overrides are written inside `stores`/`cashiers`. */
  const document = () => {
    const {
      storeOverrides: _s,
      cashierOverrides: _c,
      ...queueRebate
    } = defaultSettings().queueRebate;
    return { ...defaultSettings(), queueRebate };
  };
  const withQueue = (queueRebate: Record<string, unknown>) => {
    const d = document();
    return { ...d, queueRebate: { ...d.queueRebate, ...queueRebate } };
  };
  const cases: [string, unknown][] = [
    ['pool', withQueue({ pool: part.pool })],
    ['opening hours', withQueue({ hours: part.hours })],
    ['random return', withQueue({ randomReturn: part.randomReturn })],
    ['lottery list', withQueue({ lottery: part.lotteryList })],
    ['lottery range', withQueue({ lottery: part.lotteryRange })],
    ['spend tier', withQueue({ products: { '1': { spendTiers: [part.spendTier] } } })],
    ...(Object.entries(part.referralAmount) as [string, number][]).map(
      ([kind, amount]): [string, unknown] => {
        const d = document();
        const form = kind === 'points' ? 'points' : 'cash';
        return [
          `referral ${kind}`,
          { ...d, referral: { ...d.referral, reward: { form, [kind]: amount } } },
        ];
      },
    ),
  ];

  it.each(cases)('%s: switched on as it starts, the settings are valid', (_, doc) => {
    expect(validateSettings(doc).ok).toBe(true);
  });

  it('gives a fresh object each call, so an editor may change what it got', () => {
    const a = settingPartDefaults();
    a.hours.from = '08:00';
    expect(settingPartDefaults().hours.from).toBe('10:00');
  });
});
