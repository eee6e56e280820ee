/**
 * A relying party's check of the citizen, explained (GET /v1/checks/{check_id}, product rule 5):
 * who asked, why and when; the answer and its reason; the list, period, legal basis and policy
 * versions it rested on; the records behind the list entry; and whether the answer, recomputed from
 * the records as known at that moment, agrees. Each check of a line of the access log's checks table
 * opens on request only: every explanation is audited on the citizen's own trail.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../api/client';
import { ErrorNote } from '../ui';
import { type CheckExplanation, type CheckGroup, useCheckExplanation } from './queries';
import { NS, useFormat, usePeriod, useWords } from './words';

/** A policy version as the log keeps it (SHA-256): its first 12 hex digits, as the API's notes cite it. */
const shortVersion = (v: string) => v.slice(0, 12);

/** A check's reason code in words: a list's reason, a binding, a grade, or "does not apply". */
const useReason = () => {
  const { t } = useTranslation(NS);
  return (code: string) => {
    const grade = /^GRADE_AT_(MOST|LEAST)_(.+)$/.exec(code);
    if (grade)
      return t(grade[1] === 'MOST' ? 'explain.grade_at_most' : 'explain.grade_at_least', { grade: grade[2] });
    return t(`check_reasons.${code}`, { defaultValue: code });
  };
};

/** The words of a record's status then and now. */
const RecordStatus = ({ then, now }: { then: string; now: string | null }) => {
  const { t } = useTranslation(NS);
  const w = useWords();
  if (now === null) return <>{t('explain.status_gone', { before: w.status(then) })}</>;
  if (now === then) return <>{t('explain.status_same', { status: w.status(then) })}</>;
  return <>{t('explain.status_changed', { before: w.status(then), now: w.status(now) })}</>;
};

const Explanation = ({ x }: { x: CheckExplanation }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const reason = useReason();
  const period = usePeriod();
  const id = useId();
  const c = x.check;
  const measure = w.measure(c.measure, x.basis.measure_name);
  // A relying party by its registered name; the platform's own staff (operators, auditors) in our words.
  const asker = c.role === 'relying_party' ? c.who : t(`who.${c.role}`, { defaultValue: w.role(c.role) });
  const who = c.role === 'relying_party' ? t('explain.who_rp', { name: c.who }) : asker;
  const r = x.recomputed;
  // The list and period it named: the entry it rested on, as recomputed (the log keeps the answer's
  // applies and reason code; its list and period are the recomputation's when they agree).
  const list = x.entry?.list ?? r?.list ?? null;
  const policy = (label: string | null, version: string) =>
    label
      ? t('explain.policy_version', { label, version: shortVersion(version) })
      : t('explain.policy_unlabelled', { version: shortVersion(version) });
  return (
    <article className="check-explanation" aria-labelledby={`${id}-h`} data-testid="check-explanation">
      <h4 id={`${id}-h`}>{t('explain.title', { who: asker, measure })}</h4>

      <h5>{t('explain.asked')}</h5>
      <dl className="facts">
        <dt>{t('explain.who')}</dt>
        <dd data-testid="check-who">{who}</dd>
        <dt>{t('explain.purpose')}</dt>
        <dd data-testid="check-purpose">
          {w.purposeKnown(c.purpose) ? w.purpose(c.purpose) : <q>{c.purpose}</q>}
        </dd>
        <dt>{t('explain.when')}</dt>
        <dd>{f.time(c.at)}</dd>
      </dl>

      <h5>{t('explain.answer')}</h5>
      <p className={`check-answer ${c.applies ? 'applies' : ''}`} data-testid="check-answer">
        <strong>{t(c.applies ? 'explain.applies' : 'explain.not_applies', { measure })}</strong>
      </p>
      {c.applies ? (
        <dl className="facts">
          <dt>{t('explain.reason')}</dt>
          <dd>{reason(c.reason_code)}</dd>
        </dl>
      ) : (
        <p className="muted">{t('explain.not_applicable_hint')}</p>
      )}

      <h5>{t('explain.rests_on')}</h5>
      <dl className="facts">
        <dt>{t('explain.list')}</dt>
        <dd>
          {list === null
            ? t('explain.no_list')
            : x.entry?.of === 'bound_organization'
              ? t('explain.list_of_org', { list: w.list(list) })
              : w.list(list)}
        </dd>
        {list !== null && (
          <>
            <dt>{t('explain.period')}</dt>
            <dd>{period(x.entry?.from ?? r?.from ?? null, x.entry ? x.entry.until : (r?.until ?? null))}</dd>
          </>
        )}
        {x.entry && (
          <>
            <dt>{t('explain.entry_status')}</dt>
            <dd>{w.status(x.entry.status)}</dd>
          </>
        )}
        {r?.case_reference && (
          <>
            <dt>{t('record.case')}</dt>
            <dd>{r.case_reference}</dd>
          </>
        )}
        {r?.grade && (
          <>
            <dt>{t('explain.grade')}</dt>
            <dd>{r.grade}</dd>
          </>
        )}
        <dt>{t('explain.measures_policy')}</dt>
        <dd>{policy(x.basis.measures_policy_label, x.basis.measures_policy_version)}</dd>
        <dt>{t('explain.lists_policy')}</dt>
        <dd>{policy(x.basis.lists_policy_label, x.basis.lists_policy_version)}</dd>
        <dt>{t('explain.audit')}</dt>
        <dd>{t('explain.audit_entry', { seq: f.number(c.audit_seq) })}</dd>
      </dl>
      <p className="legal-basis">
        <span className="legal-basis-label">{t('legal_basis')}</span>{' '}
        {x.basis.legal_basis ? <span lang="en">{x.basis.legal_basis}</span> : t('explain.basis_unknown')}
      </p>

      {x.reason_records.length > 0 && (
        <>
          <h5>{t('explain.records')}</h5>
          <ul className="plain check-records" data-testid="check-records">
            {x.reason_records.map((rec) => (
              <li key={rec.id}>
                <strong>{w.type(rec.type, rec.type_name)}</strong>
                <dl className="facts">
                  <dt>{t('record.occurred')}</dt>
                  <dd>{f.day(rec.occurred_at)}</dd>
                  {rec.decided_at && (
                    <>
                      <dt>{t('record.decided')}</dt>
                      <dd>{f.day(rec.decided_at)}</dd>
                    </>
                  )}
                  <dt>{t('explain.recorded')}</dt>
                  <dd>{f.time(rec.recorded_at)}</dd>
                  {rec.case_reference && (
                    <>
                      <dt>{t('record.case')}</dt>
                      <dd>{rec.case_reference}</dd>
                    </>
                  )}
                  <dt>{t('record.status')}</dt>
                  <dd>
                    <RecordStatus then={rec.status_then} now={rec.status_now} />
                  </dd>
                </dl>
                {rec.status_now === 'active' && (
                  <Link href={`/objections?record=${rec.id}`}>{t('actions_ui.object')}</Link>
                )}
              </li>
            ))}
          </ul>
        </>
      )}

      <h5>{t('explain.recomputed')}</h5>
      <p
        className={`verify ${x.agrees === true ? 'ok' : x.agrees === false ? 'failed' : ''}`}
        data-testid="check-verdict"
      >
        {x.agrees === true
          ? t('explain.agrees')
          : x.agrees === false && r
            ? t(r.applies ? 'explain.disagrees_applies' : 'explain.disagrees_not_applies', {
                measure,
                reason: reason(r.reason_code),
              })
            : t('explain.not_recomputed')}
      </p>
      {x.version_mismatch && <p>{t('explain.mismatch')}</p>}
      {x.note && (
        <p className="muted">
          {t('explain.note')} <span lang="en">{x.note}</span>
        </p>
      )}
    </article>
  );
};

