/**
 * A comment is shown with the week it was given in (its Monday, in the platform's zone), never
 * its day: ratings mostly come right after the visit, so a day would point at it.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../context.ts';
import { weekOf } from './view.ts';

const beijing: Clock = { now: () => new Date(), timeZone: 'Asia/Shanghai' };
const utc: Clock = { now: () => new Date(), timeZone: 'UTC' };

describe('the week a comment is shown with', () => {
  it('is the Monday of the week, whatever the day within it', () => {
    for (const d of ['2026-03-02', '2026-03-04', '2026-03-06', '2026-03-08'])
      expect(weekOf(beijing, new Date(`${d}T12:00:00+08:00`))).toBe('2026-03-02');
    expect(weekOf(beijing, new Date('2026-03-09T12:00:00+08:00'))).toBe('2026-03-09');
    // Across a month and a year end.
    expect(weekOf(beijing, new Date('2027-01-01T12:00:00+08:00'))).toBe('2026-12-28');
  });

  it('counts the week in the platform’s zone: Sunday 20:00 UTC is Monday 04:00 in Beijing', () => {
    const at = new Date('2026-03-08T20:00:00Z');
    expect(weekOf(beijing, at)).toBe('2026-03-09');
    expect(weekOf(utc, at)).toBe('2026-03-02');
  });
});
