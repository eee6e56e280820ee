/**
 * The repair queue (GET /v1/repairs: open ones first, overdue leading, then by due day): each
 * application's record, public commitment, proof of performance and clocks (feedback within 10
 * working days, then the decision within 3). An operator gives feedback (POST
 * /v1/repairs/{id}/feedback) or decides (POST /v1/repairs/{id}/decision: granted or refused).
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { Day } from '../ui';
import { Decide } from './Decide';
import { type Answer, Attachments, Due, Status, useNames, When } from './parts';
import { PAGE, Queue } from './Queue';

const FILTERS = ['open', 'pending', 'accepted', 'rejected', 'granted', 'refused', 'all'] as const;

type Repair = Answer<'/v1/repairs', 'get'>['repairs'][number];

const RepairCard = ({ r, onDone }: { r: Repair; onDone: (msg: string) => void }) => {
  const { t } = useTranslation('console');
  const headingId = useId();
  const names = useNames();
  const typeName = names.recordType(r.record.type, r.record.type_name);
  const open = r.status === 'pending' || r.status === 'accepted';
  return (
    <article className="card queue-item" aria-labelledby={headingId} data-testid={`repair-${r.id}`}>
      <h2 id={headingId}>
        {t('repairs.item_title', { id: r.id, type: typeName, name: r.subject?.name ?? '—' })}
      </h2>
      <p className="row">
        <Status status={r.status} />
        {open && (
          <span>
            {r.status === 'pending' ? t('repairs.feedback_due') : t('repairs.decision_due')}{' '}
            <Due day={r.due} overdue={r.overdue} />
            {r.working_days_left !== null &&
              r.working_days_left >= 0 &&
              ` (${t('repairs.working_days_left', { count: r.working_days_left })})`}
          </span>
        )}
      </p>
      <dl className="facts">
        {r.subject && (
          <>
            <dt>{t('queue.subject')}</dt>
            <dd>
              {r.subject.name}{' '}
              <Link href={`/subjects?id=${encodeURIComponent(r.subject.identifier)}`}>
                {r.subject.identifier}
              </Link>
            </dd>
          </>
        )}
        <dt>{t('queue.record')}</dt>
        <dd>
          #{r.record_id} {typeName} · {r.record.source} · <Day day={r.record.occurred_at} />
          {r.record.case_reference && ` · ${r.record.case_reference}`} · <Status status={r.record.status} />
        </dd>
        <dt>{t('repairs.commitment')}</dt>
        <dd className="quote">{r.commitment}</dd>
        {(r.evidence.text || r.evidence.attachments.length > 0) && (
          <>
            <dt>{t('repairs.proof')}</dt>
            <dd>
              {r.evidence.text && <p className="quote">{r.evidence.text}</p>}
              <Attachments
                files={r.evidence.attachments}
                fetchFile={(n) =>
                  api.GET('/v1/repairs/{id}/attachments/{n}', {
                    params: { path: { id: r.id, n } },
                    parseAs: 'blob',
                  })
                }
              />
            </dd>
          </>
        )}
        <dt>{t('repairs.applied')}</dt>
        <dd>
          <When at={r.applied_at} />
        </dd>
        {r.feedback && (
          <>
            <dt>{t('repairs.feedback')}</dt>
            <dd>
              {r.feedback.accepted ? t('repairs.accepted') : t('repairs.not_accepted')} ·{' '}
              <When at={r.feedback.at} />
              {r.feedback.message && <p className="quote">{r.feedback.message}</p>}
            </dd>
          </>
        )}
        {r.outcome && (
          <>
            <dt>{t('queue.decision')}</dt>
            <dd>
              {t(`repairs.outcomes.${r.outcome}`)} · <When at={r.decided_at} />
              {r.decided_by && ` · ${r.decided_by}`}
              {r.reasons && <p className="quote">{r.reasons}</p>}
              {r.display_stop_due && (
                <p className="muted">
                  {t('repairs.display_stop_due')} <Day day={r.display_stop_due} />
                </p>
              )}
            </dd>
          </>
        )}
      </dl>
      {r.status === 'pending' && (
        <Decide
          testId={`feedback-repair-${r.id}`}
          opener={t('repairs.give_feedback', { id: r.id })}
          legend={t('repairs.feedback_legend')}
          outcomes={[
            { value: 'accepted', label: t('repairs.accept'), hint: t('repairs.accept_hint') },
            { value: 'not_accepted', label: t('repairs.reject'), hint: t('repairs.reject_hint') },
          ]}
          reasonsLabel={t('repairs.message')}
          submitLabel={t('repairs.send_feedback', { id: r.id })}
          onSubmit={({ outcome, reasons }) =>
            unwrap(
              api.POST('/v1/repairs/{id}/feedback', {
                params: { path: { id: r.id } },
                body: { accepted: outcome === 'accepted', message: reasons },
              }),
            )
          }
          onDone={() => onDone(t('repairs.feedback_done', { id: r.id }))}
        />
      )}
      {open && (
        <Decide
          testId={`decide-repair-${r.id}`}
          opener={t('repairs.decide', { id: r.id })}
          legend={t('repairs.outcome')}
          outcomes={[
            { value: 'granted', label: t('repairs.outcomes.granted'), hint: t('repairs.grant_hint') },
            { value: 'refused', label: t('repairs.outcomes.refused') },
          ]}
          reasonsLabel={t('decide.reasons')}
          submitLabel={t('repairs.submit', { id: r.id })}
          onSubmit={({ outcome, reasons }) =>
            unwrap(
              api.POST('/v1/repairs/{id}/decision', {
                params: { path: { id: r.id } },
                body: { outcome: outcome as 'granted' | 'refused', reasons },
              }),
            )
          }
          onDone={(outcome) =>
            onDone(t('repairs.done', { id: r.id, outcome: t(`repairs.outcomes.${outcome}`) }))
          }
        />
      )}
    </article>
  );
};

export const Repairs = () => (
  <Queue
    area="repairs"
    filters={FILTERS}
    initial="open"
    testId="repair-queue"
    fetchPage={(status, after: string | undefined) =>
      unwrap(
        api.GET('/v1/repairs', { params: { query: { status, limit: PAGE, ...(after ? { after } : {}) } } }),
      ).then((p) => ({ items: p.repairs, next: p.next }))
    }
    card={(r, onDone) => <RepairCard r={r} onDone={onDone} />}
  />
);
