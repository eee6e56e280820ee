/**
 * Screening of a rating's comment before publication (issue 16): a comment naming a third party's
 * personal data or touching a protected category of product rule 2 is held, not published. Length
 * is not a hold: an over-long comment is refused (`checkCommentLength`).
 */
import { protectedWordIn } from '../catalogue/index.ts';
import { personalDataIn } from '../identity/index.ts';

export type ScreenHold = 'third_party_personal_data' | 'protected_category';
export type ScreenResult = { ok: true; text: string } | { ok: false; held: ScreenHold[] };

/** `invalid_input` material: the reason a comment is refused for its length, or undefined. */
export const checkCommentLength = (text: string, maxLength: number): string | undefined => {
  const length = [...text.normalize('NFC')].length;
  return length > maxLength
    ? `the comment has ${length} characters; at most ${maxLength} are allowed`
    : undefined;
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
  const held: ScreenHold[] = [];
  // A third party's identifiers (src/identity/personal-data.ts).
  if (personalDataIn(nfc) !== undefined) held.push('third_party_personal_data');
  if (protectedWordIn(nfc)) held.push('protected_category');
  return held.length === 0 ? { ok: true, text: nfc } : { ok: false, held };
};
