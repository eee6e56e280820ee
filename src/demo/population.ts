/**
 * The demo population: persons and the organizations and public bodies they represent. Kept in
 * typed arrays (about 20 bytes a person) so a million persons fit easily; the JSON form of a
 * subject is rebuilt on demand.
 */
import { LICENCE_KINDS, makeUscc, residentIdCheckCharacter, USCC_ALPHABET } from '../identity/index.ts';
import { invalidInput } from '../shared/errors.ts';
import { birthdayAt, civilFromDay, dayFromCivil } from './calendar.ts';
import {
  BRANDS,
  COMPANY_SUFFIXES,
  FEMALE_GIVEN,
  GOVERNMENT_ORGANS,
  INDUSTRIES,
  MALE_GIVEN,
  MEDICAL_INDUSTRY,
  PUBLIC_INSTITUTIONS,
  SHOPS,
  SOCIAL_ORGANIZATIONS,
  SURNAMES,
} from './names.ts';
import { PLACES, type Place } from './places.ts';
import { cumulative, pickWeighted, type Random } from './random.ts';
import type { SubjectJson } from './types.ts';

const BIRTH_MIN = dayFromCivil(1940, 1, 1);
const BIRTH_MAX = dayFromCivil(2010, 12, 31);

/**
 * Births per five-year cohort, 1940–2010 (relative): small wartime cohorts, the 1960s–70s boom,
 * the 1980s echo, fewer births after 2000 — the shape of China's 2020 census pyramid, simplified.
 */
const COHORTS: readonly (readonly [firstYear: number, lastYear: number, weight: number])[] = [
  [1940, 1944, 2],
  [1945, 1949, 3],
  [1950, 1954, 5],
  [1955, 1959, 6],
  [1960, 1964, 8],
  [1965, 1969, 10],
  [1970, 1974, 9],
  [1975, 1979, 8],
  [1980, 1984, 9],
  [1985, 1989, 10],
  [1990, 1994, 9],
  [1995, 1999, 7],
  [2000, 2004, 6],
  [2005, 2010, 7],
];
const COHORT_CUM = cumulative(COHORTS.map((c) => c[2]));
const COHORT_FROM = Int32Array.from(COHORTS, ([first]) => dayFromCivil(first, 1, 1));
const COHORT_DAYS = Int32Array.from(
  COHORTS,
  ([first, last]) => dayFromCivil(last + 1, 1, 1) - dayFromCivil(first, 1, 1),
);
const SURNAME_CUM = cumulative(SURNAMES.map(([, w]) => w));

/** Share of licensed professionals among adults old enough to have qualified (23–70). */
const LICENCE_SHARES: Readonly<Record<string, number>> = {
  doctor: 0.024,
  teacher: 0.036,
  nurse: 0.012,
  lawyer: 0.004,
  pharmacist: 0.004,
  accountant: 0.006,
  architect: 0.001,
};
/** Letter that starts each kind's licence number, e.g. D-510104-000123 for a doctor. */
const LICENCE_LETTERS: Readonly<Record<string, string>> = {
  doctor: 'D',
  teacher: 'T',
  nurse: 'N',
  lawyer: 'L',
  pharmacist: 'P',
  accountant: 'A',
  architect: 'R',
};

/** Kinds of organization and public body, with their GB 32100-2015 authority and category. */
export const OrgKind = {
  enterprise: 0,
  individualBusiness: 1,
  socialOrganization: 2,
  governmentOrgan: 3,
  publicInstitution: 4,
} as const;
const ORG_CODES: readonly (readonly [authority: string, category: string])[] = [
  ['9', '1'],
  ['9', '2'],
  ['5', '1'],
  ['1', '1'],
  ['1', '2'],
];

/** Marks on an organization that decide which record types fit it. */
export const OrgFlag = { medical: 1, hospital: 2, school: 4 } as const;

/** Share of public bodies in the organizations count. */
export const PUBLIC_BODY_SHARE = 0.15;

