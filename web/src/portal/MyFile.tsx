/**
 * My file (GET /v1/me): score and grade with their history (GET /v1/me/history, when offered), the
 * key factors in plain words with what the citizen can do, every record with its status and the day
 * it stops counting, list entries and measures in force with their legal basis, and who looked at
 * the file and why — each entry verifiable against the signed audit log in the browser.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ErrorNote, Grade, Loading } from '../ui';
import { AccessLog } from './AccessLog';
import { HistoryChart } from './HistoryChart';
import {
  type Advice,
  type FileRecord,
  type KeyFactor,
  type OwnFile,
  useHistory,
  useOwnFile,
} from './queries';
import { NS, useFormat, usePeriod, useWords } from './words';

export const useTitle = (title: string) => {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('brand')}`;
  }, [title, t]);
};

const DOMAINS = ['government', 'commercial', 'social', 'judicial'] as const;

const ScoreCard = ({ file }: { file: OwnFile }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const s = file.score;
  return (
    <section className="card score-card" aria-labelledby="score-h">
      <h2 id="score-h">{t('score.title')}</h2>
      <div className="score-row">
        <p className="score-figure">
          <span className="score-number" data-testid="score">
            {f.number(s.score)}
          </span>
          <span className="muted">{t('score.points_label')}</span>
        </p>
        <p className="score-grade">
          <span className="muted">{t('score.grade')}</span> <Grade grade={s.grade} />
        </p>
      </div>
      <p className="muted">{t('score.as_of', { day: f.day(s.as_of) })}</p>
      <dl className="domains">
        {DOMAINS.filter((d) => s.domains[d] !== undefined).map((d) => (
          <div key={d} className="fact">
            <dt>{w.domain(d)}</dt>
            <dd>{f.number(s.domains[d]!)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
};

/** One piece of advice in the chosen language, from its structured fields; the API's English else. */
const AdviceLine = ({ a, recordId }: { a: Advice; recordId: number }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const fallback = { defaultValue: a.text };
  let text: string;
  switch (a.kind) {
    case 'perform':
      text = a.case_reference
        ? t('advice.perform_case', { ...fallback, case: a.case_reference })
        : t('advice.perform', fallback);
      break;
    case 'pay':
      text =
        a.amount != null
          ? t(a.source ? 'advice.pay_amount_source' : 'advice.pay_amount', {
              ...fallback,
              amount: f.money(a.amount),
              source: a.source,
            })
          : t(a.source ? 'advice.pay_source' : 'advice.pay', { ...fallback, source: a.source });
      break;
    case 'repair_from':
      text = t('advice.repair_from', { ...fallback, day: f.day(a.day) });
      break;
    case 'wait':
    case 'keep':
      text = a.day ? t(`advice.${a.kind}`, { ...fallback, day: f.day(a.day) }) : a.text;
      break;
    case 'object':
      text =
        a.days !== undefined
          ? t('advice.object', { ...fallback, count: a.days })
          : t('advice.object_plain', fallback);
      break;
    case 'linked':
      text = t('advice.linked', { ...fallback, organization: a.organization ?? '' });
      break;
    default:
      text = t(`advice.${a.kind}`, fallback);
  }
  return (
    <li>
      {text}
      {a.kind === 'repair_now' && (
        <>
          {' '}
          <Link href={`/repairs?record=${recordId}`}>{t('actions_ui.apply_repair')}</Link>
        </>
      )}
      {a.kind === 'object' && (
        <>
          {' '}
          <Link href={`/objections?record=${recordId}`}>{t('actions_ui.object')}</Link>
        </>
      )}
    </li>
  );
};

const Factor = ({ k, record }: { k: KeyFactor; record: FileRecord | undefined }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const until =
    record?.counts_until ?? k.advice.find((a) => a.kind === 'wait' || a.kind === 'keep')?.day ?? null;
  const sign = k.points < 0 ? 'minus' : k.points > 0 ? 'plus' : 'zero';
  const sentence = t(`factor.${sign}${until ? '' : '_open'}`, {
    type: w.type(k.type, k.type_name),
    date: f.day(k.date),
    count: Math.abs(k.points),
    points: f.number(Math.abs(k.points)),
    until: f.day(until),
    defaultValue: k.text,
  });
  return (
    <li className="card factor">
      <p className="factor-text">
        {k.points !== 0 && (
          <span className={`points ${k.points < 0 ? 'neg' : 'pos'}`}>{f.signed(k.points)} </span>
        )}
        {sentence}
      </p>
      {k.organization && <p className="muted">{t('factor.of_organization', { name: k.organization })}</p>}
      {k.advice.length > 0 && (
        <>
          <p className="advice-h">{t('factor.what_you_can_do')}</p>
          <ul className="advice">
            {k.advice.map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: advice items have no identity of their own
              <AdviceLine key={i} a={a} recordId={k.record_id} />
            ))}
          </ul>
        </>
      )}
    </li>
  );
};

