/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015: registering authority (1),
 * organization category (2), administrative division (3–8), GB 11714 organization code (9–17,
 * its own check digit at 17) and check character (18).
 * The validator runs on bulk-ingest paths, so it reads char codes and allocates only for its result.
 */
import { invalidInput } from '../shared/errors.ts';
import { isProvincePrefixAt } from './divisions.ts';

export type UsccResult =
  | { ok: true; authority: string; category: string; division: string; orgCode: string }
  | { ok: false; reason: string };

// GB 32100-2015: 31 characters, valued 0..30 in this order (no I, O, S, V, Z).
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// GB 32100-2015: weight of position i (1..17) is 3^(i−1) mod 31.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
// GB 11714: weights over the 8-character organization code body.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * Registering authorities and their organization categories, GB 32100-2015 Annex A (with the
 * later additions A and N). Names are for messages and display.
 */
export const USCC_AUTHORITIES: Readonly<
  Record<string, { name: string; categories: Readonly<Record<string, string>> }>
> = {
  '1': {
    name: 'establishment administration',
    categories: {
      '1': 'government organ',
      '2': 'public institution',
      '3': 'mass organization',
      '9': 'other',
    },
  },
  '2': { name: 'foreign affairs', categories: { '1': 'resident foreign news agency', '9': 'other' } },
  '3': {
    name: 'judicial administration',
    categories: {
      '1': 'law firm',
      '2': 'notary office',
      '3': 'grassroots legal service office',
      '4': 'forensic appraisal institution',
      '5': 'arbitration commission',
      '9': 'other',
    },
  },
  '4': { name: 'culture', categories: { '1': 'foreign cultural centre in China', '9': 'other' } },
  '5': {
    name: 'civil affairs',
    categories: {
      '1': 'social organization',
      '2': 'private non-enterprise unit',
      '3': 'foundation',
      '9': 'other',
    },
  },
  '6': {
    name: 'tourism',
    categories: {
      '1': 'representative office of a foreign tourism authority',
      '2': 'representative office of a Hong Kong, Macao or Taiwan tourism authority',
      '9': 'other',
    },
  },
  '7': {
    name: 'religious affairs',
    categories: { '1': 'place of religious activity', '2': 'religious school', '9': 'other' },
  },
  '8': { name: 'trade unions', categories: { '1': 'grassroots trade union', '9': 'other' } },
  '9': {
    name: 'market regulation',
    categories: { '1': 'enterprise', '2': 'individual business', '3': "farmers' cooperative" },
  },
  A: {
    name: 'military establishment administration',
    categories: { '1': 'military public institution', '9': 'other' },
  },
  N: {
    name: 'agriculture',
    categories: {
      '1': 'group-level collective economic organization',
      '2': 'village-level collective economic organization',
      '3': 'township-level collective economic organization',
      '9': 'other',
    },
  },
  Y: { name: 'other', categories: { '1': 'other' } },
};

/** Char code → alphabet value 0..30, or −1; lower case folds to upper case. */
const VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < USCC_ALPHABET.length; i++) {
    const c = USCC_ALPHABET.charCodeAt(i);
    t[c] = i;
    if (c >= 65) t[c + 32] = i;
  }
  return t;
})();

/** Authority char code → bit mask of allowed category digits. */
const CATEGORY_MASK = (() => {
  const t = new Uint16Array(128);
  for (const [authority, { categories }] of Object.entries(USCC_AUTHORITIES)) {
    let mask = 0;
    for (const category of Object.keys(categories)) mask |= 1 << Number(category);
    t[authority.charCodeAt(0)] = mask;
    t[authority.toLowerCase().charCodeAt(0)] = mask;
  }
  return t;
})();

/** The code as stored: surrounding blanks removed, upper case. */
export const normaliseUscc = (value: string): string => value.trim().toUpperCase();

const fail = (reason: string): UsccResult => ({ ok: false, reason });

/**
 * GB 11714 check digit over 8 characters at `at`: C = 11 − (Σ value·weight mod 11), 10 → X,
 * 11 → 0. Letters count A=10 … Z=35 (their base-36 value), NOT their USCC alphabet value: the
 * two differ from J on (J is 18 in the alphabet but 19 here), and the valid code
 * 91512081MA62K0260E only checks with base-36 values (M=22 gives 0; alphabet M=21 would give 8).
 * Returns the char code of the check digit, or −1 when a character is not a digit or A–Z.
 */
