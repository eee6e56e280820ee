/**
 * Pieces the public pages share: a list's name in the reader's language (the API gives the policy's
 * English name; the lists we know are translated in the `public` namespace), its black/red/focus tag,
 * a subject kind in words, a reason code in words, and the page title.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import './public.css';

/** The list's name in the chosen language; the API's own name for a list not translated here. */
export const useListName = () => {
  const { t } = useTranslation('public');
  // List codes are dotted (black.court_defaulters): with i18next's key separator they address the
  // nested `list_names` object directly.
  return (code: string, fallback?: string | null) =>
    t(`list_names.${code}`, { defaultValue: fallback ?? code });
};

/**
 * A list's legal basis in the chosen language. The policy states it in English (policies/lists.yaml);
 * the Chinese and French translations of the lists we ship are in the `public` namespace. Any other
 * text is shown as the API gives it, marked as English for screen readers.
 */
export const LegalBasis = ({ code, text }: { code: string; text: string }) => {
  const { t, i18n } = useTranslation('public');
  const key = `list_bases.${code}`;
  const translated = i18n.exists(key, { ns: 'public' }) && !i18n.language.startsWith('en');
  return translated ? (
    <span className="basis">{t(key)}</span>
  ) : (
    <span className="basis" lang="en">
      {text}
    </span>
  );
};

export const ListKindTag = ({ kind }: { kind: string }) => {
  const { t } = useTranslation('public');
  return (
    <span className={`tag ${kind === 'black' || kind === 'red' ? kind : ''}`}>
      {t(`list_kinds.${kind}`, { defaultValue: kind })}
    </span>
  );
};

export const SubjectKind = ({ kind }: { kind: string }) => {
  const { t } = useTranslation('public');
  return <>{t(`subject_kinds.${kind}`, { defaultValue: kind })}</>;
};

/** A list entry's reason code in words; the API's sentence (or the code) when we have none. */
export const useReason = () => {
  const { t } = useTranslation('public');
  return (code: string | null | undefined, fallback?: string | null) =>
    code ? t(`reasons.${code}`, { defaultValue: fallback || code }) : (fallback ?? '—');
};

/** Sets the document's title (the browser tab, and what a screen reader announces on navigation). */
export const useTitle = (title: string | undefined) => {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title ? `${title} · ${t('brand')}` : t('brand');
  }, [title, t]);
};

/** An integer in the chosen language's digits and grouping. */
export const useCount = () => {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language);
  return (n: number) => format.format(n);
};
