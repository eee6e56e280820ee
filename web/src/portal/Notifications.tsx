/**
 * Notifications (GET /v1/me/notifications, POST /v1/me/notifications/{id}/read): warnings before a
 * listing takes effect, objection and repair steps, corrections of records. The kind is named in
 * the chosen language; the message is the platform's own (English) text. One withdrawn before it
 * was sent (what it said no longer stood) stays, marked so.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ErrorNote, Loading } from '../ui';
import { useTitle } from './MyFile';
import { type Notification, useMarkRead, useNotifications } from './queries';
import { NS, useFormat, useWords } from './words';

/** `objection.filed#12` → `objection.filed`; `record.correct#3.2` → `record.correct`. */
const kindOf = (kind: string) => kind.split('#')[0] ?? kind;

const Item = ({ n }: { n: Notification }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const read = useMarkRead();
  const kind = kindOf(n.kind);
  const unread = !n.read_at && !read.isSuccess;
  return (
    <li className={`card notification ${unread ? 'unread' : ''}`} data-testid="notification">
      <div className="record-head">
        <h2 className="h3">
          {t(`notification_kinds.${kind.replaceAll('.', '_')}`, {
            defaultValue: t('notification_kinds.other'),
          })}
          {n.list && <span className="muted"> · {w.list(n.list)}</span>}
        </h2>
        {unread && <span className="tag warn">{t('notifications.new')}</span>}
        {n.superseded_at && (
          <span className="tag status dim" data-testid="notification-withdrawn">
            {t('notifications.withdrawn')}
          </span>
        )}
      </div>
      <p lang="en">{n.message}</p>
      {(kind.startsWith('objection.') || kind.startsWith('repair.')) && (
        <p>
          <Link href={kind.startsWith('objection.') ? '/objections' : '/repairs'}>
            {kind.startsWith('objection.')
              ? t('notifications.see_objections')
              : t('notifications.see_repairs')}
          </Link>
        </p>
      )}
      <p className="muted small">
        {n.effective && <>{t('notifications.effective', { day: f.day(n.effective) })} · </>}
        {n.created_at && f.time(n.created_at)}
      </p>
      {unread && (
        <button
          type="button"
          className="secondary small"
          disabled={read.isPending}
          onClick={() => read.mutate(n.id)}
        >
          {t('notifications.mark_read')}
        </button>
      )}
      {read.error && <ErrorNote error={read.error} />}
    </li>
  );
};

export const Notifications = () => {
  const { t } = useTranslation(NS);
  useTitle(t('notifications.title'));
  const q = useNotifications();
  return (
    <div>
      <h1>{t('notifications.title')}</h1>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorNote error={q.error} />
      ) : q.data === null ? (
        <p className="muted">{t('notifications.unavailable')}</p>
      ) : q.data.length === 0 ? (
        <p className="muted">{t('notifications.none')}</p>
      ) : (
        <ul className="plain">
          {[...q.data]
            .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? '') || b.id - a.id)
            .map((n) => (
              <Item key={n.id} n={n} />
            ))}
        </ul>
      )}
    </div>
  );
};
