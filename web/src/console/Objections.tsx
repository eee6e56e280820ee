/**
 * The objection queue (GET /v1/objections: open ones first, overdue leading, then by due day) with
 * each objection's record (or, for a person's objection to a binding, the binding), reason,
 * evidence and clocks, and the decision (POST /v1/objections/{id}/decision): keep the record or
 * binding, correct it, or remove it, with written reasons.
 * An appealed objection's decision is the appeal's, and final.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { Day } from '../ui';
import { Decide } from './Decide';
import { type Answer, Attachments, Due, Status, useCount, useNames, When } from './parts';
import { PAGE, Queue } from './Queue';

const FILTERS = ['open', 'pending', 'appealed', 'decided', 'appeal_decided', 'all'] as const;

type Objection = Answer<'/v1/objections', 'get'>['objections'][number];

/** The fields a correction may change, as the decision's `correction` names them. */
const CorrectionFields = () => {
  const { t } = useTranslation('console');
  const id = useId();
  const field = (name: string, type: 'date' | 'number' | 'text') => (
    <div className="stack field" key={name}>
      <label htmlFor={`${id}-${name}`}>{t(`objections.correction.${name}`)}</label>
      <input
        id={`${id}-${name}`}
        name={`correction.${name}`}
        type={type}
        step={type === 'number' ? 'any' : undefined}
      />
    </div>
  );
  return (
    <fieldset className="correction">
      <legend>{t('objections.correction.legend')}</legend>
      <p className="muted hint">{t('objections.correction.hint')}</p>
      {field('occurred_at', 'date')}
      {field('decided_at', 'date')}
      {field('amount', 'number')}
      {field('evidence', 'text')}
      {field('note', 'text')}
    </fieldset>
  );
};

/** A binding's corrected days, as the decision's `binding_correction` names them. */
const BindingDaysFields = () => {
  const { t } = useTranslation('console');
  const id = useId();
  const field = (name: 'valid_from' | 'valid_until') => (
    <div className="stack field" key={name}>
      <label htmlFor={`${id}-${name}`}>{t(`objections.binding_correction.${name}`)}</label>
      <input id={`${id}-${name}`} name={`binding.${name}`} type="date" />
    </div>
  );
  return (
    <fieldset className="correction">
      <legend>{t('objections.binding_correction.legend')}</legend>
      <p className="muted hint">{t('objections.outcomes.binding_corrected_hint')}</p>
      {field('valid_from')}
      {field('valid_until')}
    </fieldset>
  );
};

