import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.ts';
import { chooseLanguage, MESSAGES, REPORT_LANGUAGES } from './lang.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('report messages', () => {
  it('have the same keys in English, Simplified Chinese and French, none empty', () => {
    const keys = Object.keys(MESSAGES.en).sort();
    for (const lang of REPORT_LANGUAGES) {
      expect(Object.keys(MESSAGES[lang]).sort(), lang).toEqual(keys);
      for (const k of keys) expect(MESSAGES[lang][k]!.trim(), `${lang} ${k}`).not.toBe('');
    }
  });

  it('use the same placeholders for each key in every language', () => {
    for (const k of Object.keys(MESSAGES.en))
      for (const lang of REPORT_LANGUAGES)
        expect(placeholders(MESSAGES[lang][k]!), `${lang} ${k}`).toEqual(placeholders(MESSAGES.en[k]!));
  });
});

describe('chooseLanguage', () => {
  it('takes lang, else the best Accept-Language, else Simplified Chinese', () => {
    expect(chooseLanguage('fr', 'en')).toBe('fr');
    expect(chooseLanguage('zh', undefined)).toBe('zh-CN');
    expect(chooseLanguage(undefined, 'de-DE, en-GB;q=0.7, fr;q=0.9')).toBe('fr');
    expect(chooseLanguage(undefined, 'zh-Hans-CN,zh;q=0.9')).toBe('zh-CN');
    expect(chooseLanguage(undefined, 'fr;q=0, en;q=0.1')).toBe('en');
    expect(chooseLanguage(undefined, 'de, ja')).toBe('zh-CN');
    expect(chooseLanguage(undefined, undefined)).toBe('zh-CN');
    expect(() => chooseLanguage('de')).toThrow(/en, zh-CN, fr/);
  });
});

describe('escapeHtml', () => {
  it('escapes what could open a tag or leave an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
    expect(escapeHtml(null)).toBe('');
  });
});
