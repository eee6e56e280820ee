/**
 * Calendar dates as integer day numbers (days since 1970-01-01, UTC), so the engine compares and
 * adds dates with integer arithmetic and never builds a Date in its loops. Conversions follow the
 * proleptic Gregorian "days from civil" algorithm (H. Hinnant, chrono-compatible date algorithms).
 */

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a proleptic Gregorian date. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number packed as y·10000 + m·100 + d (no allocation). */
export function civilFromDays(day: number): number {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLength = (y: number, m: number) =>
  m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;

// Lookup tables for 1900-01 … 2199-12, so adding months to a day in that range is a few array
// reads (the engine does it once per record): the month of each day, its day of month, and the
// first day of each month.
const TABLE_FIRST_YEAR = 1900;
const TABLE_MONTHS = 300 * 12;
const TABLE_FIRST_DAY = daysFromCivil(TABLE_FIRST_YEAR, 1, 1);
let monthStart: Int32Array | undefined;
let dayMonth: Int32Array | undefined;
let dayOfMonth: Uint8Array | undefined;

function buildTables(): void {
  monthStart = new Int32Array(TABLE_MONTHS + 1);
  for (let i = 0; i <= TABLE_MONTHS; i++) {
    monthStart[i] = daysFromCivil(TABLE_FIRST_YEAR + Math.floor(i / 12), (i % 12) + 1, 1);
  }
  const days = monthStart[TABLE_MONTHS]! - TABLE_FIRST_DAY;
  dayMonth = new Int32Array(days);
  dayOfMonth = new Uint8Array(days);
  for (let i = 0; i < TABLE_MONTHS; i++) {
    for (let d = monthStart[i]!; d < monthStart[i + 1]!; d++) {
      dayMonth[d - TABLE_FIRST_DAY] = i;
      dayOfMonth[d - TABLE_FIRST_DAY] = d - monthStart[i]! + 1;
    }
  }
}

/**
 * The same calendar day `months` later; a day the target month lacks becomes its last day
 * (2024-02-29 + 12 months = 2025-02-28), so a validity window never runs past its term.
 */
export function addMonths(day: number, months: number): number {
  if (monthStart === undefined) buildTables();
  const offset = day - TABLE_FIRST_DAY;
  if (offset >= 0 && offset < dayMonth!.length) {
    const target = dayMonth![offset]! + months;
    if (target >= 0 && target < TABLE_MONTHS) {
      const first = monthStart![target]!;
      const len = monthStart![target + 1]! - first;
      const d = dayOfMonth![offset]!;
      return first + Math.min(d, len) - 1;
    }
  }
  const packed = civilFromDays(day);
  const y0 = Math.floor(packed / 10000);
  const m0 = Math.floor(packed / 100) % 100;
  const d0 = packed % 100;
  const total = y0 * 12 + (m0 - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(d0, monthLength(y, m)));
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};
const num = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + digit(s, i);
  return n;
};

/** `YYYY-MM-DD` → day number; NaN when the text is not a real calendar date. */
export function parseDay(text: string): number {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const y = num(text, 0, 4);
  const m = num(text, 5, 7);
  const d = num(text, 8, 10);
  if (!(m >= 1 && m <= 12 && d >= 1 && d <= monthLength(y, m))) return Number.NaN;
  return daysFromCivil(y, m, d);
}

/**
 * The last days of the `count` months before the month of `day` (day numbers), oldest first:
 * for 2026-03-15 and 2, 2026-01-31 and 2026-02-28. What month-end series (charts) are drawn at.
 */
export function monthEndsBefore(day: number, count: number): number[] {
  const packed = civilFromDays(day);
  const firstOfMonth = daysFromCivil(Math.floor(packed / 10000), Math.floor(packed / 100) % 100, 1);
  const out: number[] = [];
  // The last day of the month k months back is the day before the first of the month after it.
  for (let k = count; k >= 1; k--) out.push(addMonths(firstOfMonth, 1 - k) - 1);
  return out;
}

/** Day number → `YYYY-MM-DD`. */
export function formatDay(day: number): string {
  const packed = civilFromDays(day);
  const y = Math.floor(packed / 10000);
  const m = Math.floor(packed / 100) % 100;
  const d = packed % 100;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * An ISO 8601 timestamp → epoch milliseconds; NaN when unreadable. The common UTC form
 * (`2025-01-05T08:30:00.000Z`) is read by hand because whole-population column builds read
 * millions of them; anything else goes to Date.parse.
 */
export function parseTimestampMs(text: string): number {
  if (text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) {
    const day = parseDay(text.slice(0, 10));
    const h = num(text, 11, 13);
    const mi = num(text, 14, 16);
    const s = num(text, 17, 19);
    const ms = num(text, 20, 23);
    if (!Number.isNaN(day) && h < 24 && mi < 60 && s < 60 && !Number.isNaN(ms)) {
      return day * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000 + ms;
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text))
    return Number.NaN;
  // A bare date or a time without a zone is read as UTC, so results never depend on the machine.
  const zoned =
    text.length === 10
      ? `${text}T00:00:00Z`
      : /(Z|[+-]\d{2}:?\d{2})$/.test(text.slice(10))
        ? text
        : `${text}Z`;
  return Date.parse(zoned.replace(' ', 'T'));
}

/** The last millisecond of a day: what "known as of that day" means by default. */
export const endOfDayMs = (day: number): number => (day + 1) * MS_PER_DAY - 1;

/** The day number of an instant (ms) in the platform's zone: when the platform learned of a record. */
export type DayOfInstant = (ms: number) => number;

/** The UTC day of an instant: what the engines assume when given no zone. */
export const utcDayOf: DayOfInstant = (ms) => Math.floor(ms / MS_PER_DAY);
