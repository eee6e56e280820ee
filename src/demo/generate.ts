/**
 * The demo population generator: a stream of subjects (persons, then organizations, then public
 * bodies) followed by their records, reproducible from the seed.
 */
import type { Catalogue } from '../catalogue/index.ts';
import { LICENCE_KINDS } from '../identity/index.ts';
import { invalidInput } from '../shared/errors.ts';
import { birthdayAt, dayFromCivil, parseIsoDay } from './calendar.ts';
import { Emitter } from './emitter.ts';
import { type OrgView, orgRecords } from './org-records.ts';
import { type PersonView, personRecords } from './person-records.ts';
import { PLACES } from './places.ts';
import { generateOrganizations, generatePersons, orgSubject, personSubject } from './population.ts';
import { Random } from './random.ts';
import type { DemoItem, DemoOptions } from './types.ts';

export { demoSources } from './sources.ts';
export type { DemoOptions } from './types.ts';

const DEFAULT_YEARS = 5;

interface Checked {
  persons: number;
  organizations: number;
  seed: number;
  end: number;
  years: number;
}

const checkOptions = (opts: DemoOptions): Checked => {
  const count = (field: 'persons' | 'organizations') => {
    const n = opts[field];
    if (!Number.isSafeInteger(n) || n < 0) {
      throw invalidInput(`${field} must be a whole number of 0 or more, got ${n}`, [
        { field, message: 'expected a whole number ≥ 0' },
      ]);
    }
    return n;
  };
  if (!Number.isSafeInteger(opts.seed)) {
    throw invalidInput(`seed must be a whole number, got ${opts.seed}`, [
      { field: 'seed', message: 'expected a whole number' },
    ]);
  }
  const end = parseIsoDay(opts.end);
  if (end === undefined || end < dayFromCivil(1970, 1, 1) || end > dayFromCivil(2199, 12, 31)) {
    throw invalidInput(`end must be an existing date YYYY-MM-DD between 1970 and 2199, got "${opts.end}"`, [
      { field: 'end', message: 'expected YYYY-MM-DD' },
    ]);
  }
  const years = opts.years ?? DEFAULT_YEARS;
  if (!Number.isInteger(years) || years < 1 || years > 20) {
    throw invalidInput(`years must be a whole number from 1 to 20, got ${years}`, [
      { field: 'years', message: 'expected 1–20' },
    ]);
  }
  return { persons: count('persons'), organizations: count('organizations'), seed: opts.seed, end, years };
};

/**
 * The exact number of items `generateDemo` yields for these options and catalogue, for a progress
 * bar that ends at 100 %: the records are drawn as the generator draws them, but none is built
 * (about half the time of generating them, and far less than loading them).
 */
export function countDemoItems(opts: DemoOptions, catalogue: Catalogue): number {
  const walk = demoItems(checkOptions(opts), catalogue, true);
  let step = walk.next();
  while (!step.done) step = walk.next();
  return step.value;
}

/**
 * Generates a believable population: `persons` persons, `organizations` organizations and public
 * bodies (about 15 % public bodies), then their records over `years` years up to `end`. The same
 * options and catalogue always give the same items in the same order. Only types the catalogue
 * allows for the source kind and subject kind are produced.
 */
export function* generateDemo(opts: DemoOptions, catalogue: Catalogue): Generator<DemoItem> {
  yield* demoItems(checkOptions(opts), catalogue, false);
}

/** The demo's items, or when `counting` none, only their number (returned either way). */
function* demoItems(o: Checked, catalogue: Catalogue, counting: boolean): Generator<DemoItem, number> {
  // Separate streams, so that adding organizations does not change the persons.
  const persons = generatePersons(new Random(o.seed, 1), o.persons, o.end);
  const orgs = generateOrganizations(new Random(o.seed, 2), o.organizations, persons, o.end);

  if (!counting) {
    for (let i = 0; i < persons.count; i++) yield { kind: 'subject', subject: personSubject(persons, i) };
    for (let j = 0; j < orgs.count; j++) yield { kind: 'subject', subject: orgSubject(orgs, persons, j) };
  }

  // The window: `years` whole years ending on `end` (e.g. 2021-06-02 … 2026-06-01).
  const start = birthdayAt(o.end, -o.years) + 1;
  const scale = o.years / DEFAULT_YEARS;
  const m = new Emitter(catalogue, new Random(o.seed, 3), start, o.end, counting);
  const out = m.out;

  let i = 0;
  const view: PersonView = { place: PLACES[0]!, birth: 0, licenceKind: undefined };
  const buildPerson = () => personSubject(persons, i);
  for (; i < persons.count; i++) {
    m.begin('person', buildPerson);
    view.place = PLACES[persons.place[i]!]!;
    view.birth = persons.birth[i]!;
    const licence = persons.licence[i]!;
    view.licenceKind = licence === 0 ? undefined : LICENCE_KINDS[licence - 1];
    personRecords(m, view, scale);
    if (out.length > 0) {
      yield* out;
      out.length = 0;
    }
  }

  let j = 0;
  const orgView: OrgView = { kind: 0, flags: 0, place: PLACES[0]! };
  const buildOrg = () => orgSubject(orgs, persons, j);
  for (; j < orgs.count; j++) {
    m.begin(j < orgs.firstPublicBody ? 'organization' : 'public_body', buildOrg);
    orgView.kind = orgs.kind[j]!;
    orgView.flags = orgs.flags[j]!;
    orgView.place = PLACES[orgs.place[j]!]!;
    orgRecords(m, orgView, scale);
    if (out.length > 0) {
      yield* out;
      out.length = 0;
    }
  }
  return persons.count + orgs.count + m.emitted;
}
