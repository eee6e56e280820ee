/**
 * The languages the printable report speaks and its message catalogues (one JSON file each, with
 * the same keys: a test holds them to it). The choice: the `lang` asked for, else the best of the
 * Accept-Language header (RFC 9110 §12.5.4), else Simplified Chinese, the platform's own language.
 */
import { invalidInput } from '../../shared/errors.ts';
import en from './messages/en.json' with { type: 'json' };
import fr from './messages/fr.json' with { type: 'json' };
import zhCN from './messages/zh-CN.json' with { type: 'json' };

export const REPORT_LANGUAGES = ['en', 'zh-CN', 'fr'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
export const DEFAULT_REPORT_LANGUAGE: ReportLanguage = 'zh-CN';

export type MessageKey = keyof typeof en;
export const MESSAGES: Readonly<Record<ReportLanguage, Readonly<Record<string, string>>>> = {
  en,
  'zh-CN': zhCN,
  fr,
};

/** A supported language for a tag (`zh`, `zh-Hans-CN`, `fr-CA`, `en-GB` …), or undefined. */
const languageOf = (tag: string): ReportLanguage | undefined => {
  const primary = tag.trim().toLowerCase().split('-')[0];
  if (primary === 'zh') return 'zh-CN';
  if (primary === 'fr') return 'fr';
  if (primary === 'en') return 'en';
  return undefined;
};

export const chooseLanguage = (lang?: string, acceptLanguage?: string): ReportLanguage => {
  if (lang !== undefined && lang !== '') {
    const l = languageOf(lang);
    if (!l)
      throw invalidInput(`no report in "${lang}": choose one of ${REPORT_LANGUAGES.join(', ')}`, [
        { field: 'lang', message: `expected ${REPORT_LANGUAGES.join('|')}` },
      ]);
    return l;
  }
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag !== '' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const l = languageOf(tag);
    if (l) return l;
  }
  return DEFAULT_REPORT_LANGUAGE;
};
