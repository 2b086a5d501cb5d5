import { describe, expect, it } from 'vitest';
import { defaultSettings } from '@fanli/engine';
import { under, type SettingsPath } from './paths.ts';
import { getIn, setIn } from './types.ts';

// The console's typecheck runs over this file: each `@ts-expect-error` below fails the
// typecheck once the path it marks stops being an error, i.e. once a typo would pass.
describe('rules editor field paths', () => {
  it('names real fields of the settings document, and a typo does not compile', () => {
    const good: SettingsPath[] = [
      'settleAfterDays',
      'queueRebate.extractPct',
      'queueRebate.lottery.minPct',
      'queueRebate.products.12.spendTiers.0.days',
      'members.levels[1].minGrowth',
      'referral.reward.fixedFen',
    ];
    // @ts-expect-error misspelt key
    const typo: SettingsPath = 'queueRebate.extractPtc';
    // @ts-expect-error misspelt key inside a list item
    const typoInList: SettingsPath = 'members.levels[0].minGrowht';
    // @ts-expect-error a key of another part of the document
    const wrongPart: SettingsPath = 'commission.extractPct';
    expect(good).toHaveLength(6);
    expect([typo, typoInList, wrongPart]).toHaveLength(3);
  });

  it('reads and writes the field a path names', () => {
    const s = defaultSettings();
    const path = under('queueRebate.exchangeRate', 'pointsPerYuan');
    expect(path).toBe('queueRebate.exchangeRate.pointsPerYuan');
    expect(getIn(setIn(s, path, 2.5), path)).toBe(2.5);
    expect(getIn(s, 'queueRebate.extractPct')).toBe(65);
  });
});
