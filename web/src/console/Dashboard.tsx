/**
 * The dashboard (GET /v1/console/dashboard): what needs doing — objections and repair applications
 * due (overdue first), held rating windows, inspection outcomes overdue — and how the population
 * stands: grades by subject kind, records ingested per day by source kind (90 days), list sizes at
 * each month's end (12 months) and today. Every chart has its numbers in a table too.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client';
import { Day, ErrorNote, Loading } from '../ui';
import { SeriesChart } from './charts';
import { type Answer, Due, ListTag, Panel, useCount, useDayText, useNames, useTitle, When } from './parts';

export type DashboardData = Answer<'/v1/console/dashboard', 'get'>;

const GRADE_ORDER = ['AAA', 'AA', 'A', 'B', 'C', 'DA', 'DB', 'DC', 'D'];
const KINDS = ['person', 'organization', 'public_body'] as const;

const gradeRank = (g: string) => {
  const i = GRADE_ORDER.indexOf(g);
  return i < 0 ? 500 : i;
};

/** One series per key, one value per category, summed from rows. */
const pivot = <R,>(
  rows: readonly R[],
  categories: readonly string[],
  categoryOf: (r: R) => string,
  keys: readonly string[],
  keyOf: (r: R) => string,
  amountOf: (r: R) => number,
) =>
  keys.map((key) => {
    const values = categories.map(() => 0);
    for (const r of rows) {
      if (keyOf(r) !== key) continue;
      const i = categories.indexOf(categoryOf(r));
      if (i >= 0) values[i] = (values[i] ?? 0) + amountOf(r);
    }
    return { key, values };
  });

const sortedDistinct = (xs: string[]) => [...new Set(xs)].sort();

const Tally = ({
  label,
  value,
  overdue,
  href,
  testId,
}: {
  label: string;
  value: number;
  overdue?: number;
  href?: string;
  testId: string;
}) => {
  const { t } = useTranslation('console');
  const count = useCount();
  return (
    <div className="card tally" data-testid={testId}>
      <p className="tally-label">{label}</p>
      <p className="tally-value">{count(value)}</p>
      {overdue !== undefined && (
        <p className={overdue > 0 ? 'tally-overdue' : 'muted'}>
          {t('dashboard.overdue_n', { count: overdue, formatted: count(overdue) })}
        </p>
      )}
      {href && <Link href={href}>{t('dashboard.open_queue')}</Link>}
    </div>
  );
};

const GradeChart = ({ data }: { data: DashboardData }) => {
  const { t } = useTranslation('console');
  const [log, setLog] = useState(false);
  const logId = useId();
  const names = useNames();
  const count = useCount();
  const rows = KINDS.flatMap((kind) => [
    ...Object.entries(data.grades[kind]).map(([grade, n]) => ({ kind, grade, count: n })),
    ...(data.unscored[kind] > 0 ? [{ kind, grade: '', count: data.unscored[kind] }] : []),
  ]);
  const grades = [...new Set(rows.map((r) => r.grade))].sort(
    (a, b) => (a === '' ? 1000 : gradeRank(a)) - (b === '' ? 1000 : gradeRank(b)),
  );
  const label = (g: string) => (g === '' ? t('dashboard.not_scored') : g);
  const kinds = KINDS.filter((k) => rows.some((r) => r.kind === k));
  const series = pivot(
    rows,
    grades,
    (r) => r.grade,
    kinds,
    (r) => r.kind,
    (r) => r.count,
  );
  const total = rows.reduce((s, r) => s + r.count, 0);
  const top = [...rows].sort((a, b) => b.count - a.count)[0];
  return (
    <>
      <div className="row chart-option">
        <input id={logId} type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
        <label htmlFor={logId}>{t('dashboard.log_scale')}</label>
      </div>
      <SeriesChart
        kind="bar"
        stacked
        log={log}
        testId="chart-grades"
        name={t('dashboard.grades_chart')}
        categoryHeading={t('dashboard.grade')}
        categories={grades.map(label)}
        series={series.map((s) => ({ label: names.subjectKind(s.key), values: s.values }))}
        summary={t('dashboard.grades_summary', {
          total: count(total),
          grade: top ? label(top.grade) : '—',
          kind: top ? names.subjectKind(top.kind) : '—',
          count: top ? count(top.count) : '0',
        })}
      />
    </>
  );
};

