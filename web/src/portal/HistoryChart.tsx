/**
 * The score's history as a line chart (chart.js through react-chartjs-2, only the pieces a line
 * chart needs), with an accessible name summing it up and a table of the same figures.
 */
import {
  CategoryScale,
  Chart as ChartJS,
  type ChartOptions,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { Line } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import { Grade } from '../ui';
import type { HistoryPoint } from './queries';
import { NS, useFormat } from './words';

ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, Tooltip);

export const HistoryChart = ({ points }: { points: HistoryPoint[] }) => {
  const { t } = useTranslation(NS);
  const f = useFormat();
  const rows = [...points].sort((a, b) => a.day.localeCompare(b.day));
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return null;
  const scores = rows.map((r) => r.score);
  const low = Math.min(...scores);
  const high = Math.max(...scores);
  const summary = t('history.summary', {
    from: f.day(first.day),
    to: f.day(last.day),
    first: f.number(first.score),
    last: f.number(last.score),
    low: f.number(low),
    high: f.number(high),
  });
  const options: ChartOptions<'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    locale: f.lang,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: {
          label: (item) => {
            const r = rows[item.dataIndex];
            return r ? t('history.point', { score: f.number(r.score), grade: r.grade ?? '—' }) : '';
          },
        },
      },
    },
    scales: {
      x: { ticks: { maxTicksLimit: 6, autoSkip: true, maxRotation: 0 } },
      y: {
        suggestedMin: Math.max(0, low - 50),
        suggestedMax: high + 50,
        title: { display: true, text: t('history.axis') },
      },
    },
  };
  const data = {
    labels: rows.map((r) => f.day(r.day)),
    datasets: [
      {
        label: t('history.axis'),
        data: scores,
        borderColor: '#0b4f9c',
        backgroundColor: '#0b4f9c',
        pointRadius: rows.length > 60 ? 0 : 2,
        stepped: 'before' as const,
        borderWidth: 2,
      },
    ],
  };
  return (
    <figure className="history" data-testid="history-chart">
      <div className="chart">
        <Line data={data} options={options} role="img" aria-label={summary} />
      </div>
      <figcaption className="muted">{summary}</figcaption>
      <details>
        <summary>{t('history.table')}</summary>
        <div className="history-table">
          <table>
            <caption className="visually-hidden">{t('history.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('history.day')}</th>
                <th scope="col">{t('history.score')}</th>
                <th scope="col">{t('history.grade')}</th>
              </tr>
            </thead>
            <tbody>
              {[...rows].reverse().map((r) => (
                <tr key={r.day}>
                  <td>{f.day(r.day)}</td>
                  <td>{f.number(r.score)}</td>
                  <td>
                    <Grade grade={r.grade} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
};
