/**
 * Held rating windows (GET /v1/ratings/held, newest first): ratings held for review because they
 * look like a burst, a ring, connected raters or repeated text. One window (GET
 * /v1/ratings/held/{id}) lists its ratings, raters by pseudonym only; an operator confirms it (its
 * ratings stop counting) or releases it (they count), with a reason (POST .../decision).
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { ErrorNote, Loading } from '../ui';
import { Decide } from './Decide';
import { type Answer, Panel, Status, useCount, useNames, useTitle, When } from './parts';
import { PAGE, Queue } from './Queue';

const FILTERS = ['pending', 'confirmed', 'released', 'all'] as const;
/** Ratings of a window shown before "show all". */
const FIRST = 50;

type Hold = Answer<'/v1/ratings/held', 'get'>['holds'][number];

/** The detection's figures (`detail`), as label: value pairs. */
const Detail = ({ detail }: { detail: Record<string, unknown> }) => {
  const { t } = useTranslation('console');
  const count = useCount();
  // Two figures of the same name and value (a burst gives its volume twice) are shown once.
  const seen = new Set<string>();
  const lines = Object.entries(detail)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => ({
      k,
      text: `${t(`holds.detail.${k}`, { defaultValue: k })}: ${typeof v === 'number' ? count(v) : String(v)}`,
    }))
    .filter((l) => !seen.has(l.text) && seen.add(l.text));
  if (lines.length === 0) return null;
  return (
    <ul className="plain detail">
      {lines.map((l) => (
        <li key={l.k}>{l.text}</li>
      ))}
    </ul>
  );
};

const HoldFacts = ({ h }: { h: Hold }) => {
  const { t } = useTranslation('console');
  const names = useNames();
  return (
    <dl className="facts">
      <dt>{t('holds.reason')}</dt>
      <dd>
        {names.holdReason(h.reason)}
        <span className="muted">
          {' '}
          — {t(`hold_reason_texts.${h.reason}`, { defaultValue: h.reason_text })}
        </span>
      </dd>
      <dt>{t('queue.subject')}</dt>
      <dd>{h.subject ? `${h.subject.name ?? ''} ${h.subject.identifier}` : t('holds.several_subjects')}</dd>
      <dt>{t('holds.window')}</dt>
      <dd>
        <When at={h.window.from} /> – <When at={h.window.to} />
      </dd>
      <dt>{t('holds.ratings')}</dt>
      <dd>
        {t('holds.ratings_n', { count: h.ratings })}
        {h.hides ? ` · ${t('holds.hidden_while_pending')}` : ''}
      </dd>
      <dt>{t('holds.figures')}</dt>
      <dd>
        <Detail detail={h.detail} />
      </dd>
      <dt>{t('holds.opened')}</dt>
      <dd>
        <When at={h.created_at} />
      </dd>
      {h.decided_at && (
        <>
          <dt>{t('queue.decision')}</dt>
          <dd>
            {t(`holds.decisions.${h.status}`, { defaultValue: h.status })} · <When at={h.decided_at} />
            {h.decided_by && ` · ${h.decided_by}`}
            {h.decision_reason && <p className="quote">{h.decision_reason}</p>}
          </dd>
        </>
      )}
    </dl>
  );
};

const HoldDecision = ({ h, onDone }: { h: Hold; onDone: (msg: string) => void }) => {
  const { t } = useTranslation('console');
  if (h.status !== 'pending') return null;
  return (
    <Decide
      testId={`decide-hold-${h.id}`}
      opener={t('holds.decide', { id: h.id })}
      legend={t('holds.outcome')}
      outcomes={[
        { value: 'confirm', label: t('holds.confirm'), hint: t('holds.confirm_hint') },
        { value: 'release', label: t('holds.release'), hint: t('holds.release_hint') },
      ]}
      reasonsLabel={t('decide.reasons')}
      submitLabel={t('holds.submit', { id: h.id })}
      onSubmit={({ outcome, reasons }) =>
        unwrap(
          api.POST('/v1/ratings/held/{id}/decision', {
            params: { path: { id: h.id } },
            body: { decision: outcome as 'confirm' | 'release', reason: reasons },
          }),
        )
      }
      onDone={(outcome) =>
        onDone(
          t('holds.done', {
            id: h.id,
            outcome: t(outcome === 'confirm' ? 'holds.confirm' : 'holds.release'),
          }),
        )
      }
    />
  );
};

