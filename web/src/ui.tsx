/** Small shared pieces every area uses: loading and error states, a grade badge, a day. */
import { useTranslation } from 'react-i18next';
import { ApiError } from './api/client';

export const Loading = () => {
  const { t } = useTranslation();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
};

/** An API error in the user's words: the API's own message, and its request ID to quote. */
export const ErrorNote = ({ error }: { error: unknown }) => {
  const { t } = useTranslation();
  const e = error instanceof ApiError ? error : undefined;
  return (
    <div className="error" role="alert">
      <p>
        {e?.status === 404
          ? t('errors.not_found')
          : e?.status === 403
            ? t('errors.forbidden')
            : e?.status === 401
              ? t('errors.unauthenticated')
              : t('errors.failed')}
      </p>
      <p className="muted">
        {e?.message ?? String(error)}
        {e?.requestId && ` (${t('errors.request_id')}: ${e.requestId})`}
      </p>
    </div>
  );
};

export const Grade = ({ grade }: { grade: string | null | undefined }) => {
  const { t } = useTranslation();
  if (!grade) return <span className="grade none">{t('grade_none')}</span>;
  return (
    <span className={`grade g-${grade.toLowerCase()}`} title={t('grade_title', { grade })}>
      {grade}
    </span>
  );
};

/** A calendar day (YYYY-MM-DD) as the chosen language writes it. */
export const Day = ({ day }: { day: string | null | undefined }) => {
  const { i18n } = useTranslation();
  if (!day) return <span>—</span>;
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return <span>{day}</span>;
  return (
    <time dateTime={day.slice(0, 10)}>
      {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(d)}
    </time>
  );
};
