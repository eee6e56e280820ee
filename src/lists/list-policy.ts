/**
 * The list policy (policies/lists.yaml): each red, black and focus list with its entry rule,
 * duration, extension, exit and deletion rules, exclusions and grace period. Data, not code
 * (CONVENTIONS 7); record types are checked against the catalogue by `checkPolicies`.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  DOMAINS,
  type Domain,
  refuseProtectedInPolicy,
  SEVERITIES,
  type Severity,
  SUBJECT_KINDS,
  type SubjectKind,
} from '../catalogue/index.ts';
import { type EarlierTerms, GRADES, type Grade } from '../scoring/index.ts';
import { type Path, parsePolicyYaml, readPolicyText } from '../shared/policy-yaml.ts';

/** The default list policy shipped with the product: policies/lists.yaml. */
export const DEFAULT_LISTS_PATH = fileURLToPath(new URL('../../policies/lists.yaml', import.meta.url));

export const LIST_KINDS = ['black', 'red', 'focus'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/**
 * Who decides an entry: `authority` — a court or another authority has decided the listing and it
 * takes effect from that decision's date; `platform` — the platform derives the entry by its own
 * rule (e.g. repeated violations), and only then may a grace period warn before it takes effect
 * (product rule 8).
 */
export const DECIDERS = ['authority', 'platform'] as const;
export type Decider = (typeof DECIDERS)[number];

/** Grades a policy may name: the letters of GRADES, plus D for any of DA, DB, DC. */
export const GRADE_NAMES = ['AAA', 'AA', 'A', 'B', 'C', 'D'] as const;
export type GradeName = (typeof GRADE_NAMES)[number];

/** Position of a grade name in GRADES (best first); D is its best form, DA. */
export const gradeRank = (g: GradeName | Grade): number =>
  g === 'D' ? GRADES.indexOf('DA') : GRADES.indexOf(g as Grade);

const LIST_CODE = /^(red|black|focus)\.[a-z0-9_]+$/;
const REASON_CODE = /^[A-Z][A-Z0-9_]*$/;

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} (text)` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });
const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `expected ${what} (a whole number)` })
    .int({ error: `expected ${what} (a whole number)` })
    .min(min, { error: `${what} must be between ${min} and ${max}` })
    .max(max, { error: `${what} must be between ${min} and ${max}` });
const unique = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item, { error: `expected a list of ${what}s` })
    .min(1, { error: `name at least one ${what}` })
    .refine((xs) => new Set(xs).size === xs.length, { error: `${what}s must not repeat` });
const types = unique(z.string({ error: 'expected a record type code (text)' }), 'record type');
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join('|')}` });

const entrySchema = z.strictObject(
  {
    entered_by: types.optional(),
    // Entry thresholds by type: a record enters only with at least this amount (e.g. the sum evaded).
    min_amount: z
      .record(
        z.string({ error: 'expected a record type code' }),
        z.number({ error: 'expected an amount' }).positive({ error: 'min_amount must be above 0' }),
        { error: 'expected a mapping of record type to the least amount that enters' },
      )
      .optional(),
    repeat: z
      .strictObject({
        types,
        count: int('a count', 2, 100),
        within_months: int('a number of months', 1, 120),
      })
      .optional(),
    requires_positive: types.optional(),
    clean_years: z
      .number({ error: 'expected a number of years' })
      .min(0, { error: 'clean_years must be between 0 and 10' })
      .max(10, { error: 'clean_years must be between 0 and 10' })
      .refine((y) => Number.isInteger(y * 12), { error: 'clean_years must be a whole number of months' })
      .optional(),
    clean_severities: unique(oneOf(SEVERITIES), 'severity').optional(),
    clean_domains: unique(oneOf(DOMAINS), 'domain').optional(),
    min_grade: oneOf(GRADE_NAMES).optional(),
  },
  {
    error:
      'expected an entry rule: entered_by or repeat (black and focus lists), or requires_positive with clean_years (red lists)',
  },
);

