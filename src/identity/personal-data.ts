/**
 * Personal identifiers in free text: a resident ID number (GB 11643-1999, checked by its check
 * character), a mainland mobile number (1[3-9] and 9 more digits), an e-mail address and a bank
 * card number (13 to 19 digits, ISO/IEC 7812, possibly grouped by spaces or dashes). A rating's
 * comment holding one is held (src/ratings/screen.ts); a case reference holding one of the first
 * three is refused at ingestion, and masked where the platform publishes it (src/lists/service.ts):
 * a long run of digits there is a document's number (LDJC20230512123456), not a card's.
 */
import { validateResidentId } from './resident-id.ts';

export type PersonalDataKind = 'resident ID number' | 'mobile number' | 'e-mail address' | 'bank card number';

const RESIDENT_ID = /(?<![0-9])[0-9]{17}[0-9xX](?![0-9])/g;
const MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;
// Bounded as RFC 5321 bounds an address (64 before the @, 255 after), so the unanchored search
// stays linear in the text's length (unbounded, a long run of letters took seconds).
const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}.-]{1,253}\.\p{L}{2,63}/gu;
const CARD = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

/** Folded as the patterns read it: NFKC (full-width digits and letters as ASCII). */
const fold = (text: string): string => {
  try {
    return text.normalize('NFKC');
  } catch {
    return String(text);
  }
};

const residentIds = (folded: string) =>
  [...folded.matchAll(RESIDENT_ID)].filter((m) => validateResidentId(m[0]).ok);

/** Which identifiers to look for: every kind, or (`cards: false`) all but card numbers. */
export interface PersonalDataScope {
  cards?: boolean;
}
const ALL: readonly (readonly [PersonalDataKind, RegExp])[] = [
  ['mobile number', MOBILE],
  ['e-mail address', EMAIL],
  ['bank card number', CARD],
];
const patterns = (scope: PersonalDataScope) =>
  scope.cards === false ? ALL.filter(([kind]) => kind !== 'bank card number') : ALL;

/** The first kind of personal identifier the text holds, or undefined. */
export const personalDataIn = (text: string, scope: PersonalDataScope = {}): PersonalDataKind | undefined => {
  const folded = fold(text);
  if (residentIds(folded).length > 0) return 'resident ID number';
  for (const [kind, pattern] of patterns(scope)) {
    pattern.lastIndex = 0;
    if (pattern.test(folded)) return kind;
  }
  return undefined;
};

/**
 * The text with every personal identifier in it replaced by asterisks of its length (the text
 * folded as it is read, NFKC); the text itself when it holds none.
 */
export const maskPersonalData = (text: string, scope: PersonalDataScope = {}): string => {
  if (personalDataIn(text, scope) === undefined) return text;
  const folded = fold(text);
  const spans: [number, number][] = residentIds(folded).map((m) => [m.index!, m.index! + m[0].length]);
  for (const [, pattern] of patterns(scope))
    for (const m of folded.matchAll(pattern)) spans.push([m.index!, m.index! + m[0].length]);
  let masked = '';
  let i = 0;
  for (const [from, to] of spans.sort((a, b) => a[0] - b[0])) {
    if (to <= i) continue;
    const start = Math.max(i, from);
    masked += folded.slice(i, start) + '*'.repeat(to - start);
    i = to;
  }
  return masked + folded.slice(i);
};