/** One check of the line: its ID, an "Explain" button with the verdict in a live region, and the explanation. */
const CheckItem = ({
  checkId,
  n,
  count,
  group,
}: {
  checkId: string;
  n: number;
  count: number;
  group: CheckGroup;
}) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const [open, setOpen] = useState(false);
  const q = useCheckExplanation(checkId, open);
  const region = useId();
  const missing = q.error instanceof ApiError && q.error.status === 404;
  return (
    <li className="check-item" data-check-id={checkId}>
      <div className="check-item-head">
        <span>
          {t('explain.item', { n: f.number(n), total: f.number(count) })}{' '}
          <span className="muted check-id">{t('explain.id', { id: checkId })}</span>
        </span>
        <button
          type="button"
          className="secondary small"
          aria-expanded={open}
          aria-controls={region}
          onClick={() => setOpen(!open)}
        >
          {open ? t('explain.hide') : t('explain.button')}
          <span className="visually-hidden">
            {' '}
            {t('explain.item_context', {
              n: f.number(n),
              total: f.number(count),
              who: group.who,
              day: f.day(group.day),
            })}
          </span>
        </button>
        <span role="status" className="verdict">
          {open && q.isFetching && t('explain.loading')}
          {open && !q.isFetching && q.data && (
            <strong className={q.data.agrees === true ? 'ok' : q.data.agrees === false ? 'failed' : ''}>
              {q.data.agrees === true
                ? t('explain.verdict_agrees')
                : q.data.agrees === false
                  ? t('explain.verdict_disagrees')
                  : t('explain.verdict_none')}
            </strong>
          )}
          {open && missing && t('explain.verdict_missing')}
        </span>
      </div>
      <div id={region} hidden={!open}>
        {open && q.data && <Explanation x={q.data} />}
        {open && missing && (
          <div className="notice" data-testid="check-missing">
            <p>{t('explain.not_found')}</p>
            <p className="muted">
              <span lang="en">{(q.error as ApiError).message}</span>
            </p>
          </div>
        )}
        {open && q.error && !missing && <ErrorNote error={q.error} />}
      </div>
    </li>
  );
};

/** The checks of one line (a party and a day), each to be explained on request. */
export const CheckExplanations = ({ group }: { group: CheckGroup }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const ids = group.check_ids;
  const unlisted = group.count - ids.length;
  return (
    <div className="check-explanations" data-testid="check-explanations">
      {ids.length === 0 ? (
        <p className="muted">{t('explain.none')}</p>
      ) : (
        <>
          <p className="muted">{t('explain.intro')}</p>
          <ol
            className="plain check-list"
            aria-label={t('explain.list_label', { who: group.who, day: f.day(group.day) })}
          >
            {ids.map((id, i) => (
              <CheckItem key={id} checkId={id} n={i + 1} count={ids.length} group={group} />
            ))}
          </ol>
          {unlisted > 0 && <p className="muted">{t('explain.unlisted', { count: unlisted })}</p>}
        </>
      )}
    </div>
  );
};