const listSchema = z.strictObject(
  {
    code: z
      .string({ error: 'expected a list code (text)' })
      .regex(LIST_CODE, { error: 'expected a list code like "black.court_defaulters"' }),
    name: text('name', 120),
    description: text('description', 400).optional(),
    kind: oneOf(LIST_KINDS),
    reason_code: z
      .string({ error: 'expected a reason code (text)' })
      .regex(REASON_CODE, { error: 'expected a reason code like "LISTED_COURT_DEFAULTER"' }),
    legal_basis: text('legal basis', 800),
    subject_kinds: unique(oneOf(SUBJECT_KINDS), 'subject kind'),
    domains: unique(oneOf(DOMAINS), 'domain'),
    entry: entrySchema,
    decided_by: oneOf(DECIDERS).default('authority'),
    duration_months: int('a number of months', 1, 240).optional(),
    // Entry types whose listing has no fixed term: it lasts until an exit record for its case.
    open_ended_for: types.optional(),
    extend: z
      .strictObject({
        by_months_min: int('a number of months', 1, 120),
        by_months_max: int('a number of months', 1, 120),
        when: types,
      })
      .optional(),
    exit_on: types.optional(),
    deletion_working_days: int('a number of working days', 0, 60).optional(),
    exclusions: z
      .strictObject({
        no_minors: z.boolean({ error: 'expected true or false' }).default(false),
        no_double_listing_of_legal_representative: z
          .boolean({ error: 'expected true or false' })
          .default(false),
      })
      .optional(),
    grace_days: int('a number of days', 1, 365).optional(),
    // Whether the public lookup shows the persons on this list (as the deciding authority publishes
    // them); organizations and public bodies on black and red lists are always shown.
    publish_persons: z.boolean({ error: 'expected true or false' }).default(false),
  },
  { error: 'expected a list (a mapping with code, name, kind, ...)' },
);

const listFileSchema = z.strictObject(
  {
    lists_version: text('a version label, e.g. "2026.1"', 40),
    lists: z
      .array(listSchema, { error: 'expected a list of lists' })
      .min(1, { error: 'define at least one list' }),
  },
  { error: 'expected a mapping with lists_version and lists' },
);

type ListFile = z.output<typeof listFileSchema>;
type ListItem = ListFile['lists'][number];

/** One list, as loaded (immutable). Months and days are whole numbers. */
export interface ListRule {
  readonly code: string;
  readonly name: string;
  readonly kind: ListKind;
  /** The reason code a relying party sees while an entry on this list is in force. */
  readonly reasonCode: string;
  readonly legalBasis: string;
  readonly subjectKinds: readonly SubjectKind[];
  readonly domains: readonly Domain[];
  /** Black and focus lists: one record of these types lists the subject. */
  readonly enteredBy: readonly string[];
  /** Entry thresholds by type: the least amount a record of the type needs to enter. */
  readonly entryMinAmount: Readonly<Record<string, number>>;
  /** Entry types listed until an exit record for their case, with no fixed term. */
  readonly openEndedBy: readonly string[];
  readonly decidedBy: Decider;
  /** Black and focus lists: `count` records of these types within `withinMonths` list the subject. */
  readonly repeat: {
    readonly types: readonly string[];
    readonly count: number;
    readonly withinMonths: number;
  } | null;
  /** Red lists: one of these positive records, and `cleanYears` without a disqualifying record. */
  readonly requiresPositive: readonly string[];
  readonly cleanYears: number;
  readonly cleanSeverities: readonly Severity[];
  /** Domains whose negative records disqualify; null = every domain. */
  readonly cleanDomains: readonly Domain[] | null;
  readonly minGrade: GradeName | null;
  /** null = until an exit record. For red lists: how long a positive record keeps the subject listed. */
  readonly durationMonths: number | null;
  readonly extend: {
    readonly byMonthsMin: number;
    readonly byMonthsMax: number;
    readonly when: readonly string[];
  } | null;
  readonly exitOn: readonly string[];
  readonly deletionWorkingDays: number | null;
  readonly noMinors: boolean;
  readonly noDoubleListingOfLegalRepresentative: boolean;
  readonly graceDays: number;
  /**
   * The public lookup shows the persons on this list, as its authority publishes them (the court
   * list of judgment defaulters); persons on any other list are never shown to the public.
   */
  readonly publishPersons: boolean;
  /** The terms of earlier policy versions, for decisions made under them (terms-in-force.ts). */
  readonly earlier?: readonly EarlierTerms[];
}

