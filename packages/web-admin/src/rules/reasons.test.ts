import { describe, expect, it } from 'vitest';
import { createInstance } from 'i18next';
import { SETTING_ERROR_CODES, SETTING_ERROR_MESSAGES } from '@fanli/engine';
import { ApiError } from '../api.ts';
import zhCN from '../locales/zh-CN.ts';
import enUS from '../locales/en-US.ts';
import { problemsByField, reasonText } from './reasons.ts';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = createInstance();
  await i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } },
    lng,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
  return i18n.t;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);

describe('the console words settings errors by their code', () => {
  it('has a zh-CN and an en-US text for every code the engine can emit', () => {
    for (const code of SETTING_ERROR_CODES) {
      // the server's English lists each parameter; the console may use fewer, never others
      const known = placeholders(SETTING_ERROR_MESSAGES.en[code]);
      for (const [lang, table] of [
        ['zh-CN', zhCN.rules.reason],
        ['en-US', enUS.rules.reason],
      ] as const) {
        const text = (table as Record<string, string | undefined>)[code];
        expect(text, `${lang} has no text for ${code}`).toMatch(/\S/);
        for (const name of placeholders(text!)) expect(known, `${lang} ${code}`).toContain(name);
      }
    }
  });

  it('shows the depth-3 refusal in the reader’s language, parameters filled in', async () => {
    const depth = {
      field: 'commission.depth',
      code: 'commissionDepth',
      params: {},
      reason: 'must be 1 or 2',
    };
    const range = {
      field: 'settleAfterDays',
      code: 'integerRange',
      params: { min: 0, max: 3650 },
      reason: 'must be an integer from 0 to 3650',
    };
    const zh = await translator('zh-CN');
    expect(reasonText(zh, depth)).toBe('只能是 1 或 2（最多两级分销）');
    expect(reasonText(zh, range)).toBe('请填 0 到 3650 之间的整数');
    const en = await translator('en-US');
    expect(reasonText(en, depth)).toBe('must be 1 or 2 (two levels at most)');
    expect(reasonText(en, range)).toBe('must be a whole number from 0 to 3650');
  });

  it('lists a refused document by field, and shows a code it does not know as the server said', async () => {
    const zh = await translator('zh-CN');
    const refused = new ApiError(400, 'VALIDATION_FAILED', '请求参数不正确', {
      fields: [
        { field: 'queueRebate.queue', code: 'oneOf', params: { options: ['mall', 'product'] } },
        { field: 'queueRebate.foo', code: 'unknownField', params: {}, reason: 'unknown field' },
        { field: 'queueRebate.foo', code: 'fromTheFuture', reason: 'x', message: '新的原因' },
      ],
    });
    expect(problemsByField(zh, refused)).toEqual({
      'queueRebate.queue': '只能是 "mall", "product" 之一',
      'queueRebate.foo': '不认识的设置项; 新的原因',
    });
    expect(problemsByField(zh, new Error('offline'))).toBeNull();
  });
});
