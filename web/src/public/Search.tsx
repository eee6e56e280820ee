/**
 * The public lookup's front page: search organizations and public bodies by name (Chinese, partial)
 * or Unified Social Credit Code. The query lives in the URL (?q=), so a result list can be linked,
 * reloaded and gone back to. Persons are never searchable (product rule; DESIGN "the public").
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearchParams } from 'wouter';
import { ErrorNote, Grade, Loading } from '../ui';
import { SubjectKind, useCount, useTitle } from './parts';
import { SEARCH_LIMIT, type SearchResult, useSearchResults } from './queries';

const ResultCard = ({ r }: { r: SearchResult }) => {
  const { t } = useTranslation('public');
  const count = useCount();
  return (
    <li className="card result">
      <h3>
        <Link href={`/org/${encodeURIComponent(r.identifier)}`}>{r.name}</Link>
      </h3>
      <dl className="facts">
        <dt>{t('fields.code')}</dt>
        <dd className="code">{r.identifier}</dd>
        <dt>{t('fields.kind')}</dt>
        <dd>
          <SubjectKind kind={r.kind} />
        </dd>
        <dt>{t('fields.grade')}</dt>
        <dd>
          <Grade grade={r.grade} />
        </dd>
        <dt>{t('fields.lists')}</dt>
        <dd>
          {r.lists_in_force === 0 ? (
            <span className="muted">{t('search.no_lists')}</span>
          ) : (
            <span className="tag">
              {t('search.on_lists', { count: r.lists_in_force, formatted: count(r.lists_in_force) })}
            </span>
          )}
        </dd>
      </dl>
    </li>
  );
};

const Results = ({ q }: { q: string }) => {
  const { t } = useTranslation('public');
  const count = useCount();
  const { data, error, isPending, isPlaceholderData } = useSearchResults(q);
  if (isPending) return <Loading />;
  if (error) return <ErrorNote error={error} />;
  const results = data.results;
  return (
    <section aria-labelledby="results-heading" aria-busy={isPlaceholderData}>
      <h2 id="results-heading">{t('search.results_heading', { q })}</h2>
      <p role="status" className="muted">
        {results.length === 0
          ? t('search.none', { q })
          : results.length >= SEARCH_LIMIT
            ? t('search.more', { formatted: count(results.length) })
            : t('search.results', { count: results.length, formatted: count(results.length) })}
      </p>
      {results.length > 0 && (
        <ul className="results plain" data-testid="search-results">
          {results.map((r) => (
            <ResultCard key={r.identifier} r={r} />
          ))}
        </ul>
      )}
    </section>
  );
};

export const Search = () => {
  const { t } = useTranslation('public');
  const [params] = useSearchParams();
  const [, navigate] = useLocation();
  const q = (params.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  const inputId = useId();
  const hintId = useId();
  useTitle(q ? t('search.results_heading', { q }) : t('search.title'));

  // Back and forward change ?q= under the box: show what the URL says.
  useEffect(() => setText(q), [q]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = text.trim();
    navigate(next ? `/?q=${encodeURIComponent(next)}` : '/');
  };

  return (
    <div className="public">
      <h1>{t('search.title')}</h1>
      <p>{t('search.intro')}</p>
      <search>
        <form onSubmit={submit} className="search-form">
          <label htmlFor={inputId}>{t('search.label')}</label>
          <div className="row">
            <input
              id={inputId}
              name="q"
              type="search"
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-describedby={hintId}
              autoComplete="off"
              spellCheck={false}
              maxLength={100}
            />
            <button type="submit">{t('search.submit')}</button>
          </div>
          <p id={hintId} className="muted hint">
            {t('search.hint')}
          </p>
        </form>
      </search>
      <p className="note">{t('search.persons_note')}</p>
      {q ? (
        <Results q={q} />
      ) : (
        <p>
          <Link href="/lists">{t('search.browse_lists')}</Link>
        </p>
      )}
    </div>
  );
};
