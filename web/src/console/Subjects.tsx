/**
 * Subject lookup and file view. The operator names the subject (resident ID number or USCC; an
 * organization also by name through the public search) and states why: the purpose travels as
 * `x-purpose` with every read, is kept in the audit log and is shown to the subject.
 * GET /v1/subjects/{id} gives the file; GET /v1/subjects/{id}/score explains the score on request.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearch } from 'wouter';
import { api, purpose, unwrap } from '../api/client';
import { Day, ErrorNote, Grade, Loading } from '../ui';
import { ListTag, Panel, Status, useCount, useNames, useTitle, When } from './parts';

/** A resident ID number (18 characters, the last a digit or X) or a USCC (18 characters). */
const IDENTIFIER = /^[0-9A-Z]{18}$/;
const looksLikeIdentifier = (s: string) => IDENTIFIER.test(s.trim().toUpperCase());

interface Lookup {
  id: string;
  why: string;
}

/** The score report that explains a subject's score: read on request, one query shared by its users. */
const useScoreReport = (lookup: Lookup, enabled = true) =>
  useQuery({
    queryKey: ['console', 'score', lookup.id, lookup.why],
    queryFn: () =>
      unwrap(
        api.GET('/v1/subjects/{id}/score', {
          params: { path: { id: lookup.id } },
          headers: purpose(lookup.why),
        }),
      ),
    enabled,
  });

type FileFactor = { record_id: number; type: string; date: string; points: number };

/**
 * The key factors kept with the score. One of no points acts on the grade: what it does (sets it,
 * or only caps it where the points give as bad or worse) comes from the score report, read only
 * when such a factor is there; until it comes, the points are shown.
 */
const KeyFactors = ({
  lookup,
  factors,
  typeOf,
}: {
  lookup: Lookup;
  factors: FileFactor[];
  typeOf: Map<number, string>;
}) => {
  const { t } = useTranslation('console');
  const count = useCount();
  const report = useScoreReport(
    lookup,
    factors.some((k) => k.points === 0),
  );
  const graded = new Map((report.data?.key_factors ?? []).map((k) => [k.record_id, k.grade]));
  return (
    <ul>
      {factors.map((k) => {
        const type = typeOf.get(k.record_id) ?? k.type;
        const grade = k.points === 0 ? graded.get(k.record_id) : undefined;
        return (
          <li key={k.record_id}>
            {grade
              ? t(grade.binds ? 'file.factor_sets_grade' : 'file.factor_caps_grade', {
                  type,
                  grade: grade.letter,
                })
              : t('file.factor', { type, points: count(k.points) })}{' '}
            (<Day day={k.date} />)
          </li>
        );
      })}
    </ul>
  );
};

