/**
 * The citizen portal's words: the API gives codes (record types, lists, measures, statuses,
 * actions, advice kinds) and English sentences; here each code becomes words in the chosen
 * language from the `portal` namespace, falling back to the API's English where we have none.
 * Days, times, numbers and amounts are formatted with Intl in the chosen language.
 */
import { useTranslation } from 'react-i18next';

export const NS = 'portal';

/** Formatting in the chosen language. */
export const useFormat = () => {
  const { i18n } = useTranslation();
  const lang = i18n.language || 'zh';
  const dayFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const timeFormat = new Intl.DateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  const numberFormat = new Intl.NumberFormat(lang);
  const signed = new Intl.NumberFormat(lang, { signDisplay: 'exceptZero' });
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY' });
  return {
    lang,
    day: (d: string | null | undefined) => {
      if (!d) return '—';
      const date = new Date(`${d.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(date.getTime()) ? d : dayFormat.format(date);
    },
    time: (iso: string | null | undefined) => {
      if (!iso) return '—';
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : `${timeFormat.format(date)} UTC`;
    },
    number: (n: number) => numberFormat.format(n),
    signed: (n: number) => signed.format(n),
    money: (n: number) => money.format(n),
  };
};

/** A lookup in a flat map of the namespace whose keys may hold dots or colons (purposes). */
const lookup = (table: unknown, key: string): string | undefined => {
  if (table && typeof table === 'object' && key in table) {
    const v = (table as Record<string, unknown>)[key];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
};

/** Codes in words: each falls back to the API's own (English) words, or the code. */
export const useWords = () => {
  const { t } = useTranslation(NS);
  const purposes = t('purposes', { returnObjects: true });
  const actions = t('actions', { returnObjects: true });
  const orElse = (key: string, fallback: string | null | undefined, code: string) =>
    t(key, { defaultValue: fallback || code });
  return {
    /** Record types are dotted codes (court.judgment_defaulter): they address nested keys. */
    type: (code: string, english?: string | null) => orElse(`types.${code}`, english, code),
    list: (code: string, english?: string | null) => orElse(`list_names.${code}`, english, code),
    measure: (code: string, english?: string | null) => orElse(`measure_names.${code}`, english, code),
    status: (code: string) => orElse(`status.${code}`, code.replaceAll('_', ' '), code),
    domain: (code: string | null) => (code ? orElse(`domains.${code}`, code, code) : '—'),
    severity: (code: string | null) => (code ? orElse(`severity.${code}`, code, code) : '—'),
    role: (code: string) => orElse(`roles.${code}`, code.replaceAll('_', ' '), code),
    /** Who looked: a registered name as the API gives it; the platform's own in our words. */
    who: (e: { who: string; who_kind: string }) =>
      e.who_kind === 'source' || e.who_kind === 'relying_party' || e.who_kind === 'other'
        ? e.who
        : orElse(`who.${e.who_kind}`, e.who, e.who),
    action: (code: string, english: string) => lookup(actions, code) ?? english,
    /** A stated purpose: ours when it is one of the platform's own, else as it was stated. */
    purpose: (text: string) => lookup(purposes, text) ?? text,
    /** Whether a purpose is shown as stated (in its own language, possibly English). */
    purposeKnown: (text: string) => lookup(purposes, text) !== undefined,
  };
};

/** A period from a day to a day, or open-ended. */
export const usePeriod = () => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  return (from: string | null, until: string | null) =>
    from || until
      ? t(until ? 'period' : 'period_open', { from: f.day(from), until: f.day(until) })
      : t('period_none');
};