export interface Persons {
  count: number;
  /** Index into PLACES of the division that issued the ID number. */
  place: Uint16Array;
  /** Birth date as a day number. */
  birth: Int32Array;
  /** GB 11643-1999 order code 1–999: odd for men, even for women. */
  order: Uint16Array;
  surname: Uint8Array;
  given1: Uint8Array;
  /** 255 for a one-character given name. */
  given2: Uint8Array;
  /** 0 for none, else 1 + index into LICENCE_KINDS. */
  licence: Uint8Array;
  licenceSeq: Uint32Array;
}

export interface Organizations {
  count: number;
  /** First index of the public bodies (they follow the organizations). */
  firstPublicBody: number;
  kind: Uint8Array;
  flags: Uint8Array;
  place: Uint16Array;
  /** The legal representative: an index into the persons. */
  rep: Int32Array;
  uscc: string[];
  name: string[];
}

const NO_GIVEN2 = 255;

export const isMale = (p: Persons, i: number): boolean => p.order[i]! % 2 === 1;

export const personName = (p: Persons, i: number): string => {
  const given = isMale(p, i) ? MALE_GIVEN : FEMALE_GIVEN;
  const g2 = p.given2[i]!;
  return SURNAMES[p.surname[i]!]![0] + given[p.given1[i]!]! + (g2 === NO_GIVEN2 ? '' : given[g2]!);
};

const ORDER_CODES = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/**
 * GB 11643-1999: address code, birth date YYYYMMDD, order code, check character. Built directly
 * (rather than through makeResidentId, which re-checks its inputs) because it runs once per
 * subject and record: the parts are valid by construction.
 */
export const personId = (p: Persons, i: number): string => {
  const first17 = PLACES[p.place[i]!]!.code + civilFromDay(p.birth[i]!) + ORDER_CODES[p.order[i]!]!;
  return first17 + residentIdCheckCharacter(first17);
};

export const personLicence = (p: Persons, i: number): { kind: string; number: string } | undefined => {
  const l = p.licence[i]!;
  if (l === 0) return undefined;
  const kind = LICENCE_KINDS[l - 1]!;
  const letter = LICENCE_LETTERS[kind] ?? kind[0]!.toUpperCase();
  return {
    kind,
    number: `${letter}-${PLACES[p.place[i]!]!.code}-${String(p.licenceSeq[i]!).padStart(6, '0')}`,
  };
};

export const personSubject = (p: Persons, i: number): SubjectJson => {
  const licence = personLicence(p, i);
  return licence
    ? { kind: 'person', id_number: personId(p, i), name: personName(p, i), licences: [licence] }
    : { kind: 'person', id_number: personId(p, i), name: personName(p, i) };
};

export const orgSubject = (o: Organizations, p: Persons, j: number): SubjectJson => ({
  kind: j < o.firstPublicBody ? 'organization' : 'public_body',
  uscc: o.uscc[j]!,
  name: o.name[j]!,
  legal_representative: { id_number: personId(p, o.rep[j]!), name: personName(p, o.rep[j]!) },
});

/** Open-addressing set of safe integers, so a million keys cost 16 MB rather than a Set's hundreds. */
class NumberSet {
  readonly #slots: Float64Array;
  readonly #mask: number;
  constructor(expected: number) {
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.#slots = new Float64Array(size);
    this.#mask = size - 1;
  }
  /** Adds the key; false if it was already there. */
  add(key: number): boolean {
    const lo = (key % 0x100000000) | 0;
    const hi = Math.floor(key / 0x100000000) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    const stored = key + 1;
    for (let at = h & this.#mask; ; at = (at + 1) & this.#mask) {
      const s = this.#slots[at]!;
      if (s === 0) {
        this.#slots[at] = stored;
        return true;
      }
      if (s === stored) return false;
    }
  }
}