const ScoreExplained = ({ lookup, typeName }: { lookup: Lookup; typeName: (code: string) => string }) => {
  const { t } = useTranslation('console');
  const count = useCount();
  const score = useScoreReport(lookup);
  if (score.isPending) return <Loading />;
  if (score.error) return <ErrorNote error={score.error} />;
  const s = score.data;
  return (
    <div className="stack">
      <h4>{t('file.domains')}</h4>
      <dl className="facts">
        {Object.entries(s.domains).map(([d, v]) => (
          <div key={d} className="contents">
            <dt>{t(`domains.${d}`, { defaultValue: d })}</dt>
            <dd>{count(v)}</dd>
          </div>
        ))}
      </dl>
      <h4>{t('file.breakdown')}</h4>
      <p className="muted">{t('file.breakdown_intro', { base: count(s.base), score: count(s.score) })}</p>
      {s.breakdown.length === 0 ? (
        <p className="muted">{t('file.no_breakdown')}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-on-phone">
            <thead>
              <tr>
                <th scope="col">{t('file.record')}</th>
                <th scope="col">{t('file.domain')}</th>
                <th scope="col">{t('file.date')}</th>
                <th scope="col" className="num">
                  {t('file.points')}
                </th>
                <th scope="col">{t('file.counts_until')}</th>
              </tr>
            </thead>
            <tbody>
              {s.breakdown.map((b) => (
                <tr key={`${b.record_id}-${b.type}`}>
                  <td data-label={t('file.record')}>
                    #{b.record_id} {typeName(b.type)}
                    {b.direct_grade && ` (${t('file.direct_grade', { grade: b.direct_grade })})`}
                  </td>
                  <td data-label={t('file.domain')}>
                    {t(`domains.${b.domain}`, { defaultValue: b.domain })}
                  </td>
                  <td data-label={t('file.date')}>
                    <Day day={b.date} />
                  </td>
                  <td data-label={t('file.points')} className="num">
                    {count(b.points)}
                  </td>
                  <td data-label={t('file.counts_until')}>
                    <Day day={b.until} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
};

const FileView = ({ lookup }: { lookup: Lookup }) => {
  const { t } = useTranslation('console');
  const names = useNames();
  const count = useCount();
  const [explain, setExplain] = useState(false);
  const file = useQuery({
    queryKey: ['console', 'file', lookup.id, lookup.why],
    queryFn: () =>
      unwrap(
        api.GET('/v1/subjects/{id}', { params: { path: { id: lookup.id } }, headers: purpose(lookup.why) }),
      ),
  });
  if (file.isPending) return <Loading />;
  if (file.error) return <ErrorNote error={file.error} />;
  const f = file.data;
  const typeOf = new Map(f.records.map((r) => [r.id, names.recordType(r.type, r.type_name)]));
  const typeByCode = new Map(f.records.map((r) => [r.type, names.recordType(r.type, r.type_name)]));
  return (
    <article className="subject-file" data-testid="subject-file" aria-labelledby="file-heading">
      <h2 id="file-heading">
        {f.subject.name} <span className="muted">{f.subject.identifier}</span>
      </h2>
      <p className="muted">{t('file.read_with_purpose', { purpose: lookup.why })}</p>
      <div className="cards">
        <Panel level={3} title={t('file.who')}>
          <dl className="facts">
            <dt>{t('file.kind')}</dt>
            <dd>{names.subjectKind(f.subject.kind)}</dd>
            <dt>{t('file.identifier')}</dt>
            <dd>{f.subject.identifier}</dd>
            {f.subject.birth_date && (
              <>
                <dt>{t('file.birth_date')}</dt>
                <dd>
                  <Day day={f.subject.birth_date} />
                </dd>
              </>
            )}
            {f.legal_representative && (
              <>
                <dt>{t('file.legal_representative')}</dt>
                <dd>
                  {f.legal_representative.name} ({f.legal_representative.identifier})
                </dd>
              </>
            )}
            {f.licences.length > 0 && (
              <>
                <dt>{t('file.licences')}</dt>
                <dd>{f.licences.map((l) => `${l.kind} ${l.number}`).join(', ')}</dd>
              </>
            )}
          </dl>
        </Panel>
        <Panel level={3} title={t('file.score')}>
          {f.score ? (
            <>
              <p className="score-line">
                <Grade grade={f.score.grade} /> <span className="score-value">{count(f.score.score)}</span>
              </p>
              <p className="muted">
                {t('file.as_of')} <Day day={f.score.as_of} /> · {t('file.policy')}{' '}
                <code>{f.score.policy_version.slice(0, 12)}</code>
              </p>
            </>
          ) : (
            <p className="muted">{t('file.not_scored')}</p>
          )}
        </Panel>
      </div>

      {f.score && (
        <Panel level={3} title={t('file.key_factors')}>
          {f.score.key_factors.length === 0 ? (
            <p className="muted">{t('file.no_factors')}</p>
          ) : (
            <KeyFactors lookup={lookup} factors={f.score.key_factors} typeOf={typeOf} />
          )}
          <button
            type="button"
            className="secondary"
            aria-expanded={explain}
            aria-controls="score-explained"
            onClick={() => setExplain((x) => !x)}
          >
            {explain ? t('file.hide_explanation') : t('file.explain')}
          </button>
          <div id="score-explained">
            {explain && <ScoreExplained lookup={lookup} typeName={(c) => typeByCode.get(c) ?? c} />}
          </div>
        </Panel>
      )}

      <Panel
        level={3}
        title={t('file.records_n', { count: f.records.length, formatted: count(f.records.length) })}
      >
        {f.records.length === 0 ? (
          <p className="muted">{t('file.no_records')}</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">{t('file.record')}</th>
                  <th scope="col">{t('file.source')}</th>
                  <th scope="col">{t('file.occurred')}</th>
                  <th scope="col" className="num">
                    {t('file.amount')}
                  </th>
                  <th scope="col">{t('file.evidence')}</th>
                  <th scope="col">{t('file.status')}</th>
                </tr>
              </thead>
              <tbody>
                {f.records.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t('file.record')}>
                      #{r.id} {names.recordType(r.type, r.type_name)}
                    </td>
                    <td data-label={t('file.source')}>{r.source}</td>
                    <td data-label={t('file.occurred')}>
                      <Day day={r.occurred_at} />
                    </td>
                    <td data-label={t('file.amount')} className="num">
                      {r.amount === null ? '—' : count(r.amount)}
                    </td>
                    <td data-label={t('file.evidence')}>{r.evidence ?? '—'}</td>
                    <td data-label={t('file.status')}>
                      <Status status={r.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>

      <Panel level={3} title={t('file.lists')}>
        {f.lists.length === 0 ? (
          <p className="muted">{t('file.no_lists')}</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">{t('file.list')}</th>
                  <th scope="col">{t('file.status')}</th>
                  <th scope="col">{t('file.from')}</th>
                  <th scope="col">{t('file.until')}</th>
                  <th scope="col">{t('file.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {f.lists.map((l) => (
                  <tr key={`${l.list}-${l.from}`}>
                    <td data-label={t('file.list')}>
                      <ListTag code={l.list} />
                    </td>
                    <td data-label={t('file.status')}>
                      <Status status={l.status} />
                    </td>
                    <td data-label={t('file.from')}>
                      <Day day={l.from} />
                    </td>
                    <td data-label={t('file.until')}>
                      {l.until ? <Day day={l.until} /> : t('file.open_ended')}
                    </td>
                    <td data-label={t('file.reason')}>
                      {l.reason_code}
                      {l.reason_records.length > 0 &&
                        ` (${l.reason_records.map((id) => `#${id}`).join(', ')})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>

      {f.bindings.length > 0 && (
        <Panel level={3} title={t('file.bindings')}>
          <ul>
            {f.bindings.map((b) => (
              <li key={`${b.identifier}-${b.from}`}>
                {b.name} ({b.identifier}) · {t(`binding_roles.${b.role}`, { defaultValue: b.role })} ·{' '}
                <Day day={b.from} /> – {b.until ? <Day day={b.until} /> : t('file.in_force')}
              </li>
            ))}
          </ul>
        </Panel>
      )}

      {f.notifications.length > 0 && (
        <Panel level={3} title={t('file.notifications')}>
          <ul>
            {f.notifications.map((n) => (
              <li key={`${n.kind}-${n.effective}-${n.list}`}>
                <Day day={n.effective} /> · {n.message}
              </li>
            ))}
          </ul>
        </Panel>
      )}

      <Panel level={3} title={t('file.access_log')}>
        <p className="muted">{t('file.access_log_intro')}</p>
        <div className="table-wrap">
          <table className="stack-on-phone">
            <thead>
              <tr>
                <th scope="col">{t('file.when')}</th>
                <th scope="col">{t('file.who_read')}</th>
                <th scope="col">{t('file.action')}</th>
                <th scope="col">{t('file.purpose')}</th>
              </tr>
            </thead>
            <tbody>
              {(f.access_log ?? []).slice(0, 20).map((a) => (
                <tr key={a.seq}>
                  <td data-label={t('file.when')}>
                    <When at={a.at} />
                  </td>
                  <td data-label={t('file.who_read')}>{a.actor}</td>
                  <td data-label={t('file.action')}>
                    <code>{a.action}</code>
                  </td>
                  <td data-label={t('file.purpose')}>{a.purpose}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </article>
  );
};

export const Subjects = () => {
  const { t } = useTranslation('console');
  useTitle(t('nav.subjects'));
  const initial = new URLSearchParams(useSearch()).get('id') ?? '';
  const [query, setQuery] = useState(initial);
  const [why, setWhy] = useState('');
  const [lookup, setLookup] = useState<Lookup>();
  const [nameQuery, setNameQuery] = useState<string>();
  const ids = { query: useId(), why: useId(), hint: useId(), whyHint: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim();
    if (!q || !why.trim()) return;
    if (looksLikeIdentifier(q)) {
      setNameQuery(undefined);
      setLookup({ id: q.toUpperCase(), why: why.trim() });
    } else {
      setLookup(undefined);
      setNameQuery(q);
    }
  };

  return (
    <>
      <h1>{t('subjects.title')}</h1>
      <p>{t('subjects.intro')}</p>
      <form className="stack narrow" onSubmit={submit} aria-label={t('subjects.title')}>
        <label htmlFor={ids.query}>{t('subjects.query')}</label>
        <input
          id={ids.query}
          name="subject"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          required
          autoComplete="off"
          aria-describedby={ids.hint}
        />
        <p id={ids.hint} className="muted hint">
          {t('subjects.query_hint')}
        </p>
        <label htmlFor={ids.why}>{t('subjects.purpose')}</label>
        <input
          id={ids.why}
          name="purpose"
          value={why}
          onChange={(e) => setWhy(e.target.value)}
          required
          minLength={4}
          maxLength={200}
          list="console-purposes"
          autoComplete="off"
          aria-describedby={ids.whyHint}
        />
        <datalist id="console-purposes">
          {(['objection', 'repair', 'enquiry', 'audit'] as const).map((k) => (
            <option key={k} value={t(`subjects.purposes.${k}`)} />
          ))}
        </datalist>
        <p id={ids.whyHint} className="muted hint">
          {t('subjects.purpose_hint')}
        </p>
        <button type="submit" disabled={!query.trim() || why.trim().length < 4}>
          {t('subjects.submit')}
        </button>
      </form>
      {nameQuery && (
        <NameResults
          q={nameQuery}
          onPick={(id) => {
            setNameQuery(undefined);
            setLookup({ id, why: why.trim() });
          }}
        />
      )}
      {lookup && <FileView key={`${lookup.id}|${lookup.why}`} lookup={lookup} />}
    </>
  );
};

/** Organizations and public bodies matching a name (the public search; persons are never listed). */
const NameResults = ({ q, onPick }: { q: string; onPick: (id: string) => void }) => {
  const { t } = useTranslation('console');
  const names = useNames();
  const found = useQuery({
    queryKey: ['console', 'name-search', q],
    queryFn: () => unwrap(api.GET('/v1/public/search', { params: { query: { q, limit: 20 } } })),
  });
  return (
    <section className="card" aria-labelledby="name-results">
      <h2 id="name-results">{t('subjects.results', { q })}</h2>
      {found.isPending && <Loading />}
      {found.error && <ErrorNote error={found.error} />}
      {found.data &&
        (found.data.results.length === 0 ? (
          <p className="muted">{t('subjects.no_results')}</p>
        ) : (
          <ul className="plain results">
            {found.data.results.map((r) => (
              <li key={r.identifier}>
                <button type="button" className="secondary" onClick={() => onPick(r.identifier)}>
                  {t('subjects.open_file_of', { name: r.name })}
                </button>{' '}
                <span className="muted">
                  {r.identifier} · {names.subjectKind(r.kind)}
                </span>{' '}
                <Grade grade={r.grade} />
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
};
