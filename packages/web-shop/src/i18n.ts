import { setupI18n, type Lang } from '@fanli/web-common/i18n.ts';
import zhCN from './locales/zh-CN.ts';
import enUS from './locales/en-US.ts';

export type { Lang };
export const setLang = setupI18n('fanli.lang', {
  'zh-CN': { translation: zhCN },
  'en-US': { translation: enUS },
});
export { default } from '@fanli/web-common/i18n.ts';
