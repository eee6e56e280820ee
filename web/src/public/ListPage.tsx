/**
 * One list's entries in force, a page at a time (?page= in the URL, so a page can be linked and
 * back works). Organizations and public bodies link to their page; a person appears only as the
 * court's published list of judgment defaulters shows one (name and masked ID number), never linked.
 */
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'wouter';
import { ApiError } from '../api/client';
import { ErrorNote, Loading } from '../ui';
import { Period } from './Organization';
import { LegalBasis, ListKindTag, useCount, useListName, useTitle } from './parts';
import { type PublicListEntry, useListPage } from './queries';

/** The listed subject: an organization links to its page; a person is a name, as the court publishes it. */
const Listed = ({ e }: { e: PublicListEntry }) => {
  const { t } = useTranslation('public');
  if (e.subject.kind === 'person') return <span>{e.subject.name}</span>;
  return (
    <>
      <Link href={`/org/${encodeURIComponent(e.subject.identifier)}`}>{e.subject.name}</Link>
      {'contested' in e && e.contested && (
        <>
          {' '}
          <span className="tag contested">{t('org.contested')}</span>
        </>
      )}
    </>
  );
};

const idOf = (e: PublicListEntry) =>
  e.subject.kind === 'person' ? e.subject.masked_id : e.subject.identifier;

const Pager = ({ page, pages, code }: { page: number; pages: number; code: string }) => {
  const { t } = useTranslation('public');
  const href = (p: number) => `/lists/${encodeURIComponent(code)}${p > 1 ? `?page=${p}` : ''}`;
  return (
    <nav className="pager row" aria-label={t('list.paging')}>
      {page > 1 ? (
        <Link href={href(Math.min(page - 1, pages))} rel="prev">
          {t('list.previous')}
        </Link>
      ) : (
        <span className="muted" aria-disabled="true">
          {t('list.previous')}
        </span>
      )}
      <span aria-current="page">{t('list.page_of', { page, pages })}</span>
      {page < pages ? (
        <Link href={href(page + 1)} rel="next">
          {t('list.next')}
        </Link>
      ) : (
        <span className="muted" aria-disabled="true">
          {t('list.next')}
        </span>
      )}
    </nav>
  );
};

export const ListPage = ({ code }: { code: string }) => {
  const { t } = useTranslation('public');
  const listName = useListName();
  const count = useCount();
  const [params] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const { data, error, isPending, isPlaceholderData } = useListPage(code, page);
  const name = data ? listName(data.list.code, data.list.name) : undefined;
  useTitle(name);

  if (isPending) return <Loading />;
  if (error instanceof ApiError && error.status === 404)
    return (
      <div className="public">
        <h1>{t('org.not_found_title')}</h1>
        <p>{t('list.not_found', { code })}</p>
        <p>
          <Link href="/lists">{t('list.back')}</Link>
        </p>
      </div>
    );
  if (error) return <ErrorNote error={error} />;

  const { list, entries, total, limit } = data;
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = (data.page - 1) * limit + 1;
  const hasPersons = list.publishes_persons;
  return (
    <div className="public">
      <p>
        <Link href="/lists">{t('list.back')}</Link>
      </p>
      <h1>{name}</h1>
      <p className="row">
        <ListKindTag kind={list.kind} />
        <strong>{t('lists.in_force', { count: total, formatted: count(total) })}</strong>
      </p>
      <details className="basis-details">
        <summary>{t('lists.basis')}</summary>
        <p>
          <LegalBasis code={list.code} text={list.legal_basis} />
        </p>
      </details>
      {hasPersons && <p className="note">{t('list.persons_note')}</p>}
      <section aria-labelledby="entries-heading" aria-busy={isPlaceholderData}>
        <h2 id="entries-heading">{t('list.entries_heading')}</h2>
        {entries.length === 0 ? (
          <>
            <p className="muted">{t(total === 0 ? 'list.none' : 'list.past_end')}</p>
            {total > 0 && <Pager page={data.page} pages={pages} code={list.code} />}
          </>
        ) : (
          <>
            <p className="muted" role="status">
              {t('list.showing', {
                from: count(first),
                to: count(first + entries.length - 1),
                total: count(total),
              })}
            </p>
            <div className="table-wrap">
              <table className="stack-on-phone" data-testid="list-entries">
                <thead>
                  <tr>
                    <th scope="col">{t('list.subject')}</th>
                    <th scope="col">{t('list.identifier')}</th>
                    <th scope="col">{t('org.period')}</th>
                    <th scope="col">{t('org.case')}</th>
                    <th scope="col">{t('list.authority')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e, i) => (
                    <tr key={`${idOf(e)}-${e.case_reference ?? i}`}>
                      <td data-label={t('list.subject')}>
                        <Listed e={e} />
                      </td>
                      <td data-label={t('list.identifier')} className="code">
                        {e.subject.kind === 'person'
                          ? (e.subject.masked_id ?? '—')
                          : (e.subject.identifier ?? '—')}
                      </td>
                      <td data-label={t('org.period')}>
                        <Period from={e.from} until={'until' in e ? e.until : undefined} />
                      </td>
                      <td data-label={t('org.case')} className="code">
                        {e.case_reference ?? '—'}
                      </td>
                      <td data-label={t('list.authority')}>{e.authority ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={data.page} pages={pages} code={list.code} />
          </>
        )}
      </section>
    </div>
  );
};
