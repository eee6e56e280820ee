/**
 * An organization's or public body's published credit information: its grade with the records
 * behind it, the list entries in
 * force with their legal basis, period, case reference and reason, the published results of random
 * inspections, and citizens' rating aggregates with their counts. A miss says "not found" and
 * nothing more: the page never tells whether some person holds an identifier.
 */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../api/client';
import { Day, ErrorNote, Grade, Loading } from '../ui';
import { LegalBasis, ListKindTag, SubjectKind, useCount, useListName, useReason, useTitle } from './parts';
import {
  type Organization as Org,
  type RatingComment,
  type RatingDimension,
  useOrganization,
} from './queries';

const ListEntries = ({ org }: { org: Org }) => {
  const { t } = useTranslation('public');
  const listName = useListName();
  const reason = useReason();
  return (
    <section aria-labelledby="lists-heading">
      <h2 id="lists-heading">{t('org.lists_heading')}</h2>
      {org.lists.length === 0 ? (
        <p className="muted">{t('org.lists_none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-on-phone" data-testid="org-lists">
            <thead>
              <tr>
                <th scope="col" className="col-list">
                  {t('org.list')}
                </th>
                <th scope="col">{t('org.period')}</th>
                <th scope="col">{t('org.case')}</th>
                <th scope="col" className="col-reason">
                  {t('org.reason')}
                </th>
                <th scope="col">{t('org.basis')}</th>
              </tr>
            </thead>
            <tbody>
              {org.lists.map((e) => (
                <tr key={`${e.list}-${e.from}`}>
                  <td data-label={t('org.list')}>
                    <ListKindTag kind={e.kind} />{' '}
                    <Link href={`/lists/${encodeURIComponent(e.list)}`}>{listName(e.list, e.name)}</Link>
                    {e.contested && (
                      <>
                        {' '}
                        <span className="tag contested">{t('org.contested')}</span>
                      </>
                    )}
                  </td>
                  <td data-label={t('org.period')}>
                    <Period from={e.from} until={e.until} />
                  </td>
                  <td data-label={t('org.case')} className="code">
                    {e.case_reference ?? '—'}
                  </td>
                  <td data-label={t('org.reason')}>{reason(e.reason_code)}</td>
                  <td data-label={t('org.basis')}>
                    <LegalBasis code={e.list} text={e.legal_basis} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

/**
 * From–until. `until` null: in force until a deletion condition is met; absent: the list publishes
 * only the day it took effect (the court's list does so for a person).
 */
export const Period = ({ from, until }: { from: string; until?: string | null }) => {
  const { t } = useTranslation('public');
  if (until === undefined)
    return (
      <span className="period">
        {t('org.since')} <Day day={from} />
      </span>
    );
  return (
    <span className="period">
      <Day day={from} /> – {until ? <Day day={until} /> : t('org.open_ended')}
    </span>
  );
};

/**
 * The records behind the grade, largest effect first (product rule 5): points, or the grade a
 * record sets, its type and day, and until when it counts. Type names are the catalogue's English.
 */
const KeyFactors = ({ org }: { org: Org }) => {
  const { t, i18n } = useTranslation('public');
  const signed = new Intl.NumberFormat(i18n.language, { signDisplay: 'exceptZero' });
  return (
    <section aria-labelledby="factors-heading">
      <h2 id="factors-heading">{t('org.factors_heading')}</h2>
      {org.key_factors.length === 0 ? (
        <p className="muted">{t('org.factors_none')}</p>
      ) : (
        <ol className="plain factors" data-testid="org-factors">
          {org.key_factors.map((k) => (
            <li key={`${k.type}-${k.date}`}>
              {k.direct_grade ? (
                <span className="tag">{t('org.factor_sets', { grade: k.direct_grade })}</span>
              ) : (
                <span className={`points ${k.points < 0 ? 'neg' : 'pos'}`}>{signed.format(k.points)}</span>
              )}{' '}
              <span lang={i18n.language === 'en' ? undefined : 'en'}>{k.type_name}</span> (
              <Day day={k.date} />)
              {k.contested && (
                <>
                  {' '}
                  <span className="tag contested">{t('org.contested')}</span>
                </>
              )}
              {k.until && (
                <>
                  {' '}
                  <span className="muted">
                    {t('org.factor_until')} <Day day={k.until} />
                  </span>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};

const Inspections = ({ org }: { org: Org }) => {
  const { t } = useTranslation('public');
  return (
    <section aria-labelledby="inspections-heading">
      <h2 id="inspections-heading">{t('org.inspections_heading')}</h2>
      {org.inspections.length === 0 ? (
        <p className="muted">{t('org.inspections_none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-on-phone">
            <thead>
              <tr>
                <th scope="col">{t('org.inspected_on')}</th>
                <th scope="col">{t('org.regulator')}</th>
                <th scope="col">{t('org.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {org.inspections.map((i) => (
                <tr key={i.id}>
                  <td data-label={t('org.inspected_on')}>
                    <Day day={i.inspected_on} />
                  </td>
                  <td data-label={t('org.regulator')}>{i.regulator}</td>
                  <td data-label={t('org.outcome')}>
                    {i.outcome ? t(`outcomes.${i.outcome}`, { defaultValue: i.outcome }) : '—'}
                    {i.contested && (
                      <>
                        {' '}
                        <span className="tag contested">{t('org.contested')}</span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

const STARS = ['5', '4', '3', '2', '1'] as const;

/** One rated aspect: its average and count when published, its distribution as bars with numbers. */
const Dimension = ({ name, d, min }: { name: string; d: RatingDimension; min: number }) => {
  const { t, i18n } = useTranslation('public');
  const count = useCount();
  const label = t(`org.dimensions.${name}`, { defaultValue: name });
  const most = Math.max(1, ...STARS.map((s) => d.distribution[s] ?? 0));
  const one = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const mean = d.mean === null ? null : one.format(d.mean);
  const band = d.band?.low != null && d.band.high != null ? d.band : null;
  return (
    <div className="card dimension">
      <h3>{label}</h3>
      {d.published && mean !== null ? (
        <p>
          <span className="mean">{mean}</span> <span className="muted">/ 5</span>
          <br />
          {t('org.counted', { count: d.count, formatted: count(d.count) })}
          {band && (
            <>
              <br />
              <span className="muted">
                {t('org.band', { low: one.format(band.low!), high: one.format(band.high!) })}
              </span>
            </>
          )}
        </p>
      ) : (
        <p className="muted">{t('org.below_min', { count: d.count, formatted: count(d.count), min })}</p>
      )}
      {d.held > 0 && <p className="muted">{t('org.held', { count: d.held, formatted: count(d.held) })}</p>}
      {d.published && (
        <table className="bars">
          <caption className="visually-hidden">{t('org.distribution', { dimension: label })}</caption>
          <tbody>
            {STARS.map((s) => {
              const n = d.distribution[s] ?? 0;
              return (
                <tr key={s}>
                  <th scope="row">{t('org.stars', { count: Number(s) })}</th>
                  <td className="bar-cell">
                    <span className="bar" style={{ width: `${(100 * n) / most}%` }} />
                  </td>
                  <td className="num">{count(n)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
};

const Comments = ({ comments }: { comments: RatingComment[] }) => {
  const { t, i18n } = useTranslation('public');
  const weekDay = (day: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(`${day}T00:00:00Z`),
    );
  if (comments.length === 0) return null;
  return (
    <>
      <h3>{t('org.comments')}</h3>
      <ul className="plain comments">
        {comments.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: published comments carry no id (raters stay unnamed); the list is replaced whole
          <li key={`${c.week}-${i}`} className="card">
            <p className="muted">
              {/* The week only: with the day, a comment would point at the visit. */}
              <time dateTime={c.week}>{t('org.comment_week', { day: weekDay(c.week) })}</time> ·{' '}
              {t('org.comment_scores', { professionalism: c.professionalism, honesty: c.honesty })}
            </p>
            {c.comment && <p>{c.comment}</p>}
            {c.reply && (
              <p className="reply">
                <strong>{t('org.reply')}</strong> {c.reply}
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
};

const Ratings = ({ org }: { org: Org }) => {
  const { t } = useTranslation('public');
  const r = org.ratings;
  return (
    <section aria-labelledby="ratings-heading">
      <h2 id="ratings-heading">{t('org.ratings_heading')}</h2>
      <p className="muted">{t('org.ratings_intro', { min: r.min_count })}</p>
      <div className="cards">
        <Dimension name="professionalism" d={r.professionalism} min={r.min_count} />
        <Dimension name="honesty" d={r.honesty} min={r.min_count} />
      </div>
      <Comments comments={r.comments} />
    </section>
  );
};

export const Organization = ({ id }: { id: string }) => {
  const { t } = useTranslation('public');
  const { data: org, error, isPending } = useOrganization(id);
  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 400);
  useTitle(org?.name ?? (notFound ? t('org.not_found_title') : undefined));

  if (isPending) return <Loading />;
  if (notFound)
    return (
      <div className="public">
        <h1>{t('org.not_found_title')}</h1>
        <p>{t('org.not_found', { id })}</p>
        <p>
          <Link href="/">{t('org.back')}</Link>
        </p>
      </div>
    );
  if (error) return <ErrorNote error={error} />;

  return (
    <article className="public org">
      <h1>{org.name}</h1>
      <dl className="facts org-facts">
        <dt>{t('fields.code')}</dt>
        <dd className="code">{org.identifier}</dd>
        <dt>{t('fields.kind')}</dt>
        <dd>
          <SubjectKind kind={org.kind} />
        </dd>
        <dt>{t('fields.grade')}</dt>
        <dd data-testid="org-grade">
          <Grade grade={org.grade} />
        </dd>
      </dl>
      <KeyFactors org={org} />
      <ListEntries org={org} />
      <Inspections org={org} />
      <Ratings org={org} />
      <p>
        <Link href="/">{t('org.back')}</Link>
      </p>
    </article>
  );
};
