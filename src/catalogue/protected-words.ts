/**
 * Free text screened for the protected categories of product rule 2: a rating's comment (held for
 * review, src/ratings/screen.ts) and a record's evidence, note and reason (the line refused,
 * src/ingest/record-line.ts).
 */

/**
 * Keywords per protected category of product rule 2 (categories.ts, PROTECTED_CATEGORIES; Guobanfa
 * [2020] No. 49 and the 2013 Credit Reporting Regulations Art. 14), in English, Simplified Chinese
 * and French. English and French words match at the start of a word (so "unionised" but not
 * "reunion"); Chinese has no word breaks and matches anywhere. Lower-case, NFKC. Kept as data: add
 * a word here, not a rule in code.
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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LATIN = /^[\p{Script=Latin}\p{N}\s'-]+$/u;
const CATEGORY_OF = new Map<string, string>();
for (const [category, words] of Object.entries(PROTECTED_WORDS))
  for (const w of words) if (!CATEGORY_OF.has(w)) CATEGORY_OF.set(w, category);
const latin = [...CATEGORY_OF.keys()].filter((w) => LATIN.test(w));
const other = [...CATEGORY_OF.keys()].filter((w) => !LATIN.test(w));
/**
 * Latin words at the start of a word (not after a Latin letter, accented ones included), the others
 * anywhere. Without the `u` flag: every word is in the Basic Multilingual Plane, and V8 runs this
 * form several times faster (0.2–0.6 against 0.9–1.5 µs on a line's note), which ingestion pays on
 * every record.
 */
const PROTECTED_PATTERN = new RegExp(
  `(?:^|[^a-z\\u00c0-\\u024f])(${latin.map(escapeRegExp).join('|')})|(${other.map(escapeRegExp).join('|')})`,
);
/**
 * Any character but printable ASCII, tabs and line breaks, CJK punctuation (not the ideographic
 * space) and CJK unified ideographs,
 * which NFKC leaves as they are: a text holding one is folded (full-width and mathematical letters,
 * ligatures, the long s, compatibility ideographs…); a plain English or Chinese note is not.
 */
const MAY_FOLD = /[^\t\n\r\u0020-\u007e\u3001-\u303f\u4e00-\u9fff]/;

/**
 * The first protected word in a text and its category, or undefined. The text is folded first
 * (NFKC where it may change something, then lower case), so full-width letters and
 * capitals match too.
 */
export const protectedWordIn = (text: string): { word: string; category: string } | undefined => {
  const folded = (MAY_FOLD.test(text) ? text.normalize('NFKC') : text).toLowerCase();
  const m = PROTECTED_PATTERN.exec(folded);
  const word = m ? (m[1] ?? m[2]) : undefined;
  return word === undefined ? undefined : { word, category: CATEGORY_OF.get(word) ?? 'protected' };
};