/** Generates `count` persons; `end` (a day number) is "today": nobody is born after it. */
export const generatePersons = (rng: Random, count: number, end: number): Persons => {
  const p: Persons = {
    count,
    place: new Uint16Array(count),
    birth: new Int32Array(count),
    order: new Uint16Array(count),
    surname: new Uint8Array(count),
    given1: new Uint8Array(count),
    given2: new Uint8Array(count),
    licence: new Uint8Array(count),
    licenceSeq: new Uint32Array(count),
  };
  const birthMax = Math.min(BIRTH_MAX, end);
  const taken = new NumberSet(count);
  const licenceShares = Float64Array.from(LICENCE_KINDS, (kind) => LICENCE_SHARES[kind] ?? 0.002);
  const licenceSeq = new Uint32Array(LICENCE_KINDS.length);
  // Old enough to have qualified (23) and not yet retired from practice (70) on the last day.
  const qualifiedBy = birthdayAt(end, -23);
  const retiredBy = birthdayAt(end, -70);
  for (let i = 0; i < count; i++) {
    let place = 0;
    let birth = 0;
    let male = false;
    let order = 0;
    for (let placed = false; !placed; ) {
      place = rng.int(PLACES.length);
      const cohort = pickWeighted(rng, COHORT_CUM);
      birth = COHORT_FROM[cohort]! + rng.int(COHORT_DAYS[cohort]!);
      if (birth > birthMax) birth = BIRTH_MIN + rng.int(birthMax - BIRTH_MIN + 1);
      // GB 11643-1999: odd order codes for men (1..999), even for women (2..998); about 51 % men.
      male = rng.next() < 0.51;
      order = male ? 1 + 2 * rng.int(500) : 2 + 2 * rng.int(499);
      const base = (place * 32768 + (birth - BIRTH_MIN)) * 1000;
      // The same division, birth date and order code would give the same number: step to the next
      // free code, or draw again in the (never seen) case that all of them are taken.
      for (let step = 0; step < 500 && !placed; step++) {
        placed = taken.add(base + order);
        if (!placed) order = order + 2 > 999 ? (male ? 1 : 2) : order + 2;
      }
    }
    const given = male ? MALE_GIVEN : FEMALE_GIVEN;
    const g1 = rng.int(given.length);
    let g2 = NO_GIVEN2;
    if (rng.next() < 0.7) {
      g2 = rng.int(given.length - 1);
      if (g2 >= g1) g2 += 1;
    }
    p.place[i] = place;
    p.birth[i] = birth;
    p.order[i] = order;
    p.surname[i] = pickWeighted(rng, SURNAME_CUM);
    p.given1[i] = g1;
    p.given2[i] = g2;
    if (birth <= qualifiedBy && birth > retiredBy) {
      let u = rng.next();
      for (let k = 0; k < licenceShares.length; k++) {
        u -= licenceShares[k]!;
        if (u < 0) {
          p.licence[i] = k + 1;
          p.licenceSeq[i] = ++licenceSeq[k]!;
          break;
        }
      }
    }
  }
  return p;
};

/** Persons grouped by province (counting sort), for picking a local legal representative. */
const groupByProvince = (p: Persons): { members: Int32Array; start: Int32Array; end: Int32Array } => {
  const start = new Int32Array(100);
  const end = new Int32Array(100);
  for (let i = 0; i < p.count; i++) end[PLACES[p.place[i]!]!.province]!++;
  let at = 0;
  for (let k = 0; k < 100; k++) {
    start[k] = at;
    at += end[k]!;
    end[k] = start[k]!;
  }
  const members = new Int32Array(p.count);
  for (let i = 0; i < p.count; i++) members[end[PLACES[p.place[i]!]!.province]!++] = i;
  return { members, start, end };
};

const orgCodeBody = (rng: Random, modern: boolean): string => {
  // Codes issued since 2015 begin "MA"; older ones carried over an 8-digit GB 11714 code.
  let body = modern ? 'MA' : '';
  const alphabet = modern ? USCC_ALPHABET : '0123456789';
  while (body.length < 8) body += alphabet[rng.int(alphabet.length)];
  return body;
};

const orgName = (rng: Random, kind: number, place: Place, repSurname: string): [string, number] => {
  switch (kind) {
    case OrgKind.enterprise: {
      const industry = rng.pick(INDUSTRIES);
      const where = rng.next() < 0.6 ? place.tradeShort : place.cityShort;
      const flags = industry === MEDICAL_INDUSTRY ? OrgFlag.medical : 0;
      return [where + rng.pick(BRANDS) + industry + rng.pick(COMPANY_SUFFIXES), flags];
    }
    case OrgKind.individualBusiness: {
      const shop = rng.pick(SHOPS);
      return [place.official + repSurname + '记' + shop, shop === '药店' ? OrgFlag.medical : 0];
    }
    case OrgKind.socialOrganization:
      return [place.official + rng.pick(SOCIAL_ORGANIZATIONS), 0];
    case OrgKind.governmentOrgan:
      return [place.official + rng.pick(GOVERNMENT_ORGANS), 0];
    default: {
      const [name, what] = rng.pick(PUBLIC_INSTITUTIONS);
      const flags = what === 'hospital' ? OrgFlag.hospital : what === 'school' ? OrgFlag.school : 0;
      return [place.official + name, flags];
    }
  }
};