export const HoldPage = ({ id }: { id: number }) => {
  const { t } = useTranslation('console');
  useTitle(t('holds.item_title', { id }));
  const [message, setMessage] = useState('');
  const [all, setAll] = useState(false);
  const hold = useQuery({
    queryKey: ['console', 'hold', id],
    queryFn: () => unwrap(api.GET('/v1/ratings/held/{id}', { params: { path: { id } } })),
  });
  return (
    <>
      <p>
        <Link href="/holds">{t('holds.back')}</Link>
      </p>
      <h1>{t('holds.item_title', { id })}</h1>
      {hold.isPending && <Loading />}
      {hold.error && <ErrorNote error={hold.error} />}
      {hold.data && (
        <>
          <p className="row">
            <Status status={hold.data.status} />
          </p>
          <HoldFacts h={hold.data} />
          <p role="status" className="done">
            {message}
          </p>
          <HoldDecision h={hold.data} onDone={setMessage} />
          <Panel title={t('holds.items', { count: hold.data.items.length })}>
            <div className="table-wrap">
              <table className="stack-on-phone">
                <thead>
                  <tr>
                    <th scope="col">{t('holds.rater')}</th>
                    <th scope="col">{t('holds.service')}</th>
                    <th scope="col">{t('holds.scores')}</th>
                    <th scope="col">{t('holds.comment')}</th>
                    <th scope="col">{t('holds.submitted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(all ? hold.data.items : hold.data.items.slice(0, FIRST)).map((r) => (
                    <tr key={r.id}>
                      <td data-label={t('holds.rater')}>
                        {r.rater}
                        {r.connected && <span className="tag">{t('holds.connected')}</span>}
                      </td>
                      <td data-label={t('holds.service')}>{r.service}</td>
                      <td data-label={t('holds.scores')}>
                        {t('holds.score_pair', { p: r.professionalism, h: r.honesty })}
                      </td>
                      <td data-label={t('holds.comment')}>{r.comment ?? '—'}</td>
                      <td data-label={t('holds.submitted')}>
                        <When at={r.submitted_at} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {!all && hold.data.items.length > FIRST && (
              <p className="row">
                <span className="muted">{t('holds.first_n', { count: FIRST })}</span>
                <button type="button" className="secondary" onClick={() => setAll(true)}>
                  {t('holds.show_all', { count: hold.data.items.length })}
                </button>
              </p>
            )}
          </Panel>
        </>
      )}
    </>
  );
};

const HoldCard = ({ h, onDone }: { h: Hold; onDone: (msg: string) => void }) => {
  const { t } = useTranslation('console');
  const names = useNames();
  const headingId = useId();
  return (
    <article className="card queue-item" aria-labelledby={headingId} data-testid={`hold-${h.id}`}>
      <h2 id={headingId}>
        <Link href={`/holds/${h.id}`}>
          {t('holds.card_title', { id: h.id, reason: names.holdReason(h.reason) })}
        </Link>
      </h2>
      <p className="row">
        <Status status={h.status} />
      </p>
      <HoldFacts h={h} />
      <HoldDecision h={h} onDone={onDone} />
    </article>
  );
};

export const Holds = () => (
  <Queue
    area="holds"
    filters={FILTERS}
    initial="pending"
    testId="hold-queue"
    fetchPage={(status, before: number | undefined) =>
      unwrap(
        api.GET('/v1/ratings/held', {
          params: { query: { status, limit: PAGE, ...(before ? { before } : {}) } },
        }),
      ).then((p) => ({ items: p.holds, next: p.next_before }))
    }
    card={(h, onDone) => <HoldCard h={h} onDone={onDone} />}
  />
);