const orgCheckCodeAt = (s: string, at: number): number => {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    let c = s.charCodeAt(at + i);
    if (c >= 97 && c <= 122) c -= 32;
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : -1;
    if (v < 0) return -1;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 88 : check === 11 ? 48 : 48 + check;
};

/** Division code at positions 3–8: a province prefix below province level, a province, or 100000 (central). */
const isUsccDivision = (s: string): boolean => {
  for (let i = 2; i < 8; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (isProvincePrefixAt(s, 2)) return true;
  // Central-level bodies register under 100000.
  return s.charCodeAt(2) === 49 && s.charCodeAt(3) === 48 && s.charCodeAt(4) === 48 && s.charCodeAt(5) === 48;
};

const checkCharFor = (s: string): string => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += VALUE[s.charCodeAt(i)]! * WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
};

/** Check a Unified Social Credit Code. Blanks around it and lower case are tolerated. */
export const validateUscc = (value: string): UsccResult => {
  const s = value.length === 18 ? value : value.trim();
  if (s.length !== 18) return fail(`must be 18 characters, got ${s.length}`);

  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) {
      return fail(
        `character "${s[i]}" is not allowed at position ${i + 1} (allowed: 0-9 and A-Z except I, O, S, V, Z)`,
      );
    }
    if (i < 17) sum += v * WEIGHTS[i]!;
  }

  const authority = s.charCodeAt(0);
  const mask = CATEGORY_MASK[authority]!;
  if (mask === 0) return fail(`unknown registering authority "${s[0]!.toUpperCase()}" at position 1`);
  const category = s.charCodeAt(1) - 48;
  if (category < 0 || category > 9 || (mask & (1 << category)) === 0) {
    return fail(
      `unknown organization category "${s[1]!.toUpperCase()}" for registering authority "${s[0]!.toUpperCase()}"`,
    );
  }

  if (!isUsccDivision(s)) {
    return fail(`administrative division code ${s.slice(2, 8)} at positions 3-8 is not valid`);
  }

  let orgCheck = s.charCodeAt(16);
  if (orgCheck === 120) orgCheck = 88;
  const expectedOrgCheck = orgCheckCodeAt(s, 8);
  if (orgCheck !== expectedOrgCheck) {
    return fail(`organization-code check digit should be ${String.fromCharCode(expectedOrgCheck)}`);
  }

  const expected = (31 - (sum % 31)) % 31;
  if (VALUE[s.charCodeAt(17)] !== expected)
    return fail(`check character should be ${USCC_ALPHABET[expected]}`);

  const upper = hasLowerCase(s) ? s.toUpperCase() : s;
  return {
    ok: true,
    authority: upper[0]!,
    category: upper[1]!,
    division: upper.slice(2, 8),
    orgCode: upper.slice(8, 17),
  };
};

const hasLowerCase = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
};

/**
 * Build a Unified Social Credit Code from its parts, computing the organization-code check digit
 * (position 17) and the check character (position 18).
 */
export const makeUscc = (
  authority: string,
  category: string,
  division: string,
  orgCodeBody8: string,
): string => {
  const a = authority.toUpperCase();
  const entry = a.length === 1 ? USCC_AUTHORITIES[a] : undefined;
  if (entry === undefined) throw invalidInput(`unknown registering authority "${authority}"`);
  if (category.length !== 1 || entry.categories[category] === undefined) {
    throw invalidInput(`unknown organization category "${category}" for registering authority "${a}"`);
  }
  if (division.length !== 6 || !isUsccDivision('00' + division)) {
    throw invalidInput(`division "${division}" is not a valid administrative division code`);
  }
  const body = orgCodeBody8.toUpperCase();
  let bodyOk = body.length === 8;
  for (let i = 0; bodyOk && i < 8; i++) bodyOk = VALUE[body.charCodeAt(i)]! >= 0;
  if (!bodyOk) {
    throw invalidInput(
      `organization code body must be 8 characters from 0-9 and A-Z except I, O, S, V, Z, got "${orgCodeBody8}"`,
    );
  }
  const first17 = a + category + division + body + String.fromCharCode(orgCheckCodeAt(body, 0));
  return first17 + checkCharFor(first17);
};