/**
 * Generates organizations (enterprises, individual businesses, social organizations) followed by
 * public bodies (government organs, public institutions); each has an adult legal representative
 * drawn from the persons, usually from the same province.
 */
export const generateOrganizations = (
  rng: Random,
  count: number,
  persons: Persons,
  end: number,
): Organizations => {
  const publicBodies = Math.round(count * PUBLIC_BODY_SHARE);
  const o: Organizations = {
    count,
    firstPublicBody: count - publicBodies,
    kind: new Uint8Array(count),
    flags: new Uint8Array(count),
    place: new Uint16Array(count),
    rep: new Int32Array(count),
    uscc: new Array<string>(count),
    name: new Array<string>(count),
  };
  if (count === 0) return o;
  // A legal representative is an adult; demo representatives of firms are 25–75 on the last day,
  // heads of public bodies 35–75.
  const bornBy25 = birthdayAt(end, -25);
  const bornBy35 = birthdayAt(end, -35);
  const bornAfter = birthdayAt(end, -75);
  let bornBy = bornBy25;
  const canRepresent = (i: number) => persons.birth[i]! <= bornBy && persons.birth[i]! > bornAfter;
  const anyAdult: number[] = [];
  for (let i = 0; i < persons.count && anyAdult.length < 1000; i++) if (canRepresent(i)) anyAdult.push(i);
  if (anyAdult.length === 0) {
    throw invalidInput(
      `${count} organizations need adult persons as legal representatives, but none of the ${persons.count} persons is 25–75`,
      [{ field: 'persons', message: 'too few persons for the organizations' }],
    );
  }
  const byProvince = groupByProvince(persons);
  const pickRep = (province: number): number => {
    const lo = byProvince.start[province]!;
    const n = byProvince.end[province]! - lo;
    for (let tries = 0; n > 0 && tries < 12; tries++) {
      const i = byProvince.members[lo + rng.int(n)]!;
      if (canRepresent(i)) return i;
    }
    for (let tries = 0; tries < 24; tries++) {
      const i = rng.int(persons.count);
      if (canRepresent(i)) return i;
    }
    return anyAdult[rng.int(anyAdult.length)]!;
  };

  const usccs = new Set<string>();
  const names = new Set<string>();
  for (let j = 0; j < count; j++) {
    const isPublic = j >= o.firstPublicBody;
    bornBy = isPublic ? bornBy35 : bornBy25;
    const u = rng.next();
    const kind = isPublic
      ? u < 0.55
        ? OrgKind.governmentOrgan
        : OrgKind.publicInstitution
      : u < 0.8
        ? OrgKind.enterprise
        : u < 0.95
          ? OrgKind.individualBusiness
          : OrgKind.socialOrganization;
    const placeIndex = rng.int(PLACES.length);
    const place = PLACES[placeIndex]!;
    const rep = pickRep(place.province);
    const repSurname = SURNAMES[persons.surname[rep]!]![0];
    let [name, flags] = orgName(rng, kind, place, repSurname);
    // Two bodies of one name in one place would confuse a reader; a few tries make that rare.
    for (let tries = 0; names.has(name) && tries < 8; tries++)
      [name, flags] = orgName(rng, kind, place, repSurname);
    names.add(name);
    const [authority, category] = ORG_CODES[kind]!;
    let uscc: string;
    do {
      uscc = makeUscc(authority, category, place.code, orgCodeBody(rng, !isPublic && rng.next() < 0.7));
    } while (usccs.has(uscc));
    usccs.add(uscc);
    o.kind[j] = kind;
    o.flags[j] = flags;
    o.place[j] = placeIndex;
    o.rep[j] = rep;
    o.uscc[j] = uscc;
    o.name[j] = name;
  }
  return o;
};
