/**
 * Ratings: rate a service received with the interaction token given when it took place
 * (POST /v1/ratings, for the subject's credential too), and how the citizen was rated as a
 * professional (GET /v1/me/ratings) with a public answer or an objection to a comment.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, unwrap } from '../api/client';
import { ErrorNote, Loading } from '../ui';
import { useTitle } from './MyFile';
import { keys, type OwnRatings, useOwnRatings, useRate } from './queries';
import { NS, useFormat } from './words';

const STARS = [1, 2, 3, 4, 5] as const;

const Stars = ({ name, value, onChange }: { name: string; value: number; onChange: (v: number) => void }) => {
  const { t } = useTranslation(NS);
  const id = useId();
  return (
    <fieldset className="stars">
      <legend>{t(`rate.${name}`)}</legend>
      <p className="muted small" id={`${id}-hint`}>
        {t(`rate.${name}_hint`)}
      </p>
      <div className="row">
        {STARS.map((n) => (
          <label key={n} className="star">
            <input
              type="radio"
              name={name}
              value={n}
              required
              checked={value === n}
              onChange={() => onChange(n)}
              aria-describedby={`${id}-hint`}
            />{' '}
            {t(`rate.star_${n}`)}
          </label>
        ))}
      </div>
    </fieldset>
  );
};

const tokenProblem = (e: unknown, t: (k: string) => string) =>
  e instanceof ApiError
    ? e.status === 400
      ? t('rate.bad_token')
      : e.status === 409
        ? t('rate.used_token')
        : e.status === 410
          ? t('rate.expired_token')
          : undefined
    : undefined;

export const RateService = () => {
  const { t } = useTranslation(NS);
  useTitle(t('rate.title'));
  const id = useId();
  const [token, setToken] = useState('');
  const [professionalism, setProfessionalism] = useState(0);
  const [honesty, setHonesty] = useState(0);
  const [comment, setComment] = useState('');
  const rate = useRate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rate.mutate(
      { token: token.trim(), professionalism, honesty, comment: comment.trim() || null },
      {
        onSuccess: () => {
          setToken('');
          setProfessionalism(0);
          setHonesty(0);
          setComment('');
        },
      },
    );
  };
  const r = rate.data;
  const problem = rate.error ? tokenProblem(rate.error, t) : undefined;
  return (
    <div className="narrow-wide">
      <h1>{t('rate.title')}</h1>
      <p>{t('rate.intro')}</p>
      <form className="stack card" onSubmit={submit}>
        <label htmlFor={`${id}-token`}>{t('rate.token')}</label>
        <input
          id={`${id}-token`}
          name="token"
          autoComplete="off"
          spellCheck={false}
          required
          value={token}
          aria-describedby={`${id}-token-hint`}
          onChange={(e) => setToken(e.target.value)}
        />
        <p id={`${id}-token-hint`} className="muted small">
          {t('rate.token_hint')}
        </p>
        <Stars name="professionalism" value={professionalism} onChange={setProfessionalism} />
        <Stars name="honesty" value={honesty} onChange={setHonesty} />
        <label htmlFor={`${id}-comment`}>{t('rate.comment')}</label>
        <textarea
          id={`${id}-comment`}
          rows={3}
          maxLength={2000}
          value={comment}
          aria-describedby={`${id}-comment-hint`}
          onChange={(e) => setComment(e.target.value)}
        />
        <p id={`${id}-comment-hint`} className="muted small">
          {t('rate.comment_hint')}
        </p>
        <div className="row">
          <button type="submit" disabled={rate.isPending || !token.trim() || !professionalism || !honesty}>
            {rate.isPending ? t('sending') : t('rate.submit')}
          </button>
        </div>
      </form>
      <div role="status">
        {r && (
          <div className="notice good" data-testid="rating-result">
            <p>{t(r.status === 'held' ? 'rate.held' : 'rate.published', { name: r.rated.name })}</p>
            {r.comment_status === 'held' && <p>{t('rate.comment_held')}</p>}
          </div>
        )}
      </div>
      {rate.error && (
        <>
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          <ErrorNote error={rate.error} />
        </>
      )}
    </div>
  );
};

type Dimension = OwnRatings['professionalism'];

const DimensionCard = ({ name, d, min }: { name: string; d: Dimension; min: number }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const mean =
    d.mean === null ? '—' : new Intl.NumberFormat(f.lang, { maximumFractionDigits: 2 }).format(d.mean);
  return (
    <section className="card" aria-labelledby={`dim-${name}`}>
      <h2 id={`dim-${name}`}>{t(`rate.${name}`)}</h2>
      <p className="score-figure">
        <span className="score-number">{mean}</span>
        <span className="muted">{t('ratings.out_of_five')}</span>
      </p>
      <p className="muted">
        {t('ratings.counted', { count: d.count })}
        {d.held > 0 && ` · ${t('ratings.held', { count: d.held })}`}
      </p>
      {!d.published && <p className="muted small">{t('ratings.not_published', { count: min })}</p>}
      <table className="distribution">
        <caption className="visually-hidden">
          {t('ratings.distribution', { name: t(`rate.${name}`) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('ratings.stars')}</th>
            <th scope="col">{t('ratings.how_many')}</th>
          </tr>
        </thead>
        <tbody>
          {[...STARS].reverse().map((n) => (
            <tr key={n}>
              <th scope="row">{t(`rate.star_${n}`)}</th>
              <td>{f.number(d.distribution[String(n)] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

type Comment = OwnRatings['comments'][number];

const Answer = ({ c }: { c: Comment }) => {
  const { t } = useTranslation(NS);
  const id = useId();
  const client = useQueryClient();
  const [mode, setMode] = useState<'reply' | 'object' | null>(null);
  const [text, setText] = useState(c.reply ?? '');
  const send = useMutation({
    mutationFn: async () => {
      const ratingId = c.rating_id!;
      if (mode === 'reply')
        return unwrap(
          api.POST('/v1/me/ratings/{id}/reply', {
            params: { path: { id: ratingId } },
            body: { text: text.trim() },
          }),
        );
      return unwrap(
        api.POST('/v1/me/ratings/{id}/objection', {
          params: { path: { id: ratingId } },
          body: { reason: text.trim() },
        }),
      );
    },
    onSuccess: () => {
      setMode(null);
      void client.invalidateQueries({ queryKey: keys.ratings });
    },
  });
  if (c.rating_id === undefined) return null;
  if (!mode)
    return (
      <div className="row">
        <button type="button" className="secondary small" onClick={() => setMode('reply')}>
          {c.reply ? t('ratings.edit_reply') : t('ratings.reply')}
        </button>
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            setText('');
            setMode('object');
          }}
        >
          {t('ratings.object')}
        </button>
        {send.isSuccess && <span role="status">{t('ratings.sent')}</span>}
      </div>
    );
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <label htmlFor={`${id}-text`}>
        {mode === 'reply' ? t('ratings.reply_text') : t('ratings.object_reason')}
      </label>
      <textarea
        id={`${id}-text`}
        rows={3}
        required
        maxLength={2000}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="row">
        <button type="submit" disabled={send.isPending || !text.trim()}>
          {t('send')}
        </button>
        <button type="button" className="secondary" onClick={() => setMode(null)}>
          {t('cancel')}
        </button>
      </div>
      {send.error && <ErrorNote error={send.error} />}
    </form>
  );
};

export const RatingsOfMe = () => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  useTitle(t('ratings.title'));
  const q = useOwnRatings();
  return (
    <div>
      <h1>{t('ratings.title')}</h1>
      <p>{t('ratings.intro')}</p>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        q.error instanceof ApiError && q.error.status === 404 ? (
          <p className="muted">{t('ratings.none')}</p>
        ) : (
          <ErrorNote error={q.error} />
        )
      ) : q.data.professionalism.count + q.data.honesty.count + q.data.professionalism.held === 0 &&
        q.data.comments.length === 0 ? (
        <p className="muted" data-testid="no-ratings">
          {t('ratings.none')}
        </p>
      ) : (
        <>
          <div className="cards">
            <DimensionCard name="professionalism" d={q.data.professionalism} min={q.data.min_count} />
            <DimensionCard name="honesty" d={q.data.honesty} min={q.data.min_count} />
          </div>
          <section aria-labelledby="comments-h">
            <h2 id="comments-h">{t('ratings.comments')}</h2>
            {q.data.held_comments > 0 && (
              <p className="muted">{t('ratings.held_comments', { count: q.data.held_comments })}</p>
            )}
            {q.data.comments.length === 0 ? (
              <p className="muted">{t('ratings.no_comments')}</p>
            ) : (
              <ul className="plain">
                {q.data.comments.map((c, i) => (
                  <li key={c.rating_id ?? i} className="card">
                    <p className="muted">
                      {t('ratings.week', { day: f.day(c.week) })} ·{' '}
                      {t('ratings.scores', { p: c.professionalism, h: c.honesty })}
                    </p>
                    {c.comment && <blockquote>{c.comment}</blockquote>}
                    {c.reply && (
                      <p className="reply">
                        <strong>{t('ratings.your_reply')}</strong> {c.reply}
                      </p>
                    )}
                    <Answer c={c} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
};
