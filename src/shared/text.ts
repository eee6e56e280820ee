/**
 * The one place that says which characters text may hold, for the record contract
 * (src/ingest/record-line.ts) and every other request body (src/api/text-guard.ts).
 *
 * Refused everywhere:
 * - C0 control characters (U+0000–U+001F) and DEL (U+007F): a NUL is refused by PostgreSQL and
 *   would fail a whole batch; the others are invisible and can hide or forge text in a file or a
 *   terminal. Tab, line feed and carriage return are allowed only where a field may span lines
 *   (a note, a reason, an objection's statement), never in names and identifiers.
 * - C1 control characters (U+0080–U+009F): never text, usually a mis-decoded byte.
 * - Bidirectional embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they
 *   make text display in another order than it is stored ("Trojan Source", CVE-2021-42574), so a
 *   name or a case number could read as another one.
 * - Unpaired surrogates: not Unicode text; a driver would silently store U+FFFD instead.
 * - Invisible characters with no use in names or free text here: the zero-width space (U+200B),
 *   the word joiner and the invisible operators (U+2060–U+2064) and the byte-order mark or
 *   zero-width no-break space (U+FEFF). They make two different texts look the same: a name that
 *   reads as another subject's, a repeated comment that escapes the duplicate-text detector.
 *   The zero-width joiner and non-joiner (U+200C/U+200D) stay: scripts and emoji need them.
 *
 * Allowed on purpose: the left-to-right and right-to-left marks U+200E/U+200F (and the Arabic
 * letter mark U+061C). Unicode recommends them (UAX #9) for writing right-to-left scripts such as
 * Uyghur beside digits and Latin text; they only set the direction of the neutral characters next
 * to them and cannot reverse a run the way overrides and isolates do.
 *
 * Text is NFC-normalised before it is checked and stored, so a name typed with combining marks
 * (NFD) and the same name precomposed (NFC) are one text.
 */

/** Characters never allowed in a one-line text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN_LINE = /[\u0000-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
/** Characters never allowed in a text that may span lines (tab, LF and CR are allowed). */
const FORBIDDEN_MULTILINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
/** Anything but printable ASCII: a text without it is NFC already and needs no other check. */
const NOT_PRINTABLE_ASCII = /[^\u0020-\u007e]/;

/**
 * A character outside the ranges that are always NFC, whatever their neighbours: everything below
 * U+0300 (the first combining mark), CJK punctuation without its tone marks (U+3000–U+3029), the
 * CJK Unified Ideographs (U+4E00–U+9FFF) and full-width forms (U+FF01–U+FFEF). Text within them
 * (ASCII, Latin-1, most Chinese names and case numbers) skips `normalize`, which costs
 * a microsecond a string.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose
const MAYBE_NOT_NFC = /[^\u0000-\u02ff\u3000-\u3029\u4e00-\u9fff\uff01-\uffef]/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a forbidden character may not be in text. */
const describe = (c: number): string => {
  if (c === 9 || c === 10 || c === 13)
    return `contains a tab or line break (${hex(c)}): this field holds one line`;
  if (c === 0) return 'contains a NUL character (U+0000), which text may not hold';
  if (c < 0x20 || c === 0x7f) return `contains a control character (${hex(c)}), which text may not hold`;
  if (c <= 0x9f) return `contains a C1 control character (${hex(c)}), which text may not hold`;
  if (c === 0x200b || (c >= 0x2060 && c <= 0x2064) || c === 0xfeff)
    return `contains an invisible character (${hex(c)}), which can make two different texts look the same`;
  const what = c <= 0x202e ? 'a bidirectional override' : 'a bidirectional isolate';
  return `contains ${what} (${hex(c)}), which can make text display in another order than it is stored`;
};

/** Why a text may not be stored, or undefined when it may. `text` should be NFC already. */
export const textProblem = (text: string, multiline = false): string | undefined => {
  if (!NOT_PRINTABLE_ASCII.test(text)) return undefined;
  const m = (multiline ? FORBIDDEN_MULTILINE : FORBIDDEN_LINE).exec(text);
  if (m) return describe(m[0].charCodeAt(0));
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired surrogate: not valid Unicode text';
  return undefined;
};

/** The text in Unicode normalisation form C (the same string when it is so already). */
export const nfc = (text: string): string => (MAYBE_NOT_NFC.test(text) ? text.normalize('NFC') : text);

/**
 * A field path safe to print: forbidden characters in keys shown as `\u{…}` escapes, and a key
 * longer than KEY_SHOWN cut short (a refusal quotes the field, never a caller's whole text back).
 */
const FORBIDDEN_LINE_ALL = new RegExp(FORBIDDEN_LINE.source, 'g');
const KEY_SHOWN = 60;
const safeKey = (key: string): string => {
  const shown = NOT_PRINTABLE_ASCII.test(key)
    ? key.replace(FORBIDDEN_LINE_ALL, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
    : key;
  return shown.length > KEY_SHOWN ? `${shown.slice(0, KEY_SHOWN)}…` : shown;
};

export interface TextIssue {
  /** Dotted path of the field (array items by index), e.g. `subject.name` or `persons.2.name`. */
  field: string;
  reason: string;
}

/** Deeper than any body the platform accepts: refused before it can exhaust the stack. */
export const MAX_DEPTH = 32;

/**
 * Walks a parsed JSON value: NFC-normalises every string in place and returns the first string
 * (or key) that may not be stored, with its path. `multiline(key)` says whether a string under
 * that key may span lines (an array's items go by the array's key). A string at the top comes
 * back normalised as `value`.
 */
export const normaliseTextIn = (
  value: unknown,
  multiline: (key: string) => boolean,
  prefix = '',
): { value: unknown; issue?: TextIssue } => {
  if (typeof value === 'string') {
    const s = nfc(value);
    const reason = textProblem(s, multiline(''));
    return reason ? { value: s, issue: { field: prefix || '(body)', reason } } : { value: s };
  }
  const issue = walk(value, multiline, prefix, 0);
  return issue ? { value, issue } : { value };
};

const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

const walk = (
  value: unknown,
  multiline: (key: string) => boolean,
  prefix: string,
  depth: number,
): TextIssue | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH)
    return { field: prefix || '(body)', reason: `nested more than ${MAX_DEPTH} levels deep` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'string') {
        const s = nfc(v);
        if (s !== v) value[i] = s;
        const reason = textProblem(s, multiline(prefix.slice(prefix.lastIndexOf('.') + 1)));
        if (reason) return { field: join(prefix, String(i)), reason };
      } else if (v !== null && typeof v === 'object') {
        const issue = walk(v, multiline, join(prefix, String(i)), depth + 1);
        if (issue) return issue;
      }
    }
    return undefined;
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const keyReason = textProblem(key);
    if (keyReason) return { field: join(prefix, safeKey(key)), reason: `the field name ${keyReason}` };
    const v = o[key];
    if (typeof v === 'string') {
      const s = nfc(v);
      // defineProperty, not assignment: a key named `__proto__` must stay a plain own property.
      if (s !== v)
        Object.defineProperty(o, key, { value: s, writable: true, enumerable: true, configurable: true });
      const reason = textProblem(s, multiline(key));
      if (reason) return { field: join(prefix, key), reason };
    } else if (v !== null && typeof v === 'object') {
      const issue = walk(v, multiline, join(prefix, key), depth + 1);
      if (issue) return issue;
    }
  }
  return undefined;
};
