/**
 * Screening of a rating's comment before publication (issue 16): a comment naming a third party's
 * personal data or touching a protected category of product rule 2 is held, not published. Length
 * is not a hold: an over-long comment is refused (`checkCommentLength`).
 */
import { protectedWordIn } from '../catalogue/index.ts';
import { validateResidentId } from '../identity/index.ts';

export type ScreenHold = 'third_party_personal_data' | 'protected_category';
export type ScreenResult = { ok: true; text: string } | { ok: false; held: ScreenHold[] };

// A screened comment must not carry a third party's identifiers. Digit runs: a resident ID
// number (GB 11643-1999, checked by its check character), a mainland mobile number (1[3-9] and 9
// more digits) and a bank card (13 to 19 digits, ISO/IEC 7812) are all long digit runs.
const RESIDENT_ID = /(?<![0-9])[0-9]{17}[0-9xX](?![0-9])/g;
const MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/;
// Bounded as RFC 5321 bounds an address (64 before the @, 255 after), so the unanchored search
// stays linear in the comment's length (unbounded, a long run of letters took seconds).
const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}.-]{1,253}\.\p{L}{2,63}/u;
// Digits possibly grouped by spaces or dashes, as cards are written.
const CARD = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/;

/** `invalid_input` material: the reason a comment is refused for its length, or undefined. */
export const checkCommentLength = (text: string, maxLength: number): string | undefined => {
  const length = [...text.normalize('NFC')].length;
  return length > maxLength
    ? `the comment has ${length} characters; at most ${maxLength} are allowed`
    : undefined;
};

const hasResidentId = (text: string): boolean => {
  for (const m of text.matchAll(RESIDENT_ID)) if (validateResidentId(m[0]).ok) return true;
  return false;
};

/**
 * Screens a comment: `{ ok: true, text }` (NFC) to publish, or `{ ok: false, held }` with the
 * reasons to hold it for an operator. Never throws; length is checked apart (checkCommentLength).
 */
export const screenComment = (text: string, maxLength: number): ScreenResult => {
  void maxLength; // refused by the caller with invalid_input, never a hold
  let nfc: string;
  try {
    nfc = text.normalize('NFC');
  } catch {
    nfc = String(text);
  }
  const folded = nfc.normalize('NFKC').toLowerCase();
  const held: ScreenHold[] = [];
  if (hasResidentId(folded) || MOBILE.test(folded) || EMAIL.test(folded) || CARD.test(folded))
    held.push('third_party_personal_data');
  if (protectedWordIn(nfc)) held.push('protected_category');
  return held.length === 0 ? { ok: true, text: nfc } : { ok: false, held };
};
