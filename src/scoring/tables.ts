/**
 * A policy compiled against a catalogue into per-type typed arrays, so the engine's loop reads
 * integers by type index instead of looking rules up by code.
 */
import type { Catalogue, Domain } from '../catalogue/index.ts';
import { DOMAINS } from '../catalogue/index.ts';
import { invalidInput } from '../shared/errors.ts';
import { STATUS_CODE } from './columns.ts';
import type { ListingTerm } from './listing-term.ts';
import type { ScoringPolicy } from './policy.ts';

/** Direct grade codes: 0 none, 1 B, 2 C, 3 D (higher is worse). */
export const GRADE_LETTER = ['', 'B', 'C', 'D'] as const;
const GRADE_CODE = { B: 1, C: 2, D: 3 } as const;

export interface PolicyTables {
  readonly base: number;
  /** Lowest score of AAA, AA, A, B, C. */
  readonly bands: Int32Array;
  readonly points: Int32Array;
  readonly grade: Uint8Array;
  /** The catalogue's validity in months: how long a record of the type counts. */
  readonly catalogueMonths: Int32Array;
  /** Index into `terms` of the list whose entry the type's direct grade starts with, or −1. */
  readonly followsList: Int32Array;
  readonly terms: readonly ListingTerm[];
  /** Type codes by type index (the listing term speaks in codes). */
  readonly codes: readonly string[];
  readonly domain: Uint8Array;
  /** 1 where an organization's record of the type also counts for its legal representative. */
  readonly linkable: Uint8Array;
  readonly repeatable: Uint8Array;
  readonly stepFrom: Int32Array;
  readonly stepTo: Int32Array;
  readonly stepAt: Float64Array;
  readonly stepPoints: Int32Array;
  /** Index into the cure arrays, or −1. */
  readonly cure: Int32Array;
  /** 1 where type j cures cure i: at i × (number of types) + j. */
  readonly cureBy: Uint8Array;
  readonly curePoints: Int32Array;
  readonly cureMonths: Int32Array;
  readonly multiplier: number;
  /** Whether a record of each status counts. */
  readonly statusCounts: Uint8Array;
  readonly disputedCode: number;
  /** Whether a disputed record of each type counts while its objection is pending. */
  readonly disputedCounts: Uint8Array;
  readonly weighted: boolean;
  readonly weights: Float64Array;
}

/**
 * Whether a record of this type keeps counting while an objection to it is pending: the
 * catalogue's `while_disputed` for the type, else the scoring policy's `statuses.disputed`.
 */
export const countsWhileDisputed = (
  item: { while_disputed?: 'counted' | 'not_counted' | undefined },
  policyDefault: boolean,
): boolean => (item.while_disputed === undefined ? policyDefault : item.while_disputed === 'counted');

const months = (years: number) => Math.round(years * 12);
const cache = new WeakMap<ScoringPolicy, WeakMap<Catalogue, PolicyTables>>();

export function compileTables(policy: ScoringPolicy, catalogue: Catalogue): PolicyTables {
  let byCatalogue = cache.get(policy);
  const hit = byCatalogue?.get(catalogue);
  if (hit) return hit;
  if (policy.catalogueVersion !== catalogue.version) {
    throw invalidInput(
      `scoring policy ${policy.label} was checked against another catalogue than ${catalogue.label}; load it again with this catalogue`,
    );
  }
  const items = catalogue.items;
  const n = items.length;
  const index = new Map(items.map((item, i) => [item.code, i]));
  const t = {
    points: new Int32Array(n),
    grade: new Uint8Array(n),
    catalogueMonths: new Int32Array(n),
    followsList: new Int32Array(n).fill(-1),
    domain: new Uint8Array(n),
    linkable: new Uint8Array(n),
    repeatable: new Uint8Array(n),
    stepFrom: new Int32Array(n),
    stepTo: new Int32Array(n),
    cure: new Int32Array(n).fill(-1),
  };
  const terms: ListingTerm[] = [];
  const stepAt: number[] = [];
  const stepPoints: number[] = [];
  const repeatExcluded = new Set(policy.repeat.exclude);
  const linkExcluded = new Set(policy.linkage.exclude);
  const linkSeverities = new Set(policy.linkage.severities);
  items.forEach((item, i) => {
    const rule = policy.types.get(item.code);
    t.points[i] = rule?.points ?? item.points;
    const grade = rule?.directGrade === undefined ? item.direct_grade : rule.directGrade;
    t.grade[i] = grade == null ? 0 : GRADE_CODE[grade];
    t.catalogueMonths[i] = months(item.validity_years);
    const follows = rule?.directGradeFollowsList;
    if (follows !== undefined && t.grade[i] !== 0) {
      let k = terms.findIndex((x) => x.code === follows);
      if (k < 0) {
        const term = policy.listTerms.get(follows);
        if (term === undefined)
          throw invalidInput(`scoring policy ${policy.label}: list ${follows} was not given with the policy`);
        k = terms.push(term) - 1;
      }
      t.followsList[i] = k;
    }
    t.domain[i] = DOMAINS.indexOf(item.domain);
    // An organization's sanction also counts for its legal representative (REFERENCE, city points);
    // a type the catalogue applies to public bodies only (the government-affairs domain) never
    // reaches an official's own file.
    t.linkable[i] =
      linkSeverities.has(item.severity) &&
      !linkExcluded.has(item.code) &&
      item.subject_kinds.includes('organization')
        ? 1
        : 0;
    t.repeatable[i] = repeatExcluded.has(item.code) ? 0 : 1;
    t.stepFrom[i] = stepAt.length;
    for (const s of rule?.steps ?? []) {
      stepAt.push(s.atLeast);
      stepPoints.push(s.points);
    }
    t.stepTo[i] = stepAt.length;
  });
  policy.cures.forEach((c, k) => {
    t.cure[index.get(c.type)!] = k;
  });
  const cureBy = new Uint8Array(policy.cures.length * n);
  policy.cures.forEach((c, k) => {
    for (const by of c.curedBy) cureBy[k * n + index.get(by)!] = 1;
  });
  const weights = new Float64Array(4).fill(1);
  if (policy.combine.method === 'weighted') {
    const w = policy.combine.weights;
    DOMAINS.forEach((d: Domain, i) => {
      weights[i] = w[d];
    });
  }
  const disputedCounts = Uint8Array.from(items, (item) =>
    countsWhileDisputed(item, policy.disputedCounts) ? 1 : 0,
  );
  const statusCounts = new Uint8Array(6);
  statusCounts[STATUS_CODE.active] = 1;
  statusCounts[STATUS_CODE.disputed] = policy.disputedCounts ? 1 : 0;
  const g = policy.grades;
  const tables: PolicyTables = {
    ...t,
    base: policy.base,
    bands: Int32Array.of(g.AAA, g.AA, g.A, g.B, g.C),
    stepAt: Float64Array.from(stepAt),
    stepPoints: Int32Array.from(stepPoints),
    cureBy,
    curePoints: Int32Array.from(policy.cures, (c) => c.becomes.points),
    cureMonths: Int32Array.from(policy.cures, (c) => months(c.becomes.years)),
    terms,
    codes: items.map((item) => item.code),
    multiplier: policy.repeat.multiplier,
    statusCounts,
    disputedCode: STATUS_CODE.disputed,
    disputedCounts,
    weighted: policy.combine.method === 'weighted',
    weights,
  };
  if (!byCatalogue) {
    byCatalogue = new WeakMap();
    cache.set(policy, byCatalogue);
  }
  byCatalogue.set(catalogue, tables);
  return tables;
}
