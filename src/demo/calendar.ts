/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian, UTC), without
 * Date objects: the generator handles millions of dates. Algorithms from H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms".
 */

import { civilFromDays, daysFromCivil } from '../shared/days.ts';

/** Day number of a calendar date; day 29 of February in a common year lands on 1 March. */
export const dayFromCivil = (year: number, month: number, day: number): number =>
  daysFromCivil(year, month, day);

/** Year, month and day of a day number, packed as YYYYMMDD. */
export const civilFromDay = (dayNumber: number): number => civilFromDays(dayNumber);

export const yearOf = (dayNumber: number): number => Math.floor(civilFromDay(dayNumber) / 10000);

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY-MM-DD` of a day number. */
export const isoDate = (dayNumber: number): string => {
  const ymd = civilFromDay(dayNumber);
  const y = Math.floor(ymd / 10000);
  return `${y}-${PAD2[Math.floor(ymd / 100) % 100]}-${PAD2[ymd % 100]}`;
};

/** Day number of an existing `YYYY-MM-DD` date, else undefined. */
export const parseIsoDay = (value: string): number | undefined => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = dayFromCivil(y, mo, d);
  return civilFromDay(day) === y * 10000 + mo * 100 + d ? day : undefined;
};

/** The day a person born on `birthDay` turns `years` old (born 29 February: 1 March in common years). */
export const birthdayAt = (birthDay: number, years: number): number => {
  const ymd = civilFromDay(birthDay);
  return dayFromCivil(Math.floor(ymd / 10000) + years, Math.floor(ymd / 100) % 100, ymd % 100);
};

/** Caches `YYYY-MM-DD` strings for a span of days (every record date falls in the window). */
export class DayNames {
  readonly #first: number;
  readonly #names: string[];
  constructor(first: number, last: number) {
    this.#first = first;
    this.#names = [];
    for (let d = first; d <= last; d++) this.#names.push(isoDate(d));
  }
  get(dayNumber: number): string {
    return this.#names[dayNumber - this.#first] ?? isoDate(dayNumber);
  }
}
