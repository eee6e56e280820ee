/**
 * Plausible document references for demo records: court case numbers in the form courts use
 * ((2023)川0104执1234号: year, province abbreviation and division digits, case type, number),
 * administrative decision numbers (锦江市监处罚〔2023〕56号) and business references.
 */
import { civilFromDay, yearOf } from './calendar.ts';
import type { Place } from './places.ts';
import type { Random } from './random.ts';

/** Case-type characters of court case numbers: enforcement, first-instance civil and criminal. */
export type CaseType = '执' | '民初' | '刑初';

export const courtCase = (rng: Random, place: Place, day: number, type: CaseType): string =>
  `(${yearOf(day)})${place.court}${type}${rng.range(1, type === '执' ? 19_999 : 9_999)}号`;

/** An administrative document number: `<issuer>〔<year>〕<n>号`. */
export const decision = (rng: Random, issuer: string, day: number, max = 999): string =>
  `${issuer}〔${yearOf(day)}〕${rng.range(1, max)}号`;

const digits = (rng: Random, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += rng.int(10);
  return s;
};

/** A business reference: prefix, the date as YYYYMMDD, then random digits. */
export const reference = (rng: Random, prefix: string, day: number, n = 6): string =>
  `${prefix}${civilFromDay(day)}${digits(rng, n)}`;

/** A card statement: month and last four digits of the card. */
export const cardStatement = (rng: Random, day: number): string => {
  const ymd = civilFromDay(day);
  const month = String(Math.floor(ymd / 100) % 100).padStart(2, '0');
  return `信用卡账单 ${Math.floor(ymd / 10000)}-${month}（尾号${digits(rng, 4)}）`;
};

export const receipt = (rng: Random): string => `捐赠票据 No.${digits(rng, 8)}`;
