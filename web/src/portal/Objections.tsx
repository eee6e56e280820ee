/**
 * Objections (POST/GET /v1/me/objections, POST /v1/me/objections/{id}/appeal): object to a record
 * of my file, or (POST /v1/me/bindings/{id}/objections) to a binding that names me as an
 * organization's representative — it is flagged at once and a review clock starts — and follow
 * each objection: its due day, the decision with its reasons, and the appeal while its window is
 * open.
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { ErrorNote, Loading } from '../ui';
import { EvidenceFields, type EvidenceState, emptyEvidence, evidenceBody } from './Evidence';
import { useTitle } from './MyFile';
import {
  type Objection,
  type OwnFile,
  useAppeal,
  useFileBindingObjection,
  useFileObjection,
  useObjections,
  useOwnFile,
} from './queries';
import { NS, useFormat, useWords } from './words';

const OPEN = new Set(['pending', 'appealed']);

const FileForm = ({
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
  const candidates = file.records.filter(
    (r) => !open.has(r.id) && r.status !== 'disputed' && r.status !== 'withdrawn' && r.status !== 'expired',
  );
  // A person's bindings to organizations (a wrongly recorded representative objects to one).
  const bindings = file.subject.kind === 'person' ? file.bindings.filter((b) => !b.disputed) : [];
  // The choice is "r:<record id>" or "b:<binding id>".
  const [record, setRecord] = useState<string>(
    preset !== undefined && candidates.some((r) => r.id === preset) ? `r:${preset}` : '',
  );
  const [reason, setReason] = useState('');
  const [evidence, setEvidence] = useState<EvidenceState>(emptyEvidence);
  const filingRecord = useFileObjection();
  const filingBinding = useFileBindingObjection();
  const binding = record.startsWith('b:');
  const filing = binding ? filingBinding : filingRecord;
  const filed = filingRecord.data ?? filingBinding.data;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = { reason: reason.trim(), evidence: await evidenceBody(evidence) };
    const done = {
      onSuccess: () => {
        setRecord('');
        setReason('');
        setEvidence(emptyEvidence);
      },
    };
    const chosen = Number(record.slice(2));
    if (binding) filingBinding.mutate({ id: chosen, ...body }, done);
    else filingRecord.mutate({ record_id: chosen, ...body }, done);
  };
  if (candidates.length === 0 && bindings.length === 0 && !filed)
    return <p className="muted">{t('objections.nothing_to_object')}</p>;
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('objections.new')}</h2>
      <p className="muted">{t('objections.new_intro')}</p>
      <form className="stack" onSubmit={submit}>
        <label htmlFor={`${id}-record`}>{t('objections.record')}</label>
        <select id={`${id}-record`} required value={record} onChange={(e) => setRecord(e.target.value)}>
          <option value="">{t('objections.choose')}</option>
          <optgroup label={t('objections.records_group')}>
            {candidates.map((r) => (
              <option key={r.id} value={`r:${r.id}`}>
                {w.type(r.type, r.type_name)} — {f.day(r.decided_at ?? r.occurred_at)}
                {r.case_reference ? ` — ${r.case_reference}` : ''}
              </option>
            ))}
          </optgroup>
          {bindings.length > 0 && (
            <optgroup label={t('objections.bindings_group')}>
              {bindings.map((b) => (
                <option key={b.id} value={`b:${b.id}`}>
                  {t('objections.binding_option', {
                    role: w.role(b.role),
                    name: b.name,
                    from: b.from ? f.day(b.from) : t('objections.binding_first'),
                  })}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        <label htmlFor={`${id}-reason`}>{t('objections.reason')}</label>
        <textarea
          id={`${id}-reason`}
          required
          rows={4}
          maxLength={10_000}
          value={reason}
          aria-describedby={`${id}-reason-hint`}
          onChange={(e) => setReason(e.target.value)}
        />
        <p id={`${id}-reason-hint`} className="muted small">
          {t('objections.reason_hint')}
        </p>
        <EvidenceFields value={evidence} onChange={setEvidence} />
        <div className="row">
          <button type="submit" disabled={filing.isPending || !record || !reason.trim()}>
            {filing.isPending ? t('sending') : t('objections.submit')}
          </button>
        </div>
      </form>
      <div role="status">
        {filed && (
          <p className="notice good" data-testid="objection-filed">
            {t(filed.kind === 'binding' ? 'objections.filed_binding' : 'objections.filed', {
              due: f.day(filed.due),
            })}
          </p>
        )}
      </div>
      {filing.error && <ErrorNote error={filing.error} />}
    </section>
  );
};

const Decision = ({ d, title }: { d: NonNullable<Objection['decision']>; title: string }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  return (
    <div className="decision">
      <p>
        <strong>{title}</strong> {t(`outcomes.${d.outcome}`, { defaultValue: d.outcome })}
        {d.decided_at && <span className="muted"> · {f.time(d.decided_at)}</span>}
      </p>
      {d.reasons && <p className="reasons">{d.reasons}</p>}
    </div>
  );
};

const AppealForm = ({ o }: { o: Objection }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const id = useId();
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState(false);
  const appeal = useAppeal();
  if (!open)
    return (
      <div className="row">
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {t('objections.appeal')}
        </button>
        {o.appeal_window_ends && (
          <span className="muted">{t('objections.appeal_until', { day: f.day(o.appeal_window_ends) })}</span>
        )}
      </div>
    );
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        appeal.mutate({ id: o.id, reason: reason.trim() });
      }}
    >
      <label htmlFor={`${id}-appeal`}>{t('objections.appeal_reason')}</label>
      <textarea
        id={`${id}-appeal`}
        required
        rows={3}
        maxLength={10_000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="row">
        <button type="submit" disabled={appeal.isPending || !reason.trim()}>
          {t('objections.appeal_submit')}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
      {appeal.error && <ErrorNote error={appeal.error} />}
    </form>
  );
};

const ObjectionCard = ({ o }: { o: Objection }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const open = OPEN.has(o.status);
  return (
    <li className="card objection" data-testid="objection" aria-labelledby={`obj-${o.id}`}>
      <div className="record-head">
        <h3 id={`obj-${o.id}`}>
          {o.record ? (
            <>
              {w.type(o.record.type, o.record.type_name)}
              {o.record.case_reference && <span className="muted"> · {o.record.case_reference}</span>}
            </>
          ) : (
            o.binding && (
              <>
                {w.role(o.binding.role)} · {o.binding.organization.name}
                <span className="muted"> · {o.binding.organization.identifier}</span>
              </>
            )
          )}
        </h3>
        <span className={`tag status ${open ? 'warn' : ''}`}>
          {t(`objection_status.${o.status}`, { defaultValue: o.status })}
        </span>
      </div>
      <dl className="facts">
        <dt>{t('objections.number')}</dt>
        <dd>#{o.id}</dd>
        <dt>{t('objections.filed_at')}</dt>
        <dd>{f.time(o.filed_at)}</dd>
        {open && (
          <>
            <dt>{t('objections.due')}</dt>
            <dd data-testid="objection-due">
              {f.day(o.status === 'appealed' ? (o.appeal?.due ?? o.due) : o.due)}
              {o.overdue && <strong className="overdue"> {t('overdue')}</strong>}
            </dd>
          </>
        )}
        {open && (
          <>
            <dt>{t('objections.while_pending')}</dt>
            <dd>
              {o.kind === 'binding'
                ? t(
                    o.counts_while_pending
                      ? 'objections.binding_still_binds'
                      : 'objections.binding_not_binding',
                  )
                : t(o.counts_while_pending ? 'objections.still_counts' : 'objections.not_counting')}
            </dd>
          </>
        )}
        {(open || o.source_notified_at) && (
          <>
            <dt>{t('objections.source_notice')}</dt>
            <dd>
              {o.source_notified_at
                ? t('objections.source_notified', { time: f.time(o.source_notified_at) })
                : t('objections.source_notice_due', { day: f.day(o.source_notice_due) })}
            </dd>
          </>
        )}
        <dt>{t('objections.your_reason')}</dt>
        <dd className="reasons">{o.reason}</dd>
        {(o.evidence.text || o.evidence.attachments.length > 0) && (
          <>
            <dt>{t('evidence.legend')}</dt>
            <dd>
              {o.evidence.text && <span className="reasons">{o.evidence.text}</span>}
              {o.evidence.attachments.length > 0 && (
                <span className="muted">
                  {' '}
                  {t('evidence.files_count', { count: o.evidence.attachments.length })}:{' '}
                  {o.evidence.attachments.map((a) => a.name).join(t('comma'))}
                </span>
              )}
            </dd>
          </>
        )}
      </dl>
      {o.decision && <Decision d={o.decision} title={t('objections.decision')} />}
      {o.appeal && (
        <div className="appeal">
          <p>
            <strong>{t('objections.appealed_on', { time: f.time(o.appeal.appealed_at) })}</strong>
          </p>
          {o.appeal.reason && <p className="reasons">{o.appeal.reason}</p>}
          {o.appeal.decision && <Decision d={o.appeal.decision} title={t('objections.appeal_decision')} />}
        </div>
      )}
      {o.appealable && !o.appeal && <AppealForm o={o} />}
    </li>
  );
};

export const Objections = () => {
  const { t } = useTranslation(NS);
  useTitle(t('objections.title'));
  const preset = Number(new URLSearchParams(useSearch()).get('record')) || undefined;
  const file = useOwnFile();
  const list = useObjections();
  const objections = list.data?.objections ?? [];
  const open = new Set(objections.flatMap((o) => (OPEN.has(o.status) && o.record ? [o.record.id] : [])));
  return (
    <div>
      <h1>{t('objections.title')}</h1>
      <p>{t('objections.intro')}</p>
      {file.isPending || list.isPending ? (
        <Loading />
      ) : file.error || list.error ? (
        <ErrorNote error={file.error ?? list.error} />
      ) : (
        <>
          <FileForm key={preset ?? 'none'} file={file.data} open={open} preset={preset} />
          <section aria-labelledby="my-objections-h">
            <h2 id="my-objections-h">{t('objections.mine')}</h2>
            {objections.length === 0 ? (
              <p className="muted">{t('objections.none')}</p>
            ) : (
              <ul className="plain" data-testid="objections">
                {objections.map((o) => (
                  <ObjectionCard key={o.id} o={o} />
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
