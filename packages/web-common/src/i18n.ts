import i18n, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

export type Lang = 'zh-CN' | 'en-US';

/**
 * Sets up the one i18next instance of an app: zh-CN by default, the user's choice kept
 * in localStorage under `storageKey`. Returns the function that switches language.
 */
export function setupI18n(storageKey: string, resources: Resource): (lang: Lang) => void {
  let initial: Lang = 'zh-CN';
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved === 'zh-CN' || saved === 'en-US') initial = saved;
  } catch {
    // storage may be blocked; zh-CN is the default
  }
  void i18n.use(initReactI18next).init({
    resources,
    lng: initial,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  document.documentElement.lang = i18n.language;
  return (lang: Lang) => {
    try {
      localStorage.setItem(storageKey, lang);
    } catch {
      // not remembered, still switched
    }
    document.documentElement.lang = lang;
    void i18n.changeLanguage(lang);
  };
}

export default i18n;
