/**
 * Resident Identity Card number (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit birth
 * date, 3-digit order code (odd for men, even for women), check character.
 * The validator runs on bulk-ingest paths, so it reads char codes and allocates only for its result.
 */
import { invalidInput } from '../shared/errors.ts';
import { isProvincePrefixAt } from './divisions.ts';

export type Sex = 'male' | 'female';

export type ResidentIdResult =
  | { ok: true; birthDate: string; sex: Sex; division: string }
  | { ok: false; reason: string };

// GB 11643-1999: ISO 7064 MOD 11-2 — weight of position i (1..17) is 2^(18−i) mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
// Check character for r = Σ digit·weight mod 11, r = 0..10.
const CHECK_CHARS = '10X98765432';

/** Earlier birth years are treated as typing errors rather than as people. */
const EARLIEST_BIRTH_YEAR = 1800;

/** The number as stored: surrounding blanks removed, a lower-case x made upper-case. */
export const normaliseResidentId = (value: string): string => value.trim().toUpperCase();

const fail = (reason: string): ResidentIdResult => ({ ok: false, reason });

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;

/** Decimal value of `len` ASCII digits at `at`; the caller has checked they are digits. */
const digitsAt = (s: string, at: number, len: number): number => {
  let n = 0;
  for (let i = at; i < at + len; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};

const allDigits = (s: string, at: number, len: number): boolean => {
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/**
 * Whether six digits at the start of `s` can be a person's address code: a real province prefix
 * and below province level — except 810000/820000/830000, which the 2018 Measures on residence
 * permits for Hong Kong, Macao and Taiwan residents assign to those permits, and 710000, the only
 * GB/T 2260 code for Taiwan.
 */
const isPersonAddressCode = (s: string): boolean => {
  const provinceOnly = digitsAt(s, 2, 4) === 0;
  if (!provinceOnly) return isProvincePrefixAt(s, 0);
  const prefix = digitsAt(s, 0, 2);
  return prefix === 71 || prefix === 81 || prefix === 82 || prefix === 83;
};

/**
 * Check a resident ID number. Blanks around it and a lower-case x are tolerated.
 * `asOf` (the injected clock's today) enables the "not born in the future" rule; dates are
 * compared as UTC calendar dates, like the rest of the platform.
 */
export const validateResidentId = (value: string, opts?: { asOf?: Date }): ResidentIdResult => {
  const s = value.length === 18 ? value : value.trim();
  if (s.length !== 18) return fail(`must be 18 characters, got ${s.length}`);

  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return fail(`character ${i + 1} must be a digit`);
    sum += d * WEIGHTS[i]!;
  }
  let last = s.charCodeAt(17);
  if (last === 120) last = 88; // x → X
  if (!((last >= 48 && last <= 57) || last === 88)) return fail('character 18 must be a digit or X');

  if (!isPersonAddressCode(s)) {
    return fail(`address code ${s.slice(0, 6)} is not a valid administrative division`);
  }

  const year = digitsAt(s, 6, 4);
  const month = digitsAt(s, 10, 2);
  const day = digitsAt(s, 12, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(`birth date ${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)} does not exist`);
  }
  if (year < EARLIEST_BIRTH_YEAR) return fail(`birth year ${year} is before ${EARLIEST_BIRTH_YEAR}`);
  const asOf = opts?.asOf;
  if (asOf !== undefined) {
    const today = asOf.getUTCFullYear() * 10000 + (asOf.getUTCMonth() + 1) * 100 + asOf.getUTCDate();
    if (year * 10000 + month * 100 + day > today) return fail('birth date is in the future');
  }

  const r = sum % 11;
  if (CHECK_CHARS.charCodeAt(r) !== last) return fail(`check character should be ${CHECK_CHARS[r]}`);

  return {
    ok: true,
    birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
    sex: (s.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    division: s.slice(0, 6),
  };
};

/** The GB 11643-1999 check character for the first 17 digits of a number. */
export const residentIdCheckCharacter = (first17: string): string => {
  if (first17.length !== 17 || !allDigits(first17, 0, 17)) {
    throw invalidInput(`expected the first 17 digits of a resident ID number, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
};

/** [year, month, day] of a `YYYY-MM-DD` date that exists, else undefined. */
const parseIsoDate = (date: string): [number, number, number] | undefined => {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return undefined;
  if (!allDigits(date, 0, 4) || !allDigits(date, 5, 2) || !allDigits(date, 8, 2)) return undefined;
  const y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 2);
  const d = digitsAt(date, 8, 2);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return [y, m, d];
};

const parseIsoDateOrThrow = (date: string, what: string): [number, number, number] => {
  const parsed = parseIsoDate(date);
  if (parsed === undefined) throw invalidInput(`${what} "${date}" is not an existing YYYY-MM-DD date`);
  return parsed;
};

/**
 * Build a resident ID number: division code, birth date `YYYY-MM-DD`, order code 1..999
 * (odd for a man, even for a woman), and the computed check character.
 */
export const makeResidentId = (division: string, birthDate: string, order: number): string => {
  if (division.length !== 6 || !allDigits(division, 0, 6) || !isPersonAddressCode(division)) {
    throw invalidInput(`division "${division}" is not a valid administrative division code`);
  }
  const [year] = parseIsoDateOrThrow(birthDate, 'birth date');
  if (year < EARLIEST_BIRTH_YEAR) throw invalidInput(`birth year ${year} is before ${EARLIEST_BIRTH_YEAR}`);
  if (!Number.isInteger(order) || order < 1 || order > 999) {
    throw invalidInput(`order code must be a whole number from 1 to 999, got ${order}`);
  }
  const first17 =
    division +
    birthDate.slice(0, 4) +
    birthDate.slice(5, 7) +
    birthDate.slice(8, 10) +
    String(order).padStart(3, '0');
  return first17 + residentIdCheckCharacter(first17);
};

/**
 * Age in whole years on `date` (both `YYYY-MM-DD`). A year is completed on the birthday; someone
 * born on 29 February completes it on 1 March in common years.
 */
export const ageOn = (birthDate: string, date: string): number => {
  const [by, bm, bd] = parseIsoDateOrThrow(birthDate, 'birth date');
  const [y, m, d] = parseIsoDateOrThrow(date, 'date');
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  if (age < 0) throw invalidInput(`date ${date} is before birth date ${birthDate}`);
  return age;
};

/** Age of majority under the Civil Code (art. 17); minors may not be put on the defaulter list. */
export const ADULT_AGE = 18;

/** Whether a person born on `birthDate` is a minor on `date` (both `YYYY-MM-DD`). */
export const isMinorOn = (birthDate: string, date: string): boolean => ageOn(birthDate, date) < ADULT_AGE;
