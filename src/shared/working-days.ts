/**
 * Working days in mainland China: Monday to Friday, less the public holidays, plus the make-up
 * working Saturdays and Sundays (调休) the State Council General Office announces each year
 * (policies/calendar.yaml). After the years the calendar covers, Monday to Friday less the days
 * off the law fixes by date (`STATUTORY_BY_DATE`), which no notice moves; before them, Monday to
 * Friday only.
 *
 * Lookups are O(1): one Int32Array indexed by day over the covered years says whether a day
 * follows the weekday rule, is a make-up working day or lies in a holiday block, and a prefix
 * count makes `workingDaysBetween` O(1) and `addWorkingDays` O(log n).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { addMonths, daysFromCivil, formatDay, parseDay } from './days.ts';
import { invalidInput } from './errors.ts';
import { type Path, parsePolicyYaml, type Report, readPolicyText } from './policy-yaml.ts';

/** The calendar shipped with the product: policies/calendar.yaml. */
export const DEFAULT_CALENDAR_PATH = fileURLToPath(new URL('../../policies/calendar.yaml', import.meta.url));

export interface WorkingCalendar {
  /** SHA-256 of the file's text: the calendar's identity. */
  readonly version: string;
  readonly origin: string;
  /** First and last covered day, `YYYY-MM-DD` (1 January of the first year, 31 December of the last). */
  readonly coveredFrom: string;
  readonly coveredUntil: string;
  /** Whether the calendar knows the holidays of this day's year. */
  covers(day: number): boolean;
  isWorkingDay(day: number): boolean;
  /** The name of the holiday block holding this day (weekend days inside a block included). */
  holidayName(day: number): string | undefined;
  /**
   * The day `n` working days after `day` (n = 0: `day` itself, even when it is not a working day).
   * `n` is a whole number ≥ 0.
   */
  addWorkingDays(day: number, n: number): number;
  /** The working days in (from, to]; negative when `to` is before `from`. */
  workingDaysBetween(from: number, to: number): number;
}

const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

/**
 * The days off that the Measures on National Annual Holidays and Memorial Days fix by calendar
 * date (as amended by State Council Decree No. 795, in force from 2025-01-01): New Year's Day,
 * 1–2 May, 1–3 October. A year's notice only adds to them (the weekend days it joins to them, the
 * lunar holidays, their make-up working days), so they are known before it is published: after the
 * covered years they count as days off. The lunar holidays (Spring Festival, Qingming, Dragon
 * Boat, Mid-Autumn) are not: their dates, and every make-up day, wait for the notice.
 */
export const STATUTORY_BY_DATE: readonly { name: string; month: number; days: readonly number[] }[] = [
  { name: "New Year's Day", month: 1, days: [1] },
  { name: 'Labour Day', month: 5, days: [1, 2] },
  { name: 'National Day', month: 10, days: [1, 2, 3] },
];
/** The first year the days of `STATUTORY_BY_DATE` are in force (the decree's effect). */
const STATUTORY_FROM = 2025;
/** How a statutory day after the covered years is named: its notice is not in the calendar yet. */
const byLaw = (name: string) => `${name} (fixed by law; the year's notice is not in the calendar yet)`;

const dayText = z
  .string({ error: 'expected a date (YYYY-MM-DD)' })
  .refine((s) => !Number.isNaN(parseDay(s)), { error: 'expected a real date (YYYY-MM-DD)' });

