/**
 * The one screen for product rule 2's protected words (the data: protected-words.ts). Every text
 * is folded the same way (`foldForScreen`), then searched by one compiled regular expression: no
 * loop over the words per text, since record ingestion screens free text on every line.
 */
import { type Issue, protectedCategory } from '../shared/errors.ts';
import { formatPath, type Path, plural } from '../shared/policy-yaml.ts';
import { LAWFUL_PHRASES, PROTECTED_POLICY_WORDS, PROTECTED_WORDS } from './protected-words.ts';

/**
 * Look-alike letters (Cyrillic and Greek, lower case: the text is lower-cased first) and the Latin
 * letters without a decomposition, as the Latin letters they pass for ("Rеligion" with a Cyrillic
 * е). Unicode's confusables list (UTS #39) holds many more; these are the ones a keyboard offers.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  һ: 'h',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  ɡ: 'g',
  ı: 'i',
  α: 'a',
  β: 'b',
  γ: 'y',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  σ: 'o',
  ς: 's',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  þ: 'th',
  ð: 'd',
  ŀ: 'l',
  ĳ: 'ij',
};
const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'g');
/**
 * Combining marks (accents: "Réligion", "Religión", after NFKD; the dakuten of kana too), and
 * format characters that display as nothing inside a word: soft hyphen, Arabic letter mark,
 * Mongolian vowel separator, zero-width space, non-joiner and joiner, direction marks, embeddings,
 * word joiner and invisible operators, byte-order mark. Ranges, not `\p{M}`: without the `u` flag
 * V8 runs it faster.
 */
