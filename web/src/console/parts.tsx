/**
 * Pieces the console's pages share: the signed-in role (an auditor reads, only an operator
 * decides), the page title, numbers and instants in the chosen language, a due day with its
 * overdue flag, and names for codes (lists, source kinds, statuses) with the code as fallback.
 */
import { createContext, type ReactNode, useContext, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type paths, unwrap } from '../api/client';
import { Day, ErrorNote } from '../ui';

/** The JSON a route answers 200 with, from the generated types. */
export type Answer<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type ConsoleRole = 'operator' | 'auditor';
export const RoleContext = createContext<ConsoleRole>('auditor');

/** Whether the signed-in credential may decide (an operator); an auditor's views are read-only. */
export const useCanDecide = () => useContext(RoleContext) === 'operator';

/** Sets the document's title (the browser tab, and what a screen reader announces on navigation). */
export const useTitle = (title: string) => {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('brand')}`;
  }, [title, t]);
};

/** A number in the chosen language's digits and grouping. */
export const useCount = () => {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language);
  return (n: number) => format.format(n);
};

/** A calendar day (YYYY-MM-DD) as text in the chosen language, for use inside a sentence. */
export const useDayText = () => {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' });
  return (day: string) => {
    const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? day : format.format(d);
  };
};

/** An instant (ISO 8601) as the chosen language writes a date and time. */
export const When = ({ at }: { at: string | null | undefined }) => {
  const { i18n } = useTranslation();
  if (!at) return <span>—</span>;
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return <span>{at}</span>;
  return (
    <time dateTime={at}>
      {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(d)}
    </time>
  );
};

/** A due day, flagged when past. */
export const Due = ({ day, overdue }: { day: string | null | undefined; overdue?: boolean }) => {
  const { t } = useTranslation('console');
  return (
    <span className="due">
      <Day day={day} />
      {overdue && <span className="tag overdue">{t('overdue')}</span>}
    </span>
  );
};

/** Translators for the codes the API answers with; an unknown code shows as itself. */
export const useNames = () => {
  const { t } = useTranslation('console');
  const name = (group: string) => (code: string | null | undefined) =>
    code ? t(`${group}.${code}`, { defaultValue: code }) : '—';
  return {
    list: name('lists'),
    sourceKind: name('source_kinds'),
    subjectKind: name('subject_kinds'),
    status: name('status'),
    holdReason: name('hold_reasons'),
    /** A record type by its catalogue code; the API's (English) name when not translated. */
    recordType: (code: string, fallback: string) => t(`types.${code}`, { defaultValue: fallback }),
  };
};

/** A list's tag: black, red or focus, coloured as the shared styles colour them. */
export const ListTag = ({ code }: { code: string }) => {
  const names = useNames();
  const kind = code.split('.')[0];
  return <span className={`tag ${kind === 'black' || kind === 'red' ? kind : ''}`}>{names.list(code)}</span>;
};

/** A status code as a tag in words. */
export const Status = ({ status }: { status: string }) => {
  const names = useNames();
  return <span className={`tag status-${status}`}>{names.status(status)}</span>;
};

/** A card-like section with a heading (h2 unless told), the heading naming the region. */
export const Panel = ({
  title,
  children,
  className,
  level = 2,
}: {
  title: ReactNode;
  children: ReactNode;
  className?: string;
  level?: 2 | 3;
}) => {
  const id = useId();
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={id}>
      <Heading id={id} className="panel-title">
        {title}
      </Heading>
      {children}
    </section>
  );
};

/** A queue's filter: a labelled select. */
export const QueueFilter = ({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (v: string) => void;
}) => {
  const id = useId();
  return (
    <div className="row queue-filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
};

/**
 * Evidence files as download buttons: each file is read with the credential (a plain link would
 * go without it) and handed to the browser as a download.
 */
export const Attachments = ({
  files,
  fetchFile,
}: {
  files: { name: string; media_type: string; bytes: number; sha256: string }[];
  fetchFile: (index: number) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
}) => {
  const { t } = useTranslation('console');
  const count = useCount();
  const [error, setError] = useState<unknown>();
  if (files.length === 0) return null;
  const download = async (index: number, name: string) => {
    setError(undefined);
    try {
      const blob = (await unwrap(fetchFile(index))) as Blob;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <ul className="plain">
        {files.map((f, i) => (
          <li key={`${f.sha256}-${f.name}`}>
            <button type="button" className="secondary small" onClick={() => void download(i, f.name)}>
              {t('queue.download', { name: f.name, size: count(Math.ceil(f.bytes / 1024)) })}
            </button>
          </li>
        ))}
      </ul>
      {error !== undefined && <ErrorNote error={error} />}
    </>
  );
};
