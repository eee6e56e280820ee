import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, formatDay, monthEndsBefore, parseDay, parseTimestampMs } from './days.ts';

const ms = 86_400_000;

describe('day numbers', () => {
  it('read and write dates the way the calendar does', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1800-01-01'), max: new Date('2400-12-31'), noInvalidDate: true }),
        (d) => {
          const text = d.toISOString().slice(0, 10);
          const day = parseDay(text);
          expect(day).toBe(Math.floor(d.getTime() / ms));
          expect(formatDay(day)).toBe(text);
        },
      ),
    );
    expect(parseDay('2025-02-29')).toBeNaN();
    expect(parseDay('2025-1-01')).toBeNaN();
  });

  it('add months as the calendar does, ending on the last day of a shorter month', () => {
    expect(formatDay(addMonths(parseDay('2024-02-29'), 12))).toBe('2025-02-28');
    expect(formatDay(addMonths(parseDay('2025-01-31'), 1))).toBe('2025-02-28');
    expect(formatDay(addMonths(parseDay('2025-03-02'), 24))).toBe('2027-03-02');
    fc.assert(
      fc.property(
        fc.integer({ min: -80_000, max: 150_000 }),
        fc.integer({ min: 0, max: 120 }),
        (day, months) => {
          const d = new Date(day * ms);
          const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
          const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
          const expected =
            Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), last)) / ms;
          expect(addMonths(day, months)).toBe(expected);
        },
      ),
    );
  });

  it('give the last days of the months before a day, oldest first, leap years included', () => {
    expect(monthEndsBefore(parseDay('2024-03-31'), 3).map(formatDay)).toEqual([
      '2023-12-31',
      '2024-01-31',
      '2024-02-29',
    ]);
    expect(monthEndsBefore(parseDay('2026-01-01'), 1).map(formatDay)).toEqual(['2025-12-31']);
    fc.assert(
      fc.property(fc.integer({ min: -50_000, max: 80_000 }), fc.integer({ min: 1, max: 30 }), (day, n) => {
        const ends = monthEndsBefore(day, n);
        expect(ends).toHaveLength(n);
        for (const e of ends) expect(formatDay(e + 1).endsWith('-01')).toBe(true);
        expect(ends.at(-1)!).toBeLessThan(day);
        expect(formatDay(ends.at(-1)! + 1).slice(0, 7)).toBe(formatDay(day).slice(0, 7));
      }),
    );
  });

  it('read timestamps as Date.parse does, treating a missing zone as UTC', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }),
        (d) => {
          expect(parseTimestampMs(d.toISOString())).toBe(d.getTime());
        },
      ),
    );
    expect(parseTimestampMs('2025-01-05T08:30:00+08:00')).toBe(Date.parse('2025-01-05T00:30:00Z'));
    expect(parseTimestampMs('2025-01-05 08:30:00')).toBe(Date.parse('2025-01-05T08:30:00Z'));
    expect(parseTimestampMs('2025-01-05')).toBe(Date.parse('2025-01-05T00:00:00Z'));
    expect(parseTimestampMs('yesterday')).toBeNaN();
  });
});
