/**
 * The sweep's periods are counted in the platform's days (TIME_ZONE, Asia/Shanghai by default), as
 * every other day it counts: the period that has just ended, and the windows a sustained aggregate
 * is judged in, start at local midnight, not at UTC midnight (08:00 in Beijing).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../context.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import type { RatingRow } from '../store/index.ts';
import { loadRatingsPolicy, type RatingsPolicy } from './policy.ts';
import { lastPeriodOn, sustained } from './sweep.ts';

let policy: RatingsPolicy;
beforeAll(async () => {
  policy = await loadRatingsPolicy();
});

const at = (iso: string, timeZone?: string): Clock => ({
  now: () => new Date(iso),
  ...(timeZone ? { timeZone } : {}),
});

const rating = (id: number, submittedAt: string, stars: number): RatingRow => ({
  id,
  interactionId: id,
  ratedId: 1,
  raterId: 100 + id,
  sourceId: 1,
  service: 'business licence counter',
  serviceDate: submittedAt.slice(0, 10),
  professionalism: stars,
  honesty: stars,
  comment: null,
  commentStatus: 'none',
  commentBands: null,
  connected: false,
  submittedAt,
  state: 0,
  releasedReasons: 0,
  held: false,
  reply: null,
  repliedAt: null,
  raterWeight: null,
});

describe('rating periods in the platform’s days', () => {
  it('a period ends at local midnight: at 01:00 in Beijing it has ended, while in UTC it runs on for 7 hours', () => {
    const days = policy.records.periodDays;
    // 2026-06-05 is the last day of a period (periods of 90 days from 1970-01-01).
    const end = lastPeriodOn(at('2026-06-06T12:00:00Z', 'UTC'), days);
    expect(formatDay(end.to - 1)).toBe('2026-06-05');
    // 2026-06-05T17:00Z is 2026-06-06 01:00 in Beijing.
    const beijing = lastPeriodOn(at('2026-06-05T17:00:00Z'), days);
    const utc = lastPeriodOn(at('2026-06-05T17:00:00Z', 'UTC'), days);
    expect(beijing).toEqual(end);
    expect(utc.to).toBe(end.from);
  });

  it('a window starts at local midnight: a rating at 04:00 in Beijing on the window’s first day counts in it', () => {
    const { windows, minWindowCount, periodDays } = policy.records;
    expect(periodDays % windows).toBe(0);
    const span = periodDays / windows;
    const period = lastPeriodOn(at('2026-06-06T04:00:00Z'), periodDays);
    // The first window brings enough low ratings to publish the aggregate; each later one exactly
    // the minimum count, in Beijing days. In the second, one of them is at 04:00 on its first day
    // (20:00 UTC the day before: the first window's, in UTC days).
    const perWindow = (w: number) =>
      w === 0 ? Math.max(minWindowCount, policy.aggregation.minCount) : minWindowCount;
    const rows: RatingRow[] = [];
    for (let w = 0; w < windows; w++) {
      const first = formatDay(period.from + w * span);
      for (let k = 0; k < perWindow(w); k++) {
        const early = w === 1 && k === 0;
        const instant = early
          ? new Date(Date.parse(`${first}T04:00:00+08:00`))
          : new Date(Date.parse(`${first}T12:00:00+08:00`) + (k + 1) * 86_400_000);
        rows.push(rating(rows.length + 1, instant.toISOString(), 1));
      }
    }
    const early = rows[perWindow(0)]!;
    expect(formatDay(parseDay(early.submittedAt.slice(0, 10)))).toBe(formatDay(period.from + span - 1));
    const mean: [number, number] = [3.5, 3.5];
    const local = sustained(rows, policy, mean, period, at('2026-06-06T04:00:00Z'));
    expect(local?.polarity).toBe('low');
    expect(local?.windows.map((w) => w.count)).toEqual(
      Array.from({ length: windows }, (_, w) => perWindow(0) + w * minWindowCount),
    );
    // Counted in UTC days the second window would be one short: no record.
    expect(sustained(rows, policy, mean, period, at('2026-06-06T04:00:00Z', 'UTC'))).toBeNull();
  });

  it('judges the aggregate as it was published: ratings not yet revealed at a window’s end are not in it', () => {
    const { windows, minWindowCount, periodDays } = policy.records;
    const span = periodDays / windows;
    const period = lastPeriodOn(at('2026-06-06T04:00:00Z'), periodDays);
    // One-star ratings enough for every window, each window's given in its last ten days: at the
    // end of the first window none of them is 14 days old, so nothing was published then.
    const rows: RatingRow[] = [];
    for (let w = 0; w < windows; w++) {
      const last = period.from + (w + 1) * span - 1;
      const n = w === 0 ? Math.max(minWindowCount, policy.aggregation.minCount) : minWindowCount;
      for (let k = 0; k < n; k++)
        rows.push(rating(rows.length + 1, `${formatDay(last - (k % 10))}T12:00:00+08:00`, 1));
    }
    const mean: [number, number] = [3.5, 3.5];
    expect(sustained(rows, policy, mean, period, at('2026-06-06T04:00:00Z'))).toBeNull();
    // The same ratings given early in each window were published low at every window's end.
    const early = rows.map((r, i) => {
      const w = rows.length - i <= minWindowCount ? 2 : rows.length - i <= 2 * minWindowCount ? 1 : 0;
      return { ...r, submittedAt: `${formatDay(period.from + w * span + (i % 10))}T12:00:00+08:00` };
    });
    expect(sustained(early, policy, mean, period, at('2026-06-06T04:00:00Z'))?.polarity).toBe('low');
  });
});
