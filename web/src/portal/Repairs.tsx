/**
 * Credit repair (POST/GET /v1/me/repairs): apply, free of charge, to repair a negative record once
 * the minimum period of its class has passed, with a public credit commitment and proof of
 * performance; follow each application's clocks (feedback, then decision) and outcome.
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { ErrorNote, Loading } from '../ui';
import { EvidenceFields, type EvidenceState, emptyEvidence, evidenceBody } from './Evidence';
import { useTitle } from './MyFile';
import { type OwnFile, type Repair, useApplyForRepair, useOwnFile, useRepairs } from './queries';
import { NS, useFormat, useWords } from './words';

const OPEN = new Set(['pending', 'accepted']);

const ApplyForm = ({
  file,
  open,
  preset,
}: {
  file: OwnFile;
  open: Set<number>;
  preset: number | undefined;
}) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const id = useId();
  const negative = file.records.filter((r) => r.polarity === 'negative' && r.counts_until !== null);
  const eligible = negative.filter(
    (r) =>
      r.status === 'active' &&
      !open.has(r.id) &&
      !!r.repair?.eligible_from &&
      r.repair.eligible_from <= file.as_of,
  );
  const later = negative.filter((r) => r.repair?.eligible_from && r.repair.eligible_from > file.as_of);
  const [record, setRecord] = useState(
    preset !== undefined && eligible.some((r) => r.id === preset) ? String(preset) : '',
  );
  const [commitment, setCommitment] = useState('');
  const [evidence, setEvidence] = useState<EvidenceState>(emptyEvidence);
  const [missing, setMissing] = useState(false);
  const applying = useApplyForRepair();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = await evidenceBody(evidence);
    if (!body) {
      setMissing(true);
      return;
    }
    setMissing(false);
    applying.mutate(
      { record_id: Number(record), commitment: commitment.trim(), evidence: body },
      {
        onSuccess: () => {
          setRecord('');
          setCommitment('');
          setEvidence(emptyEvidence);
        },
      },
    );
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('repairs.new')}</h2>
      {eligible.length === 0 && !applying.data ? (
        <p className="muted">{t('repairs.none_eligible')}</p>
      ) : (
        <form className="stack" onSubmit={submit}>
          <label htmlFor={`${id}-record`}>{t('repairs.record')}</label>
          <select id={`${id}-record`} required value={record} onChange={(e) => setRecord(e.target.value)}>
            <option value="">{t('objections.choose')}</option>
            {eligible.map((r) => (
              <option key={r.id} value={r.id}>
                {w.type(r.type, r.type_name)} — {f.day(r.decided_at ?? r.occurred_at)}
                {r.case_reference ? ` — ${r.case_reference}` : ''}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-commitment`}>{t('repairs.commitment')}</label>
          <textarea
            id={`${id}-commitment`}
            required
            rows={3}
            maxLength={10_000}
            value={commitment}
            aria-describedby={`${id}-commitment-hint`}
            onChange={(e) => setCommitment(e.target.value)}
          />
          <p id={`${id}-commitment-hint`} className="muted small">
            {t('repairs.commitment_hint')}
          </p>
          <EvidenceFields value={evidence} onChange={setEvidence} required />
          {missing && (
            <p className="error" role="alert">
              {t('repairs.evidence_missing')}
            </p>
          )}
          <div className="row">
            <button type="submit" disabled={applying.isPending || !record || !commitment.trim()}>
              {applying.isPending ? t('sending') : t('repairs.submit')}
            </button>
          </div>
        </form>
      )}
      <div role="status">
        {applying.data && (
          <p className="notice good">{t('repairs.applied', { due: f.day(applying.data.feedback_due) })}</p>
        )}
      </div>
      {applying.error && <ErrorNote error={applying.error} />}
      {later.length > 0 && (
        <>
          <h3>{t('repairs.later')}</h3>
          <ul>
            {later.map((r) => (
              <li key={r.id}>
                {t('repairs.later_item', {
                  type: w.type(r.type, r.type_name),
                  day: f.day(r.repair?.eligible_from),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
};

const RepairCard = ({ a }: { a: Repair }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const open = OPEN.has(a.status);
  return (
    <li className="card" data-testid="repair" aria-labelledby={`rep-${a.id}`}>
      <div className="record-head">
        <h3 id={`rep-${a.id}`}>
          {w.type(a.record.type, a.record.type_name)}
          {a.record.case_reference && <span className="muted"> · {a.record.case_reference}</span>}
        </h3>
        <span className={`tag status ${open ? 'warn' : a.status === 'granted' ? 'good' : ''}`}>
          {t(`repair_status.${a.status}`, { defaultValue: a.status })}
        </span>
      </div>
      <dl className="facts">
        <dt>{t('objections.number')}</dt>
        <dd>#{a.id}</dd>
        <dt>{t('repairs.applied_at')}</dt>
        <dd>{f.time(a.applied_at)}</dd>
        {open && a.due && (
          <>
            <dt>{a.status === 'pending' ? t('repairs.feedback_due') : t('repairs.decision_due')}</dt>
            <dd>
              {f.day(a.due)}
              {a.working_days_left !== null && !a.overdue && (
                <span className="muted"> · {t('repairs.days_left', { count: a.working_days_left })}</span>
              )}
              {a.overdue && <strong className="overdue"> {t('overdue')}</strong>}
            </dd>
          </>
        )}
        <dt>{t('repairs.commitment')}</dt>
        <dd className="reasons">{a.commitment}</dd>
        {a.feedback && (
          <>
            <dt>{t('repairs.feedback')}</dt>
            <dd>
              {a.feedback.accepted ? t('repairs.accepted') : t('repairs.not_accepted')}
              {a.feedback.message && <span className="reasons"> — {a.feedback.message}</span>}
            </dd>
          </>
        )}
        {a.outcome && (
          <>
            <dt>{t('repairs.outcome')}</dt>
            <dd>
              {t(`repair_status.${a.outcome}`)}
              {a.decided_at && <span className="muted"> · {f.time(a.decided_at)}</span>}
              {a.reasons && <span className="reasons"> — {a.reasons}</span>}
            </dd>
          </>
        )}
        {a.display_stop_due && (
          <>
            <dt>{t('repairs.display_stop')}</dt>
            <dd>{f.day(a.display_stop_due)}</dd>
          </>
        )}
      </dl>
    </li>
  );
};

export const Repairs = () => {
  const { t } = useTranslation(NS);
  useTitle(t('repairs.title'));
  const preset = Number(new URLSearchParams(useSearch()).get('record')) || undefined;
  const file = useOwnFile();
  const list = useRepairs();
  const repairs = list.data?.repairs ?? [];
  const open = new Set(repairs.filter((r) => OPEN.has(r.status)).map((r) => r.record_id));
  return (
    <div>
      <h1>{t('repairs.title')}</h1>
      <p>{t('repairs.intro')}</p>
      {file.isPending || list.isPending ? (
        <Loading />
      ) : file.error || list.error ? (
        <ErrorNote error={file.error ?? list.error} />
      ) : (
        <>
          <ApplyForm key={preset ?? 'none'} file={file.data} open={open} preset={preset} />
          <section aria-labelledby="my-repairs-h">
            <h2 id="my-repairs-h">{t('repairs.mine')}</h2>
            {repairs.length === 0 ? (
              <p className="muted">{t('repairs.none')}</p>
            ) : (
              <ul className="plain">
                {repairs.map((a) => (
                  <RepairCard key={a.id} a={a} />
                ))}
              </ul>
            )}
          </section>
          <p>
            <Link href="/">{t('back_to_file')}</Link>
          </p>
        </>
      )}
    </div>
  );
};