export interface ListPolicy {
  /** sha256 (hex) of the file text. */
  readonly version: string;
  readonly label: string;
  readonly origin: string;
  readonly lists: readonly ListRule[];
  readonly byCode: ReadonlyMap<string, ListRule>;
  /** The line of a path in the file, when the policy came from one (for problem reports). */
  readonly lineOf: (path: Path) => number | undefined;
}

function checkLists(p: ListFile, report: (path: Path, problem: string) => void): void {
  const seen = new Set<string>();
  p.lists.forEach((l, i) => {
    const at = (...rest: (string | number)[]) => ['lists', i, ...rest];
    if (seen.has(l.code)) report(at('code'), `list "${l.code}" is defined twice`);
    seen.add(l.code);
    if (!l.code.startsWith(`${l.kind}.`))
      report(at('code'), `a ${l.kind} list's code must start with "${l.kind}."`);
    const e = l.entry;
    if (l.kind === 'red') {
      if (e.requires_positive === undefined)
        report(at('entry', 'requires_positive'), 'required for a red list');
      if (e.clean_years === undefined) report(at('entry', 'clean_years'), 'required for a red list');
      if (e.entered_by !== undefined || e.repeat !== undefined)
        report(at('entry'), 'a red list is entered by positive records, not by entered_by or repeat');
      if (l.duration_months === undefined)
        report(
          at('duration_months'),
          'required for a red list (how long a positive record keeps a subject on it)',
        );
      if (l.grace_days !== undefined)
        report(at('grace_days'), 'a grace period applies to black and focus lists only');
      if (e.min_amount !== undefined)
        report(at('entry', 'min_amount'), 'only black and focus lists use min_amount');
      if (l.extend !== undefined) report(at('extend'), 'a red list is not extended');
    } else {
      if (e.entered_by === undefined && e.repeat === undefined)
        report(at('entry'), `a ${l.kind} list needs entered_by or repeat`);
      for (const key of [
        'requires_positive',
        'clean_years',
        'clean_severities',
        'clean_domains',
        'min_grade',
      ] as const)
        if (e[key] !== undefined) report(at('entry', key), `only red lists use ${key}`);
      // A repeat rule is the platform's own derivation: it must say so.
      if (e.repeat !== undefined && l.decided_by !== 'platform')
        report(
          at('decided_by'),
          'a list entered by a repeat rule is derived by the platform: decided_by: platform',
        );
    }
    // Product rule 8 and SPC practice: a grace period warns before the platform's own listing; a
    // listing a court or another authority has decided takes effect from its decision.
    if (l.grace_days !== undefined && l.decided_by !== 'platform')
      report(
        at('grace_days'),
        'a listing decided by an authority takes effect from its decision: only decided_by: platform lists have a grace period',
      );
    if (l.kind !== 'red' && l.decided_by === 'platform' && !l.grace_days)
      report(
        at('decided_by'),
        'an entry the platform derives by its own rule warns before it binds (product rule 8): give it grace_days',
      );
    for (const c of Object.keys(e.min_amount ?? {}))
      if (!(e.entered_by ?? []).includes(c))
        report(at('entry', 'min_amount', c), `"${c}" is not in entered_by`);
    for (const [j, c] of (l.open_ended_for ?? []).entries())
      if (!(e.entered_by ?? []).includes(c)) report(at('open_ended_for', j), `"${c}" is not in entered_by`);
    if (l.open_ended_for !== undefined && l.exit_on === undefined)
      report(at('open_ended_for'), 'an open-ended listing needs exit_on (the records that end it)');
    if (l.extend !== undefined) {
      if (l.extend.by_months_min > l.extend.by_months_max)
        report(at('extend', 'by_months_max'), 'must not be below by_months_min');
      if (l.duration_months === undefined)
        report(at('extend'), 'only a list with duration_months can be extended');
    }
    if (l.deletion_working_days !== undefined && l.exit_on === undefined)
      report(at('deletion_working_days'), 'needs exit_on (the records that delete an entry)');
    // Persons are published only where an authority publishes them by law: a black list it decides.
    if (l.publish_persons) {
      if (!l.subject_kinds.includes('person'))
        report(at('publish_persons'), 'the list holds no persons (subject_kinds has no person)');
      if (l.kind !== 'black' || l.decided_by !== 'authority')
        report(
          at('publish_persons'),
          'only a black list an authority decides may publish persons (the court list of judgment defaulters)',
        );
    }
  });
}