const bindingDaysOf = (form: FormData) => {
  const day = (name: string) => {
    const v = form.get(`binding.${name}`);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const from = day('valid_from');
  const until = day('valid_until');
  return { ...(from ? { valid_from: from } : {}), ...(until ? { valid_until: until } : {}) };
};

type Outcome = NonNullable<Objection['decision']>['outcome'];

/** The correction as the API takes it: only the fields filled in. */
const correctionOf = (form: FormData) => {
  const out: Record<string, string | number> = {};
  for (const [k, v] of form.entries()) {
    if (!k.startsWith('correction.') || typeof v !== 'string' || !v.trim()) continue;
    const name = k.slice('correction.'.length);
    out[name] = name === 'amount' ? Number(v) : v.trim();
  }
  return out;
};

const ObjectionCard = ({ o, onDone }: { o: Objection; onDone: (msg: string) => void }) => {
  const { t } = useTranslation('console');
  const count = useCount();
  const open = o.status === 'pending' || o.status === 'appealed';
  const due = o.status === 'appealed' ? (o.appeal?.due ?? o.due) : o.due;
  const headingId = useId();
  const names = useNames();
  const b = o.binding;
  const role = b ? t(`objections.roles.${b.role}`, { defaultValue: b.role_name }) : '';
  const typeName = o.record ? names.recordType(o.record.type, o.record.type_name) : role;
  const decision = o.appeal?.decision ?? o.decision;
  const kind = o.kind === 'binding' ? 'binding' : 'record';
  return (
    <article className="card queue-item" aria-labelledby={headingId} data-testid={`objection-${o.id}`}>
      <h2 id={headingId}>{t('objections.item_title', { id: o.id, type: typeName, name: o.subject.name })}</h2>
      <p className="row">
        <Status status={o.status} />
        {open && (
          <span>
            {t('queue.due_label')} <Due day={due} overdue={o.overdue} />
          </span>
        )}
      </p>
      <dl className="facts">
        <dt>{t('queue.subject')}</dt>
        <dd>
          {o.subject.name}{' '}
          <Link href={`/subjects?id=${encodeURIComponent(o.subject.identifier)}`}>
            {o.subject.identifier}
          </Link>
        </dd>
        {o.record && (
          <>
            <dt>{t('queue.record')}</dt>
            <dd>
              #{o.record.id} {typeName} · {o.record.source} · <Day day={o.record.occurred_at} />
              {o.record.amount !== null && ` · ${count(o.record.amount)}`}
              {o.record.case_reference && ` · ${o.record.case_reference}`} ·{' '}
              <Status status={o.record.status} />
            </dd>
          </>
        )}
        {b && (
          <>
            <dt>{t('objections.binding')}</dt>
            <dd data-testid="objection-binding">
              #{b.id}{' '}
              {t('objections.binding_line', {
                role,
                name: b.organization.name,
                identifier: b.organization.identifier,
              })}
              {' · '}
              {t('objections.binding_days', {
                from: b.valid_from ?? t('objections.binding_first'),
                until: b.valid_until ?? t('objections.binding_in_force'),
              })}
              {b.source && ` · ${b.source}`}
              {b.withdrawn_at && ` · ${t('objections.binding_withdrawn')}`}
            </dd>
          </>
        )}
        <dt>{t('objections.reason')}</dt>
        <dd className="quote">{o.reason}</dd>
        {(o.evidence.text || o.evidence.attachments.length > 0) && (
          <>
            <dt>{t('queue.evidence')}</dt>
            <dd>
              {o.evidence.text && <p className="quote">{o.evidence.text}</p>}
              <Attachments
                files={o.evidence.attachments}
                fetchFile={(index) =>
                  api.GET('/v1/objections/{id}/attachments/{index}', {
                    params: { path: { id: o.id, index } },
                    parseAs: 'blob',
                  })
                }
              />
            </dd>
          </>
        )}
        <dt>{t('objections.filed')}</dt>
        <dd>
          <When at={o.filed_at} />
        </dd>
        <dt>{t('objections.counts_while_pending')}</dt>
        <dd>{o.counts_while_pending ? t('yes') : t('no')}</dd>
        <dt>{t('objections.source_notice')}</dt>
        <dd>
          {o.source_notified_at ? (
            <When at={o.source_notified_at} />
          ) : (
            <>
              {t('objections.source_not_yet')}{' '}
              <Due day={o.source_notice_due} overdue={o.source_notice_overdue} />
            </>
          )}
        </dd>
        {o.appeal && (
          <>
            <dt>{t('objections.appeal')}</dt>
            <dd>
              <When at={o.appeal.appealed_at} />
              {o.appeal.reason && <span className="quote"> {o.appeal.reason}</span>}
            </dd>
          </>
        )}
        {decision && (
          <>
            <dt>{t('queue.decision')}</dt>
            <dd>
              {t(`objections.outcomes.${decision.outcome}`)}
              {decision.decided_at && (
                <>
                  {' '}
                  · <When at={decision.decided_at} />
                </>
              )}
              {decision.decided_by && ` · ${decision.decided_by}`}
              {decision.reasons && <p className="quote">{decision.reasons}</p>}
            </dd>
          </>
        )}
      </dl>
      {open && (
        <Decide
          testId={`decide-objection-${o.id}`}
          opener={
            o.status === 'appealed'
              ? t('objections.decide_appeal', { id: o.id })
              : t('objections.decide', { id: o.id })
          }
          legend={t('objections.outcome')}
          outcomes={[
            { value: `${kind}_confirmed`, label: t(`objections.outcomes.${kind}_confirmed`) },
            {
              value: `${kind}_corrected`,
              label: t(`objections.outcomes.${kind}_corrected`),
              hint: t(`objections.outcomes.${kind}_corrected_hint`),
            },
            {
              value: `${kind}_removed`,
              label: t(`objections.outcomes.${kind}_removed`),
              hint: t(`objections.outcomes.${kind}_removed_hint`),
            },
          ]}
          extra={(outcome) =>
            outcome === 'record_corrected' ? (
              <CorrectionFields />
            ) : outcome === 'binding_corrected' ? (
              <BindingDaysFields />
            ) : null
          }
          reasonsLabel={t('decide.reasons')}
          submitLabel={t('objections.submit', { id: o.id })}
          onSubmit={({ outcome, reasons, form }) =>
            unwrap(
              api.POST('/v1/objections/{id}/decision', {
                params: { path: { id: o.id } },
                body: {
                  outcome: outcome as Outcome,
                  reasons,
                  ...(outcome === 'record_corrected' ? { correction: correctionOf(form) } : {}),
                  ...(outcome === 'binding_corrected' ? { binding_correction: bindingDaysOf(form) } : {}),
                },
              }),
            )
          }
          onDone={(outcome) =>
            onDone(t('objections.done', { id: o.id, outcome: t(`objections.outcomes.${outcome}`) }))
          }
        />
      )}
    </article>
  );
};

export const Objections = () => (
  <Queue
    area="objections"
    filters={FILTERS}
    initial="open"
    testId="objection-queue"
    fetchPage={(status, after: string | undefined) =>
      unwrap(
        api.GET('/v1/objections', {
          params: { query: { status, limit: PAGE, ...(after ? { after } : {}) } },
        }),
      ).then((p) => ({ items: p.objections, next: p.next }))
    }
    card={(o, onDone) => <ObjectionCard o={o} onDone={onDone} />}
  />
);
