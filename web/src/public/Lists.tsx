/**
 * The black, red and focus lists: each with its kind, legal basis and the number of entries in
 * force, linking to its entries.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ErrorNote, Loading } from '../ui';
import { LegalBasis, ListKindTag, SubjectKind, useCount, useListName, useTitle } from './parts';
import { useLists } from './queries';

const ORDER: Record<string, number> = { black: 0, red: 1, focus: 2 };

export const Lists = () => {
  const { t } = useTranslation('public');
  const listName = useListName();
  const count = useCount();
  const { data, error, isPending } = useLists();
  useTitle(t('lists.title'));

  return (
    <div className="public">
      <h1>{t('lists.title')}</h1>
      <p>{t('lists.intro')}</p>
      {isPending ? (
        <Loading />
      ) : error ? (
        <ErrorNote error={error} />
      ) : (
        <ul className="plain" data-testid="lists">
          {[...data.lists]
            .sort((a, b) => (ORDER[a.kind] ?? 9) - (ORDER[b.kind] ?? 9))
            .map((l) => (
              <li key={l.code} className="card list-card">
                <h2>
                  <Link href={`/lists/${encodeURIComponent(l.code)}`}>{listName(l.code, l.name)}</Link>
                </h2>
                <p className="row">
                  <ListKindTag kind={l.kind} />
                  <strong>{t('lists.in_force', { count: l.in_force, formatted: count(l.in_force) })}</strong>
                </p>
                <dl className="facts">
                  <dt>{t('lists.subject_kinds')}</dt>
                  <dd>
                    {l.subject_kinds.length === 0 && t('lists.not_published')}
                    {l.subject_kinds.map((k, i) => (
                      <span key={k}>
                        {i > 0 && t('list_separator')}
                        <SubjectKind kind={k} />
                      </span>
                    ))}
                  </dd>
                  <dt>{t('lists.basis')}</dt>
                  <dd>
                    <LegalBasis code={l.code} text={l.legal_basis} />
                  </dd>
                </dl>
              </li>
            ))}
        </ul>
      )}
    </div>
  );
};
