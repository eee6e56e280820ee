/** Day arithmetic the lists need beyond src/scoring's day helpers. */
import { isMinorOn, NO_END } from '../scoring/index.ts';
import { parseDay, parseTimestampMs } from '../shared/days.ts';
import { invalidInput } from '../shared/errors.ts';

export { isMinorOn, NO_END };

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