const IngestChart = ({ data }: { data: DashboardData }) => {
  const { t, i18n } = useTranslation('console');
  const dayText = useDayText();
  const names = useNames();
  const count = useCount();
  const days = sortedDistinct(data.ingest.map((r) => r.day));
  const kinds = sortedDistinct(data.ingest.map((r) => r.source_kind));
  const format = new Intl.DateTimeFormat(i18n.language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const dayLabel = (d: string) => format.format(new Date(`${d}T00:00:00Z`));
  const series = pivot(
    data.ingest,
    days,
    (r) => r.day,
    kinds,
    (r) => r.source_kind,
    (r) => r.count,
  );
  const total = data.ingest.reduce((s, r) => s + r.count, 0);
  return (
    <SeriesChart
      kind="bar"
      stacked
      testId="chart-ingest"
      name={t('dashboard.ingest_chart')}
      categoryHeading={t('dashboard.day')}
      categories={days.map(dayLabel)}
      series={series.map((s) => ({ label: names.sourceKind(s.key), values: s.values }))}
      summary={t('dashboard.ingest_summary', {
        total: count(total),
        count: days.length,
        days: count(days.length),
        kinds: count(kinds.length),
        from: dayText(data.ingest_from),
      })}
    />
  );
};

const ListChart = ({ data }: { data: DashboardData }) => {
  const { t, i18n } = useTranslation('console');
  const names = useNames();
  const count = useCount();
  const rows = data.list_sizes.months;
  const months = sortedDistinct(rows.map((r) => r.month));
  const lists = sortedDistinct(rows.map((r) => r.list));
  const format = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const monthLabel = (m: string) => format.format(new Date(`${m.slice(0, 7)}-01T00:00:00Z`));
  const series = pivot(
    rows,
    months,
    (r) => r.month,
    lists,
    (r) => r.list,
    (r) => r.count,
  );
  const today = data.list_sizes.current.reduce((s, r) => s + r.count, 0);
  return (
    <>
      <SeriesChart
        kind="line"
        testId="chart-lists"
        name={t('dashboard.lists_chart')}
        categoryHeading={t('dashboard.month_end')}
        categories={months.map(monthLabel)}
        series={series.map((s) => ({ label: names.list(s.key), values: s.values }))}
        summary={t('dashboard.lists_summary', {
          count: today,
          formatted: count(today),
          lists: count(data.list_sizes.current.length),
        })}
      />
      <h3>{t('dashboard.lists_today')}</h3>
      {data.list_sizes.current.length === 0 ? (
        <p className="muted">{t('dashboard.no_entries')}</p>
      ) : (
        <ul className="plain list-today">
          {data.list_sizes.current.map((l) => (
            <li key={l.list}>
              <ListTag code={l.list} /> <span className="num">{count(l.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
};

const Inspections = ({ data }: { data: DashboardData }) => {
  const { t } = useTranslation('console');
  const count = useCount();
  if (data.inspections.length === 0) return <p className="muted">{t('dashboard.no_plans')}</p>;
  return (
    <div className="table-wrap">
      <table className="stack-on-phone" data-testid="inspection-plans">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.plan')}</th>
            <th scope="col" className="num">
              {t('dashboard.targets')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.done')}
            </th>
            <th scope="col" className="num">
              {t('dashboard.outcomes_overdue')}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.inspections.map((p) => (
            <tr key={p.id}>
              <td data-label={t('dashboard.plan')}>
                #{p.id} · {p.period}
                <br />
                <span className="muted">{p.regulator}</span>
              </td>
              <td data-label={t('dashboard.targets')} className="num">
                {count(p.targets)}
              </td>
              <td data-label={t('dashboard.done')} className="num">
                {count(p.done)}
              </td>
              <td data-label={t('dashboard.outcomes_overdue')} className="num">
                {p.overdue > 0 ? <span className="tag overdue">{count(p.overdue)}</span> : count(0)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/** Objections and repair applications due, overdue first, then by the day their clock runs out. */
const DueFirst = ({ data }: { data: DashboardData }) => {
  const { t } = useTranslation('console');
  const names = useNames();
  const rows = [
    ...data.objections_due.items.map((o) => ({
      ...o,
      key: `o${o.id}`,
      what: t('dashboard.objection_n', { id: o.id }),
      href: '/objections',
    })),
    ...data.repairs_due.items.map((r) => ({
      ...r,
      key: `r${r.id}`,
      what: t('dashboard.repair_n', { id: r.id }),
      href: '/repairs',
    })),
  ].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due ?? '').localeCompare(b.due ?? ''));
  return (
    <>
      {rows.length === 0 ? (
        <p className="muted">{t('dashboard.nothing_due')}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-on-phone" data-testid="due-first">
            <thead>
              <tr>
                <th scope="col">{t('dashboard.item')}</th>
                <th scope="col">{t('dashboard.subject')}</th>
                <th scope="col">{t('dashboard.status')}</th>
                <th scope="col">{t('dashboard.due')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 12).map((r) => (
                <tr key={r.key}>
                  <td data-label={t('dashboard.item')}>
                    <Link href={r.href}>{r.what}</Link>
                  </td>
                  <td data-label={t('dashboard.subject')}>{r.subject.name}</td>
                  <td data-label={t('dashboard.status')}>{names.status(r.status)}</td>
                  <td data-label={t('dashboard.due')}>
                    <Due day={r.due} overdue={r.overdue} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data.held_ratings.oldest.length > 0 && (
        <>
          <h3>{t('dashboard.held_windows')}</h3>
          <ul className="plain">
            {data.held_ratings.oldest.map((h) => (
              <li key={h.id}>
                <Link href={`/holds/${h.id}`}>
                  {t('dashboard.hold_n', { id: h.id })} · {names.holdReason(h.reason)}
                </Link>
                {h.subject && ` · ${h.subject.name ?? h.subject.identifier}`} ·{' '}
                {t('holds.ratings_n', { count: h.ratings })} · <When at={h.created_at} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
};

export const Dashboard = () => {
  const { t } = useTranslation('console');
  useTitle(t('nav.dashboard'));
  const dash = useQuery({
    queryKey: ['console', 'dashboard'],
    queryFn: () => unwrap(api.GET('/v1/console/dashboard')),
  });
  const d = dash.data;
  return (
    <>
      <h1>{t('dashboard.title')}</h1>
      {dash.isPending && <Loading />}
      {dash.error && <ErrorNote error={dash.error} />}
      {d && (
        <>
          <p className="muted">
            {t('dashboard.as_of')} <Day day={d.as_of} />
          </p>
          <div className="cards tallies">
            <Tally
              testId="tally-objections"
              label={t('dashboard.objections_open')}
              value={d.objections_due.total}
              overdue={d.objections_due.overdue}
              href="/objections"
            />
            <Tally
              testId="tally-repairs"
              label={t('dashboard.repairs_open')}
              value={d.repairs_due.total}
              overdue={d.repairs_due.overdue}
              href="/repairs"
            />
            <Tally
              testId="tally-holds"
              label={t('dashboard.holds_pending')}
              value={d.held_ratings.pending}
              href="/holds"
            />
            <Tally
              testId="tally-inspections"
              label={t('dashboard.inspections_overdue')}
              value={d.inspections.reduce((s, p) => s + p.overdue, 0)}
            />
          </div>
          <Panel title={t('dashboard.due_first')}>
            <DueFirst data={d} />
          </Panel>
          <div className="dash-grid">
            <Panel title={t('dashboard.grades_chart')}>
              <GradeChart data={d} />
            </Panel>
            <Panel title={t('dashboard.ingest_chart')}>
              <IngestChart data={d} />
            </Panel>
            <Panel title={t('dashboard.lists_chart')}>
              <ListChart data={d} />
            </Panel>
            <Panel title={t('dashboard.inspections')}>
              <Inspections data={d} />
            </Panel>
          </div>
        </>
      )}
    </>
  );
};