const statusTone = (s: string) =>
  s === 'active' ? '' : s === 'disputed' ? 'warn' : s === 'repaired' || s === 'corrected' ? 'good' : 'dim';

const RecordCard = ({ r, asOf, objected }: { r: FileRecord; asOf: string; objected: boolean }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const w = useWords();
  const canObject = !objected && (r.status === 'active' || r.status === 'corrected');
  const canRepair =
    r.polarity === 'negative' &&
    r.status === 'active' &&
    r.counts_until !== null &&
    !!r.repair?.eligible_from &&
    r.repair.eligible_from <= asOf;
  return (
    <li className="card record" data-testid="record" aria-labelledby={`rec-${r.id}`}>
      <div className="record-head">
        <h3 id={`rec-${r.id}`}>{w.type(r.type, r.type_name)}</h3>
        <span className={`tag status ${statusTone(r.status)}`}>{w.status(r.status)}</span>
      </div>
      <dl className="facts">
        <dt>{t('record.points')}</dt>
        <dd>
          {r.points !== 0 ? (
            <span className={`points ${r.points < 0 ? 'neg' : 'pos'}`}>{f.signed(r.points)}</span>
          ) : r.counts_until ? (
            f.number(0)
          ) : (
            <span className="muted">{t('record.not_counting')}</span>
          )}
        </dd>
        <dt>{t('record.counts_until')}</dt>
        <dd data-testid="counts-until">
          {r.counts_until ? f.day(r.counts_until) : <span className="muted">{t('record.not_counting')}</span>}
        </dd>
        <dt>{t('record.domain')}</dt>
        <dd>
          {w.domain(r.domain)}
          {r.severity && <span className="muted"> · {w.severity(r.severity)}</span>}
        </dd>
        <dt>{t('record.source')}</dt>
        <dd>{r.source.name}</dd>
        {r.case_reference && (
          <>
            <dt>{t('record.case')}</dt>
            <dd>{r.case_reference}</dd>
          </>
        )}
        <dt>{t('record.occurred')}</dt>
        <dd>{f.day(r.occurred_at)}</dd>
        {r.decided_at && (
          <>
            <dt>{t('record.decided')}</dt>
            <dd>{f.day(r.decided_at)}</dd>
          </>
        )}
        {r.amount != null && (
          <>
            <dt>{t('record.amount')}</dt>
            <dd>{f.money(r.amount)}</dd>
          </>
        )}
        {r.repair && r.counts_until && (
          <>
            <dt>{t('record.repair')}</dt>
            <dd>
              {!r.repair.eligible_from
                ? t('record.repair_never')
                : r.repair.eligible_from <= asOf
                  ? t('record.repair_now')
                  : t('record.repair_from', { day: f.day(r.repair.eligible_from) })}
            </dd>
          </>
        )}
        {r.note && (
          <>
            <dt>{t('record.note')}</dt>
            <dd>{r.note}</dd>
          </>
        )}
      </dl>
      {r.history.length > 0 && (
        <details>
          <summary>{t('record.history', { count: r.history.length })}</summary>
          <ol className="history-list">
            {r.history.map((h) => (
              <li key={h.version}>
                {t('record.history_entry', {
                  version: h.version,
                  status: w.status(h.status),
                  day: f.time(h.replaced_at),
                  change: t(`changes.${h.change}`, { defaultValue: h.change.replaceAll('_', ' ') }),
                })}
                {h.reason && <span className="muted"> — {h.reason}</span>}
              </li>
            ))}
          </ol>
        </details>
      )}
      {(canObject || canRepair) && (
        <div className="row record-actions">
          {canObject && (
            <Link className="button-link secondary" href={`/objections?record=${r.id}`}>
              {t('actions_ui.object')}
            </Link>
          )}
          {canRepair && (
            <Link className="button-link secondary" href={`/repairs?record=${r.id}`}>
              {t('actions_ui.apply_repair')}
            </Link>
          )}
        </div>
      )}
    </li>
  );
};