const year = z
  .number({ error: 'expected a year (a whole number)' })
  .int({ error: 'expected a year (a whole number)' })
  .min(FIRST_YEAR, { error: `expected a year from ${FIRST_YEAR}` })
  .max(LAST_YEAR, { error: `expected a year up to ${LAST_YEAR}` });

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} (text)` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });

const calendarSchema = z.strictObject({
  covers: z.strictObject({ from: year, to: year }, { error: 'expected { from: <year>, to: <year> }' }),
  years: z
    .array(
      z.strictObject({
        year,
        basis: text('basis (the notice that fixes the year)', 400),
        holidays: z.array(z.strictObject({ name: text('name', 80), from: dayText, to: dayText }), {
          error: 'expected a list of { name, from, to }',
        }),
        working_days: z.array(dayText, { error: 'expected a list of dates (YYYY-MM-DD)' }),
      }),
      { error: 'expected a list of years' },
    )
    .min(1, { error: 'name at least one year' }),
});
type CalendarFile = z.output<typeof calendarSchema>;

/** Day of the week of a day number: 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number): boolean => {
  const w = weekday(day);
  return w === 0 || w === 6;
};

/** Monday to Friday days up to and including `day`, counted from a fixed Monday (1969-12-29). */
const weekdaysThrough = (day: number): number => {
  const t = day + 3;
  const weeks = Math.floor(t / 7);
  return 5 * weeks + Math.min(t - 7 * weeks + 1, 5);
};

/** Cross-field rules: coverage, ranges in order, make-up days on weekends, no day listed twice. */
const checkCalendar = (data: CalendarFile, report: Report): void => {
  const { from, to } = data.covers;
  if (from > to) {
    report(['covers'], `from (${from}) is after to (${to})`);
    return;
  }
  const first = daysFromCivil(from, 1, 1);
  const last = daysFromCivil(to, 12, 31);
  const inside = (day: number) => day >= first && day <= last;
  const outside = `outside the covered years ${from}–${to}`;

  const seenYears = new Map<number, number>();
  data.years.forEach((y, i) => {
    if (y.year < from || y.year > to) report(['years', i, 'year'], `${y.year} is ${outside}`);
    const before = seenYears.get(y.year);
    if (before !== undefined) report(['years', i, 'year'], `${y.year} is already listed at years[${before}]`);
    else seenYears.set(y.year, i);
  });
  for (let y = from; y <= to; y++) {
    if (!seenYears.has(y))
      report(['years'], `${y} is covered but has no entry (add its notice, or narrow covers)`);
  }

  // Which entry claimed each day first, to name both sides of an overlap.
  const claimed = new Map<number, string>();
  const claim = (day: number, path: Path, what: string) => {
    const other = claimed.get(day);
    if (other !== undefined) {
      report(path, `${formatDay(day)} is listed twice: ${what} and ${other}`);
      return;
    }
    claimed.set(day, what);
  };
  data.years.forEach((y, i) => {
    y.holidays.forEach((h, j) => {
      const path: Path = ['years', i, 'holidays', j];
      const a = parseDay(h.from);
      const b = parseDay(h.to);
      let ok = true;
      if (!inside(a)) {
        report([...path, 'from'], `${h.from} is ${outside}`);
        ok = false;
      }
      if (!inside(b)) {
        report([...path, 'to'], `${h.to} is ${outside}`);
        ok = false;
      }
      if (a > b) {
        report([...path, 'to'], `${h.to} is before from (${h.from})`);
        ok = false;
      }
      if (!ok) return;
      for (let d = a; d <= b; d++) claim(d, path, `holiday ${h.name} (years[${i}].holidays[${j}])`);
    });
  });
  data.years.forEach((y, i) => {
    y.working_days.forEach((w, j) => {
      const path: Path = ['years', i, 'working_days', j];
      const d = parseDay(w);
      if (!inside(d)) report(path, `${w} is ${outside}`);
      else if (!isWeekend(d))
        report(path, `${w} is not a Saturday or Sunday: a make-up working day replaces a weekend day`);
      else claim(d, path, `make-up working day years[${i}].working_days[${j}]`);
    });
  });
};

// Day kinds in the covered range: 0 follows the weekday rule, -1 make-up working day, k > 0 the
// k-th holiday block (1-based).
const MAKE_UP = -1;

/** Parses and checks working-calendar YAML; throws `invalid_input` naming every bad field. */
export function parseWorkingCalendar(yamlText: string, origin = 'working calendar'): WorkingCalendar {
  const { data, version } = parsePolicyYaml(
    yamlText,
    origin,
    'working calendar',
    calendarSchema,
    checkCalendar,
  );
  const first = daysFromCivil(data.covers.from, 1, 1);
  const last = daysFromCivil(data.covers.to, 12, 31);
  // The arrays run on to the last year a calendar may name, with the statutory days after `last`.
  const end = daysFromCivil(LAST_YEAR, 12, 31);
  const size = end - first + 1;

  const kind = new Int32Array(size);
  const names: string[] = [];
  for (const y of data.years) {
    for (const h of y.holidays) {
      names.push(h.name);
      for (let d = parseDay(h.from); d <= parseDay(h.to); d++) kind[d - first] = names.length;
    }
    for (const w of y.working_days) kind[parseDay(w) - first] = MAKE_UP;
  }
  for (const { name, month, days } of STATUTORY_BY_DATE) {
    names.push(byLaw(name));
    for (let y = Math.max(data.covers.to + 1, STATUTORY_FROM); y <= LAST_YEAR; y++)
      for (const dd of days) kind[daysFromCivil(y, month, dd) - first] = names.length;
  }

  const isWorkingDay = (day: number): boolean => {
    if (day >= first && day <= end) {
      const k = kind[day - first]!;
      if (k === MAKE_UP) return true;
      if (k > 0) return false;
    }
    return !isWeekend(day);
  };

  // shift[i]: working days minus Monday–Friday days over first … first + i, so the working days up
  // to any day are weekdaysThrough(day) plus the shift of the covered days up to it.
  const shift = new Int32Array(size);
  let acc = 0;
  for (let i = 0; i < size; i++) {
    const d = first + i;
    acc += (isWorkingDay(d) ? 1 : 0) - (isWeekend(d) ? 0 : 1);
    shift[i] = acc;
  }
  /** Working days up to and including `day`, from a fixed origin (only differences matter). */
  const workingThrough = (day: number): number =>
    weekdaysThrough(day) + (day < first ? 0 : day > end ? acc : shift[day - first]!);

  const addWorkingDays = (day: number, n: number): number => {
    if (!Number.isInteger(n) || n < 0)
      throw invalidInput(`working days to add must be a whole number ≥ 0, not ${n}`);
    if (n === 0) return day;
    // The answer is the first day whose count reaches the target; that day is a working day.
    const target = workingThrough(day) + n;
    // Each day adds at most one, so the answer is at least day + n: day + n - 1 falls short.
    let lo = day + n - 1;
    let hi = day + n;
    while (workingThrough(hi) < target) {
      lo = hi;
      hi = day + 2 * (hi - day) + 7;
    }
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (workingThrough(mid) >= target) hi = mid;
      else lo = mid;
    }
    return hi;
  };

  return Object.freeze({
    version,
    origin,
    coveredFrom: formatDay(first),
    coveredUntil: formatDay(last),
    covers: (day: number) => day >= first && day <= last,
    isWorkingDay,
    holidayName: (day: number) => {
      if (day < first || day > end) return undefined;
      const k = kind[day - first]!;
      return k > 0 ? names[k - 1] : undefined;
    },
    addWorkingDays,
    workingDaysBetween: (from: number, to: number) => workingThrough(to) - workingThrough(from),
  });
}

/** Reads and parses a working-calendar file. */
export async function loadWorkingCalendar(path: string = DEFAULT_CALENDAR_PATH): Promise<WorkingCalendar> {
  return parseWorkingCalendar(await readPolicyText(path, 'working calendar'), path);
}

/**
 * A warning when the calendar ends within 12 months of `today`: deadlines past its end ignore the
 * holidays not yet listed. `today` is passed in, so the check is testable.
 */
export function calendarCoverageWarning(calendar: WorkingCalendar, today: number): string | undefined {
  const until = parseDay(calendar.coveredUntil);
  if (until >= addMonths(today, 12)) return undefined;
  return until < today
    ? `the working calendar ended on ${calendar.coveredUntil}: working days after it count Monday–Friday less 1 January, 1–2 May and 1–3 October, without the lunar holidays or make-up days; add the State Council's holiday notices for the years since`
    : `the working calendar ends on ${calendar.coveredUntil}, within 12 months of ${formatDay(today)}: add the State Council's holiday notice for the next year when it is published`;
}
