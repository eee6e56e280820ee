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
const PROTECTED_PATTERN = new RegExp(
  [...CATEGORY_OF.keys()]
    .map((w) => (LATIN.test(w) ? `(?<![\\p{L}])${escapeRegExp(w)}` : escapeRegExp(w)))
    .join('|'),
  'u',
);

/**
 * The first protected word in a text and its category, or undefined. The text is folded first
 * (NFKC, lower case), so full-width letters and capitals match too.
 */
export const protectedWordIn = (text: string): { word: string; category: string } | undefined => {
  const m = PROTECTED_PATTERN.exec(text.normalize('NFKC').toLowerCase());
  return m ? { word: m[0], category: CATEGORY_OF.get(m[0]) ?? 'protected' } : undefined;
};
