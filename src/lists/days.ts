/** Day arithmetic the lists need beyond src/scoring's day helpers. */
import { isMinorOn, NO_END } from '../scoring/index.ts';
import { parseDay, parseTimestampMs } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';

export { isMinorOn, NO_END };

/** Day of the week of a day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

/**
 * The day `n` working days after `day`, skipping Saturdays and Sundays. Public holidays are not
 * known to the engine, so a deadline computed here may fall a little before the legal one. The
 * holiday-aware calendar (public holidays and make-up working days, policies/calendar.yaml) is
 * `WorkingCalendar.addWorkingDays` in src/shared/working-days.ts.
 */
export function addWorkingDays(day: number, n: number): number {
  let d = day;
  let left = n;
  while (left > 0) {
    d++;
    const w = weekday(d);
    if (w !== 0 && w !== 6) left--;
  }
  return d;
}

export function dayOrThrow(text: string, field: string): number {
  const day = parseDay(text);
  if (Number.isNaN(day))
    throw invalidInput(`${field} "${text}" is not a date (YYYY-MM-DD)`, [
      { field, message: 'expected YYYY-MM-DD' },
    ]);
  return day;
}

/** An ISO timestamp → epoch ms, read as UTC when it carries no zone; NaN when unreadable. */
export const timestampMs = parseTimestampMs;