const ListsAndMeasures = ({ file }: { file: OwnFile }) => {
  const { t } = useTranslation(NS);
  const period = usePeriod();
  const w = useWords();
  const lists = file.lists.filter((l) => l.in_force || l.status === 'pending');
  return (
    <section aria-labelledby="lists-h">
      <h2 id="lists-h">{t('lists.title')}</h2>
      {lists.length === 0 ? (
        <p className="muted">{t('lists.none')}</p>
      ) : (
        <ul className="plain" data-testid="lists">
          {lists.map((l) => (
            <li key={`${l.list}-${l.from}`} className="card">
              <div className="record-head">
                <h3>
                  <span className={`tag ${l.kind === 'black' || l.kind === 'red' ? l.kind : ''}`}>
                    {t(`list_kinds.${l.kind}`, { defaultValue: l.kind })}
                  </span>{' '}
                  {w.list(l.list, l.name)}
                </h3>
                <span className={`tag status ${l.status === 'pending' ? 'warn' : ''}`}>
                  {w.status(l.status)}
                </span>
              </div>
              <dl className="facts">
                <dt>{t('lists.period')}</dt>
                <dd>{period(l.from, l.until)}</dd>
                {l.case_reference && (
                  <>
                    <dt>{t('record.case')}</dt>
                    <dd>{l.case_reference}</dd>
                  </>
                )}
              </dl>
              <LegalBasis text={l.legal_basis} />
            </li>
          ))}
        </ul>
      )}
      <h2 id="measures-h">{t('measures.title')}</h2>
      {file.measures.length === 0 ? (
        <p className="muted">{t('measures.none')}</p>
      ) : (
        <ul className="plain measures" data-testid="measures">
          {file.measures.map((m) => (
            <li key={`${m.measure}-${m.list ?? m.grade ?? ''}`} className="card">
              <div className="record-head">
                <h3>{w.measure(m.measure, m.name)}</h3>
                <span className={`tag ${m.kind === 'restriction' ? 'warn' : 'status good'}`}>
                  {t(`measure_kinds.${m.kind}`, { defaultValue: m.kind })}
                </span>
              </div>
              <dl className="facts">
                <dt>{t('measures.because')}</dt>
                <dd>
                  {m.list
                    ? w.list(m.list)
                    : m.grade
                      ? t('measures.grade', { grade: m.grade })
                      : m.reason_code}
                </dd>
                <dt>{t('lists.period')}</dt>
                <dd>
                  {m.grade && !m.from
                    ? t('measures.while_grade', { grade: m.grade })
                    : period(m.from, m.until)}
                </dd>
              </dl>
              <LegalBasis text={m.legal_basis} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};

/** A legal basis as the policy cites it (in English), in full. */
const LegalBasis = ({ text }: { text: string }) => {
  const { t } = useTranslation(NS);
  return (
    <p className="legal-basis">
      <span className="legal-basis-label">{t('legal_basis')}</span> <span lang="en">{text}</span>
    </p>
  );
};

export const MyFile = () => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  useTitle(t('title'));
  const file = useOwnFile();
  const history = useHistory();
  if (file.isPending) return <Loading />;
  if (file.error) return <ErrorNote error={file.error} />;
  const d = file.data;
  const byId = new Map(d.records.map((r) => [r.id, r]));
  const objected = new Set(
    ((d.objections ?? []) as { record?: { id?: number }; status?: string }[])
      .filter((o) => o.status === 'pending' || o.status === 'appealed')
      .map((o) => o.record?.id),
  );
  const records = [...d.records].sort(
    (a, b) =>
      Number(b.counts_until !== null) - Number(a.counts_until !== null) ||
      b.occurred_at.localeCompare(a.occurred_at),
  );
  return (
    <div className="my-file">
      <h1>{t('title')}</h1>
      <p className="who-am-i">
        <strong>{d.subject.name}</strong>{' '}
        <span className="muted">
          {t(`subject_kinds.${d.subject.kind}`, { defaultValue: d.subject.kind })} · {d.subject.identifier}
        </span>
      </p>
      <div className="file-top">
        <ScoreCard file={d} />
        {history.data && history.data.length > 0 && (
          <section className="card history-card" aria-labelledby="history-h">
            <h2 id="history-h">{t('history.title')}</h2>
            <HistoryChart points={history.data} />
          </section>
        )}
      </div>

      <section aria-labelledby="factors-h">
        <h2 id="factors-h">{t('factor.title')}</h2>
        {d.score.key_factors.length === 0 ? (
          <p className="muted">{t('factor.none')}</p>
        ) : (
          <ol className="plain factors">
            {d.score.key_factors.map((k) => (
              <Factor key={`${k.record_id}-${k.type}`} k={k} record={byId.get(k.record_id)} />
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="records-h">
        <h2 id="records-h">{t('record.title')}</h2>
        <p className="muted">{t('record.intro', { day: f.day(d.as_of) })}</p>
        {records.length === 0 ? (
          <p className="muted">{t('record.none')}</p>
        ) : (
          <ul className="plain records">
            {records.map((r) => (
              <RecordCard key={r.id} r={r} asOf={d.as_of} objected={objected.has(r.id)} />
            ))}
          </ul>
        )}
      </section>

      <ListsAndMeasures file={d} />

      <AccessLog file={d} />
    </div>
  );
};
