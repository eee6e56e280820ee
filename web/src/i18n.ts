/**
 * Languages: Simplified Chinese, English and French with i18next. The choice is remembered in
 * localStorage; the first visit follows the browser's language. Each area (public lookup, citizen
 * portal, operator console) brings its own namespace when its code loads, so the first page ships
 * only the strings it shows.
 */
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import enCommon from './locales/en/common.json';
import enPublic from './locales/en/public.json';
import frCommon from './locales/fr/common.json';
import frPublic from './locales/fr/public.json';
import zhCommon from './locales/zh/common.json';
import zhPublic from './locales/zh/public.json';

export const LANGUAGES = [
  { code: 'zh', name: '中文', html: 'zh-CN' },
  { code: 'en', name: 'English', html: 'en' },
  { code: 'fr', name: 'Français', html: 'fr' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

type Bundle = Record<string, unknown>;

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      zh: { common: zhCommon, public: zhPublic },
      en: { common: enCommon, public: enPublic },
      fr: { common: frCommon, public: frPublic },
    },
    supportedLngs: LANGUAGES.map((l) => l.code),
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'zh',
    defaultNS: 'common',
    ns: ['common', 'public'],
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: 'credence.lang',
      caches: ['localStorage'],
    },
  });

const syncHtmlLang = (lng: string) => {
  const l = LANGUAGES.find((x) => lng.startsWith(x.code));
  document.documentElement.lang = l?.html ?? 'zh-CN';
};
syncHtmlLang(i18n.language);
i18n.on('languageChanged', syncHtmlLang);

/** Adds an area's strings (one namespace, three languages) when the area's code loads. */
export const addNamespace = (ns: string, bundles: Record<Language, Bundle>) => {
  for (const [lng, bundle] of Object.entries(bundles)) i18n.addResourceBundle(lng, ns, bundle, true, true);
};

export default i18n;