function toRule(l: ListItem): ListRule {
  const e = l.entry;
  return Object.freeze({
    code: l.code,
    name: l.name,
    kind: l.kind,
    reasonCode: l.reason_code,
    legalBasis: l.legal_basis,
    subjectKinds: Object.freeze([...l.subject_kinds]),
    domains: Object.freeze([...l.domains]),
    enteredBy: Object.freeze([...(e.entered_by ?? [])]),
    entryMinAmount: Object.freeze({ ...(e.min_amount ?? {}) }),
    openEndedBy: Object.freeze([...(l.open_ended_for ?? [])]),
    decidedBy: l.decided_by,
    repeat: e.repeat
      ? Object.freeze({
          types: Object.freeze([...e.repeat.types]),
          count: e.repeat.count,
          withinMonths: e.repeat.within_months,
        })
      : null,
    requiresPositive: Object.freeze([...(e.requires_positive ?? [])]),
    cleanYears: e.clean_years ?? 0,
    cleanSeverities: Object.freeze([...(e.clean_severities ?? ['general', 'serious'])]),
    cleanDomains: e.clean_domains ? Object.freeze([...e.clean_domains]) : null,
    minGrade: e.min_grade ?? null,
    durationMonths: l.duration_months ?? null,
    extend: l.extend
      ? Object.freeze({
          byMonthsMin: l.extend.by_months_min,
          byMonthsMax: l.extend.by_months_max,
          when: Object.freeze([...l.extend.when]),
        })
      : null,
    exitOn: Object.freeze([...(l.exit_on ?? [])]),
    deletionWorkingDays: l.deletion_working_days ?? null,
    noMinors: l.exclusions?.no_minors ?? false,
    noDoubleListingOfLegalRepresentative: l.exclusions?.no_double_listing_of_legal_representative ?? false,
    graceDays: l.grace_days ?? 0,
    publishPersons: l.publish_persons,
  });
}

/** Parses and checks list-policy YAML (its shape and the rules inside it). */
export function parseListPolicy(text: string, origin = 'list policy'): ListPolicy {
  // Product rule 2: a list naming a protected subject (its name, reason code, legal basis…) is refused.
  const { data, version, lineOf } = parsePolicyYaml(
    text,
    origin,
    'list policy',
    listFileSchema,
    checkLists,
    (raw, issueAt) => refuseProtectedInPolicy(raw, origin, 'list policy', issueAt),
  );
  const lists = Object.freeze(data.lists.map(toRule));
  return Object.freeze({
    version,
    label: data.lists_version,
    origin,
    lists,
    byCode: new Map(lists.map((l) => [l.code, l])),
    lineOf,
  });
}

/** Reads and parses a list-policy file. */
export async function loadListPolicy(path: string = DEFAULT_LISTS_PATH): Promise<ListPolicy> {
  return parseListPolicy(await readPolicyText(path, 'list policy'), path);
}
