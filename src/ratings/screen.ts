/**
 * Screening of a rating's comment before publication (issue 16): a comment naming a third party's
 * personal data or touching a protected category of product rule 2 is held, not published. Length
 * is not a hold: an over-long comment is refused (`checkCommentLength`).
 */
import { validateResidentId } from '../identity/index.ts';

export type ScreenHold = 'third_party_personal_data' | 'protected_category';
export type ScreenResult = { ok: true; text: string } | { ok: false; held: ScreenHold[] };

/**
 * Keywords per protected category of product rule 2 (src/catalogue/categories.ts,
 * PROTECTED_CATEGORIES; Guobanfa [2020] No. 49 and the 2013 Credit Reporting Regulations Art. 14),
 * in English, Simplified Chinese and French. English and French words match at the start of a
 * word (so "unionised" but not "reunion"); Chinese has no word breaks and matches anywhere.
 * Lower-case, NFKC. Kept as data: add a word here, not a rule in code.
 */
export const PROTECTED_WORDS: Readonly<Record<string, readonly string[]>> = {
  political_opinion: [
    'political',
    'politics',
    'communist party',
    'party member',
    'dissident',
    '政治',
    '党员',
    '共产党',
    '民主党派',
    '政见',
    '异见',
    'politique',
    'parti communiste',
    'membre du parti',
    'opinion politique',
  ],
  religion_or_belief: [
    'religion',
    'religious',
    'christian',
    'muslim',
    'islam',
    'buddhist',
    'buddhism',
    'taoist',
    'catholic',
    'church',
    'mosque',
    'temple',
    'falun',
    '宗教',
    '信仰',
    '基督',
    '穆斯林',
    '伊斯兰',
    '佛教',
    '道教',
    '天主教',
    '教会',
    '清真寺',
    '法轮',
    'religieu',
    'chrétien',
    'musulman',
    'bouddhis',
    'catholique',
    'église',
    'mosquée',
    'croyance',
  ],
  ethnicity: [
    'ethnic',
    'racial',
    'uyghur',
    'uighur',
    'tibetan',
    'hui people',
    'minority nationality',
    '民族',
    '维吾尔',
    '藏族',
    '回族',
    '少数民族',
    '种族',
    'ethnie',
    'ethnique',
    'racial',
    'ouïghour',
    'tibétain',
  ],
  health: [
    'diagnos',
    'illness',
    'disease',
    'hiv',
    'cancer',
    'hepatitis',
    'depression',
    'mental illness',
    'pregnan',
    'disabilit',
    'medical history',
    '诊断',
    '病情',
    '疾病',
    '艾滋',
    '癌症',
    '乙肝',
    '肝炎',
    '抑郁',
    '精神病',
    '怀孕',
    '残疾',
    '病史',
    'diagnostic',
    'maladie',
    'sida',
    'cancer',
    'hépatite',
    'dépression',
    'enceinte',
    'handicap',
    'antécédents médicaux',
  ],
  sex_life_or_orientation: [
    'gay',
    'lesbian',
    'homosexual',
    'bisexual',
    'transgender',
    'sexual orientation',
    'sex life',
    '同性恋',
    '性取向',
    '双性恋',
    '跨性别',
    '性生活',
    'homosexuel',
    'lesbienne',
    'bisexuel',
    'transgenre',
    'orientation sexuelle',
    'vie sexuelle',
  ],
  trade_union_membership: [
    'trade union',
    'labor union',
    'labour union',
    'union member',
    'unionis',
    'unioniz',
    '工会',
    'syndicat',
    'syndiqué',
    'syndical',
  ],
  petitions_and_complaints: [
    'petition',
    'xinfang',
    'complained to the authorities',
    'complaint to the government',
    '上访',
    '信访',
    '投诉到政府',
    '举报到',
    '请愿',
    'pétition',
    'plainte aux autorités',
  ],
};

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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LATIN = /^[\p{Script=Latin}\p{N}\s'-]+$/u;
const PROTECTED_PATTERN = new RegExp(
  Object.values(PROTECTED_WORDS)
    .flat()
    .map((w) => (LATIN.test(w) ? `(?<![\\p{L}])${escapeRegExp(w)}` : escapeRegExp(w)))
    .join('|'),
  'u',
);

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
  if (PROTECTED_PATTERN.test(folded)) held.push('protected_category');
  return held.length === 0 ? { ok: true, text: nfc } : { ok: false, held };
};
