/**
 * Charts for the dashboard: chart.js through react-chartjs-2, with only the parts these charts use
 * registered. Every chart is an image with an accessible name, and its numbers are also given as a
 * table (under the chart, folded) for screen readers and for anyone who wants the figures.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  type ChartData,
  Chart as ChartJS,
  type ChartOptions,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ReactNode } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import { useCount } from './parts';

ChartJS.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  Tooltip,
  Legend,
);

/** Distinct colours, each with at least 3:1 contrast against white (WCAG non-text contrast). */
export const PALETTE = [
  '#0b4f9c',
  '#a4161a',
  '#1a6b2d',
  '#7a4b00',
  '#6a1b9a',
  '#00695c',
  '#ad1457',
  '#37474f',
  '#4e342e',
  '#283593',
  '#558b2f',
  '#c62828',
  '#00838f',
];

export interface Series {
  label: string;
  values: number[];
}

/** A table of the chart's numbers: one row per category, one column per series. */
const NumbersTable = ({
  caption,
  categoryHeading,
  categories,
  series,
}: {
  caption: string;
  categoryHeading: string;
  categories: string[];
  series: Series[];
}) => {
  const count = useCount();
  return (
    <div className="table-wrap">
      <table className="numbers">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{categoryHeading}</th>
            {series.map((s) => (
              <th scope="col" key={s.label} className="num">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((c, i) => (
            <tr key={c}>
              <th scope="row">{c}</th>
              {series.map((s) => (
                <td key={s.label} className="num">
                  {count(s.values[i] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};

/**
 * A bar or line chart of series over categories, with its name, a one-line summary and the table
 * of its numbers. Bars stack when `stacked`.
 */
export const SeriesChart = ({
  kind,
  name,
  summary,
  categoryHeading,
  categories,
  series,
  stacked = false,
  log = false,
  testId,
}: {
  kind: 'bar' | 'line';
  name: string;
  summary: ReactNode;
  categoryHeading: string;
  categories: string[];
  series: Series[];
  stacked?: boolean;
  /** A logarithmic value axis (bars side by side, not stacked), for counts of very different sizes. */
  log?: boolean;
  testId?: string;
}) => {
  const { t, i18n } = useTranslation('console');
  const locale = i18n.language;
  const colour = (i: number) => PALETTE[i % PALETTE.length]!;
  if (categories.length === 0 || series.length === 0)
    return (
      <figure className="chart-figure" data-testid={testId}>
        <figcaption className="muted">{t('dashboard.no_data')}</figcaption>
      </figure>
    );
  const scales = {
    x: { stacked: stacked && !log, ticks: { color: '#1b1f24' } },
    y: log
      ? { type: 'logarithmic' as const, min: 1, ticks: { color: '#1b1f24' } }
      : { stacked, beginAtZero: true, ticks: { color: '#1b1f24', precision: 0 } },
  };
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    locale,
    animation: false as const,
    plugins: { legend: { position: 'bottom' as const, labels: { color: '#1b1f24', boxWidth: 12 } } },
    scales,
  };
  const chart =
    kind === 'bar' ? (
      <Bar
        role="img"
        aria-label={name}
        options={common as ChartOptions<'bar'>}
        data={
          {
            labels: categories,
            datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: colour(i) })),
          } satisfies ChartData<'bar'>
        }
      />
    ) : (
      <Line
        role="img"
        aria-label={name}
        options={common as ChartOptions<'line'>}
        data={
          {
            labels: categories,
            datasets: series.map((s, i) => ({
              label: s.label,
              data: s.values,
              borderColor: colour(i),
              backgroundColor: colour(i),
              pointRadius: categories.length > 40 ? 0 : 3,
              tension: 0.2,
            })),
          } satisfies ChartData<'line'>
        }
      />
    );
  return (
    <figure className="chart-figure" data-testid={testId}>
      <div className="chart">{chart}</div>
      <figcaption>{summary}</figcaption>
      <details className="chart-numbers">
        <summary>{t('dashboard.show_numbers')}</summary>
        <NumbersTable
          caption={name}
          categoryHeading={categoryHeading}
          categories={categories}
          series={series}
        />
      </details>
    </figure>
  );
};