const MARKS_AND_FORMAT =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: matching lone combining marks is the point
  /[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;
/** Separators other than ASCII ones, as a space: no-break and other spaces, middle dots, dashes. */
const OTHER_SEPARATORS =
  /[\u00a0\u00b7\u2000-\u200a\u2010-\u2015\u2022\u2027\u202f\u205f\u2212\u3000\u30fb\uff65\u2018\u2019]/g;
/**
 * Any character but printable ASCII, tabs and line breaks, CJK punctuation (not the ideographic
 * space), CJK unified ideographs and the full-width punctuation of Chinese text (，：（）; not the
 * full-width letters, digits, dot, hyphen or underscore). A text without one (a plain English or Chinese note, the
 * common case) is only lower-cased; one with it is folded in full.
 */
const MAY_FOLD = /[^\t\n\r\u0020-\u007e\u3001-\u303f\u4e00-\u9fff\uff01-\uff0c\uff1a-\uff20]/;

/**
 * A text as the screen reads it: NFKD (full-width and mathematical letters, ligatures such as "ﬁ",
 * compatibility ideographs), lower case, accents and invisible format characters removed,
 * look-alike letters as Latin ones, other separators (ideographic space, ・, ·, dashes) as spaces.
 * For screening only: the text kept on file is never changed.
 */
export const foldForScreen = (text: string): string => {
  if (!MAY_FOLD.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(MARKS_AND_FORMAT, '')
    .replace(LOOK_ALIKE, (c) => LOOK_ALIKES[c]!)
    .replace(OTHER_SEPARATORS, ' ');
};

/** What may stand between two words of an entry, or the letters of a word spelt out. */
const SEP = "[\\s._'-]";
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LATIN_ENTRY = /^[a-z0-9 '*-]+$/;
/** A Latin word starts after no Latin letter or digit (the text is folded: Latin is a-z there). */
const START = '(?<![a-z0-9])';
/** A whole word ends before one; a plural s or es is the same word. */
const END = '(?:e?s)?(?![a-z0-9])';

/**
 * An entry as the ways it may be written, each a sequence of regular-expression atoms (see
 * PROTECTED_WORDS for what matches). A `*` ends a stem: at the end of the entry or of a word in it
 * ("complain* to the government").
 */
const spellings = (entry: string): { latin: boolean; atoms: string[][] } => {
  const folded = foldForScreen(entry).trim();
  if (!LATIN_ENTRY.test(folded)) {
    // Chinese: anywhere, separators allowed between characters.
    const chars = [...folded.replace(/\s+/g, '')].map(escapeRe);
    return { latin: false, atoms: [chars.flatMap((c, i) => (i === 0 ? [c] : [`${SEP}*`, c]))] };
  }
  const stem = folded.endsWith('*');
  const words = folded.split(/[\s'-]+/);
  const atoms: string[] = [];
  words.forEach((w, i) => {
    if (i > 0) atoms.push(`${SEP}+`);
    const plain = w.endsWith('*') ? w.slice(0, -1) : w;
    atoms.push(...[...plain].map(escapeRe));
    if (w.endsWith('*') && i < words.length - 1) atoms.push('[a-z]*');
  });
  if (!stem) atoms.push(END);
  return { latin: true, atoms: [atoms] };
};

/**
 * A word spelt out letter by letter ("R e l i g i o n", "r.e.l.i.g.i.o.n"): three single letters
 * or more, each after one separator. Rare, so such runs are joined and the text screened again,
 * rather than every word's spelt-out form being a branch of the screen (which made it five times
 * slower on every text).
 */
const SPELT_OUT = /(?<![a-z0-9])[a-z](?:[\s._'-][a-z](?![a-z0-9])){2,}/g;
const joinSpeltOut = (folded: string): string | undefined => {
  SPELT_OUT.lastIndex = 0;
  if (!SPELT_OUT.test(folded)) return undefined;
  return folded.replace(SPELT_OUT, (run) => run.replace(/[\s._'-]/g, ''));
};

interface TrieNode {
  next: Map<string, TrieNode>;
  end: boolean;
}

/**
 * Many spellings as one alternation factored into a trie (`r(?:eligio|ace)`): the regular
 * expression engine then tries one branch per character of the text, not one per word, which keeps
 * the screen as fast with a thousand spellings as with fifty.
 */
const trieSource = (all: readonly string[][]): string => {
  const root: TrieNode = { next: new Map(), end: false };
  for (const atoms of all) {
    let node = root;
    for (const a of atoms) {
      let n = node.next.get(a);
      if (!n) {
        n = { next: new Map(), end: false };
        node.next.set(a, n);
      }
      node = n;
    }
    node.end = true;
  }
  const emit = (node: TrieNode): string => {
    // The shortest spelling is enough to match: nothing after it needs trying.
    if (node.end) return '';
    const parts = [...node.next].map(([a, n]) => a + emit(n));
    return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
  };
  return root.next.size === 0 ? '(?!)' : emit(root);
};

/** The Latin and the Chinese spellings of some entries, each as one trie-shaped source. */
const tries = (entries: readonly string[]): { latin: string; cjk: string } => {
  const latin: string[][] = [];
  const other: string[][] = [];
  for (const e of entries) {
    const { latin: isLatin, atoms } = spellings(e);
    (isLatin ? latin : other).push(...atoms);
  }
  // A look-ahead on the characters that can start a Chinese spelling: at any other position the
  // engine fails at once, with one character-class test, instead of trying the trie's branches.
  const firsts = [...new Set(other.map((a) => a[0]!))].join('');
  return {
    latin: trieSource(latin),
    cjk: other.length === 0 ? '(?!)' : `(?=[${firsts}])${trieSource(other)}`,
  };
};

/**
 * Lawful phrases (groups 1 and 2) and protected spellings: at a word start, a lawful phrase is
 * tried before the protected words, so the screen steps over it.
 */
const screenSource = (lawful: readonly string[], words: readonly string[]): string => {
  const l = tries(lawful);
  const w = tries(words);
  return `${START}(?=[a-z])(?:(${l.latin})|${w.latin})|(${l.cjk})|${w.cjk}`;
};

type Tier = Readonly<Record<string, readonly string[]>>;

interface Entry {
  entry: string;
  category: string;
  /** The entry alone, anchored: says which entry matched, run only once a match is found. */
  pattern: RegExp;
}

interface Screen {
  /** Lawful phrases in groups 1 and 2, protected words after: the first protected match wins. */
  pattern: RegExp;
  entries: readonly Entry[];
}

const compile = (tiers: readonly Tier[]): Screen => {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const tier of tiers)
    for (const [category, words] of Object.entries(tier))
      for (const entry of words) {
        const key = foldForScreen(entry);
        if (seen.has(key)) continue;
        seen.add(key);
        const source = screenSource([], [entry]);
        entries.push({ entry: entry.replace(/\*/g, ''), category, pattern: new RegExp(`^(?:${source})`) });
      }
  // Longest first, so that a phrase is reported rather than a word inside it.
  entries.sort((a, b) => b.entry.length - a.entry.length);
  const words = tiers.flatMap((t) => Object.values(t).flat());
  // Without the `u` flag: every entry is in the Basic Multilingual Plane, and V8 runs this form
  // several times faster, which ingestion pays on every record.
  const pattern = new RegExp(screenSource(LAWFUL_PHRASES, words), 'g');
  return { pattern, entries };
};

/** Free text everywhere. */
const TEXT_SCREEN = compile([PROTECTED_WORDS]);
/** What a catalogue, list or measure says: the free-text words and the policy words. */
const POLICY_SCREEN = compile([PROTECTED_WORDS, PROTECTED_POLICY_WORDS]);

export interface ProtectedWord {
  /** The entry of the word list that matched (a stem without its `*`). */
  word: string;
  /** Its category of product rule 2, e.g. `religion_or_belief`. */
  category: string;
}

const scan = (screen: Screen, folded: string): ProtectedWord | undefined => {
  const { pattern } = screen;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(folded); m !== null; m = pattern.exec(folded)) {
    if (m[1] !== undefined || m[2] !== undefined) continue; // a lawful phrase, stepped over
    // The match passed the look-behind at its start; an entry's pattern alone cannot see before it.
    const at = folded.slice(m.index);
    const hit = screen.entries.find((e) => e.pattern.test(at));
    return hit ? { word: hit.entry, category: hit.category } : { word: m[0], category: 'protected' };
  }
  return undefined;
};

const search = (screen: Screen, text: string): ProtectedWord | undefined => {
  const folded = foldForScreen(text);
  const found = scan(screen, folded);
  if (found) return found;
  const joined = joinSpeltOut(folded);
  return joined === undefined ? undefined : scan(screen, joined);
};

/** The first protected word in a free text and its category, or undefined. */
export const protectedWordIn = (text: string): ProtectedWord | undefined => search(TEXT_SCREEN, text);

/**
 * The first protected word in what a catalogue, list or measure says, or undefined: the free-text
 * words and the wider policy words (PROTECTED_POLICY_WORDS).
 */
export const protectedPolicyWordIn = (text: string): ProtectedWord | undefined => search(POLICY_SCREEN, text);

/**
 * Refuses an operator's or a source's text that names a protected category (product rule 2): it
 * would be kept in files and the permanent audit log. `protected_category`, naming the field.
 */
export const refuseProtectedText = (text: string, field: string, what: string): void => {
  const found = protectedWordIn(text);
  if (found)
    throw protectedCategory(
      `${field} names a protected category (${found.category}: "${found.word}"), which product rule 2 keeps out of ${what}: word it without it`,
      [{ field, message: `protected category ${found.category}: "${found.word}"` }],
    );
};

/**
 * Every text (value or key) in a policy file's data that names a protected subject, each as an
 * issue with its field and line. `label(path)` may prefix a message (the catalogue names the item).
 */
export const protectedIssuesIn = (
  data: unknown,
  issueAt: (path: Path, problem: string) => Issue,
  problem: (found: ProtectedWord, path: Path) => string,
): Issue[] => {
  const issues: Issue[] = [];
  const walk = (value: unknown, path: Path, depth: number) => {
    if (depth > 32) return;
    if (typeof value === 'string') {
      const found = protectedPolicyWordIn(value);
      if (found) issues.push({ ...issueAt(path, ''), message: problem(found, path) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, [...path, i], depth + 1);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const found = protectedPolicyWordIn(k);
        if (found) issues.push({ ...issueAt([...path, k], ''), message: problem(found, [...path, k]) });
        else walk(v, [...path, k], depth + 1);
      }
    }
  };
  walk(data, [], 0);
  return issues;
};

/**
 * Product rule 2 over a list or measure policy: any text naming a protected subject (a list's
 * name, reason code, legal basis…) refuses the file, with every such field and its line.
 */
export const refuseProtectedInPolicy = (
  data: unknown,
  origin: string,
  what: string,
  issueAt: (path: Path, problem: string) => Issue,
): void => {
  const issues = protectedIssuesIn(
    data,
    issueAt,
    (found, path) =>
      `${formatPath(path)}: names "${found.word}" (${found.category}), a subject protected under product rule 2 ` +
      `(README.md, "Product rules"); a ${what} may not target it`,
  );
  if (issues.length > 0)
    throw protectedCategory(
      `${origin}: the ${what} names ${plural(issues.length, 'protected subject')}:\n` +
        issues.map((i) => `- ${i.message}${i.line === undefined ? '' : ` (line ${i.line})`}`).join('\n'),
      issues,
    );
};
