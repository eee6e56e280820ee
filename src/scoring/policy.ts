import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Catalogue, DirectGrade, Domain } from '../catalogue/index.ts';
import { DIRECT_GRADES, DOMAINS } from '../catalogue/index.ts';
import { type Path, parsePolicyYaml, readPolicyText } from '../shared/policy-yaml.ts';
import type { ListingTerm } from './listing-term.ts';

/**
 * The lists a scoring policy may refer to: a direct grade that follows a listing takes its term
 * from the list's rule (policies/lists.yaml), so the policy is parsed with the list policy.
 */
export interface ListTerms {
  readonly lists: readonly ListingTerm[];
}

/** The default policy shipped with the product: policies/scoring.yaml. */
export const DEFAULT_SCORING_POLICY_PATH = fileURLToPath(
  new URL('../../policies/scoring.yaml', import.meta.url),
);

const int = (what: string) =>
  z
    .number({ error: `expected ${what} (a whole number)` })
    .int({ error: `expected ${what} (a whole number)` });
const years = z
  .number({ error: 'expected a number of years' })
  .min(0.25, { error: 'years must be between 0.25 and 10' })
  .max(10, { error: 'years must be between 0.25 and 10' })
  .refine((y) => Number.isInteger(y * 12), {
    error: 'years must be a whole number of months (e.g. 0.25, 1.5)',
  });
const code = z.string({ error: 'expected a record type code (text)' });
const codeList = z.array(code, { error: 'expected a list of record type codes' }).default([]);

const typeRuleSchema = z.strictObject(
  {
    points: int('points').min(-1000).max(1000).optional(),
    direct_grade: z.enum([...DIRECT_GRADES, 'none'], { error: 'expected B, C, D or none' }).optional(),
    // The direct grade takes effect with the listing it comes with, and lasts as long as the
    // listing and at least the catalogue's validity unless an exit record ends its case.
    direct_grade_follows_list: z.string({ error: 'expected a list code (text)' }).optional(),
    steps: z
      .array(
        z.strictObject({
          at_least: z.number({ error: 'expected an amount' }).positive({ error: 'at_least must be above 0' }),
          points: int('points').min(-1000).max(1000),
        }),
        { error: 'expected a list of { at_least, points }' },
      )
      .min(1, { error: 'give at least one step' })
      .optional(),
  },
  {
    error:
      "expected a mapping with points, direct_grade, direct_grade_follows_list or steps (how long a record counts is the catalogue's validity_years)",
  },
);

const domainNumbers = z.strictObject(
  Object.fromEntries(
    DOMAINS.map((d) => [d, z.number({ error: 'expected a weight (a number)' }).min(0).max(10)]),
  ) as Record<Domain, z.ZodNumber>,
);

export const scoringPolicySchema = z.strictObject(
  {
    policy_version: z
      .string({ error: 'expected a version label (text), e.g. "2026.1"' })
      .trim()
      .min(1, { error: 'policy_version must not be empty' }),
    base: int('a base score').min(0).max(100_000),
    grades: z.strictObject(
      {
        AAA: int('the lowest AAA score'),
        AA: int('the lowest AA score'),
        A: int('the lowest A score'),
        B: int('the lowest B score'),
        C: int('the lowest C score'),
      },
      { error: 'expected the lowest score of each grade: AAA, AA, A, B, C (below C is D)' },
    ),
    // How long a record counts is the catalogue's validity_years; these are the windows of the city
    // points systems that the catalogue must agree with (checked here, never applied from here).
    catalogue_validity: z.strictObject({
      direct_grade_years: z.strictObject(
        { B: years, C: years, D: years },
        { error: 'expected B, C and D, each a number of years' },
      ),
      deduction_threshold: int('a number of points').min(0),
      small_deduction_years: years,
      large_deduction_years: years,
      addition_years: z.strictObject({ min: years, max: years }),
    }),
    repeat: z.strictObject({
      multiplier: z.number({ error: 'expected a multiplier' }).min(1).max(10),
      exclude: codeList,
    }),
    statuses: z.strictObject({
      disputed: z.enum(['counted', 'not_counted'], { error: 'expected counted or not_counted' }),
    }),
    linkage: z.strictObject({
      severities: z
        .array(z.enum(['minor', 'general', 'serious'], { error: 'expected minor, general or serious' }))
        .default([]),
      exclude: codeList,
    }),
    types: z.record(z.string(), typeRuleSchema).default({}),
    cures: z
      .array(
        z.strictObject({
          type: code,
          // One type or several (performance, a performed settlement): matched to the cured
          // record's case by the case reference both carry.
          cured_by: z.union([code, z.array(code).min(1)], {
            error: 'expected a record type code or a list of them',
          }),
          // points 0 without years: the cured record counts nothing more (e.g. a lifted restriction).
          becomes: z.strictObject({ points: int('points').min(-1000).max(0), years: years.optional() }),
        }),
        { error: 'expected a list of cures' },
      )
      .default([]),
    combine: z.strictObject({
      method: z.enum(['sum', 'weighted'], { error: 'expected sum or weighted' }),
      weights: domainNumbers.optional(),
    }),
  },
  { error: 'expected a mapping with policy_version, base, grades, ...' },
);

type PolicyFile = z.output<typeof scoringPolicySchema>;

export interface TypeRule {
  readonly points?: number;
  /** `null` removes the catalogue's direct grade for this type. */
  readonly directGrade?: DirectGrade | null;
  /**
   * The list whose entry the direct grade follows: it starts with the entry and lasts as long as
   * the listing and at least the catalogue's validity, unless an exit record ends its case.
   */
  readonly directGradeFollowsList?: string;
  /** Amount-scaled points: the last step whose `atLeast` the amount reaches; below the first, 0. */
  readonly steps?: readonly { readonly atLeast: number; readonly points: number }[];
}

export interface Cure {
  readonly type: string;
  /** The types that cure it, for the same case only. */
  readonly curedBy: readonly string[];
  /** years 0: the cured record counts nothing more. */
  readonly becomes: { readonly points: number; readonly years: number };
}

/** A loaded, checked scoring policy (immutable). */
export interface ScoringPolicy {
  /** sha256 (hex) of the file text: the identity a score cites. */
  readonly version: string;
  /** The label in the file (`policy_version`). */
  readonly label: string;
  readonly origin: string;
  /** The catalogue this policy was checked against. */
  readonly catalogueVersion: string;
  readonly base: number;
  /** Lowest score of each grade; below `C` is D. */
  readonly grades: {
    readonly AAA: number;
    readonly AA: number;
    readonly A: number;
    readonly B: number;
    readonly C: number;
  };
  /** The lists whose terms direct grades follow, by code (from the list policy it was parsed with). */
  readonly listTerms: ReadonlyMap<string, ListingTerm>;
  readonly repeat: { readonly multiplier: number; readonly exclude: readonly string[] };
  readonly disputedCounts: boolean;
  readonly linkage: { readonly severities: readonly string[]; readonly exclude: readonly string[] };
  readonly types: ReadonlyMap<string, TypeRule>;
  readonly cures: readonly Cure[];
  readonly combine:
    | { readonly method: 'sum' }
    | { readonly method: 'weighted'; readonly weights: Readonly<Record<Domain, number>> };
}

/** Parses and checks scoring-policy YAML against the catalogue whose types it names. */
export function parseScoringPolicy(
  text: string,
  catalogue: Catalogue,
  origin = 'scoring policy',
  lists?: ListTerms,
): ScoringPolicy {
  const { data, version } = parsePolicyYaml(
    text,
    origin,
    'scoring policy',
    scoringPolicySchema,
    (d, report) => checkAgainstCatalogue(d, catalogue, report, lists),
  );
  return toPolicy(data, version, origin, catalogue, lists);
}

/** Reads and parses a scoring-policy file; its path names it in messages. */
export async function loadScoringPolicyFile(
  path: string,
  catalogue: Catalogue,
  lists?: ListTerms,
): Promise<ScoringPolicy> {
  return parseScoringPolicy(await readPolicyText(path, 'scoring policy'), catalogue, path, lists);
}

/** Rules that relate the policy to the catalogue, or one field to another. */
function checkAgainstCatalogue(
  p: PolicyFile,
  catalogue: Catalogue,
  report: (path: Path, problem: string) => void,
  lists: ListTerms | undefined,
) {
  const known = (path: Path, c: string) => {
    if (catalogue.get(c) === undefined)
      report(path, `unknown record type "${c}" (not in catalogue ${catalogue.label})`);
  };
  const order = ['AAA', 'AA', 'A', 'B', 'C'] as const;
  for (let i = 1; i < order.length; i++) {
    const hi = order[i - 1]!;
    const lo = order[i]!;
    if (p.grades[lo] >= p.grades[hi]) report(['grades', lo], `must be below ${hi} (${p.grades[hi]})`);
  }
  for (const [i, c] of p.repeat.exclude.entries()) known(['repeat', 'exclude', i], c);
  for (const [i, c] of p.linkage.exclude.entries()) known(['linkage', 'exclude', i], c);
  // A list that does not also list an organization's legal representative (the court's, since
  // 2019) must not reach him by linkage either: its entry types are excluded from linkage.
  const linkSeverities = new Set<string>(p.linkage.severities);
  for (const list of lists?.lists ?? []) {
    if (!list.noDoubleListingOfLegalRepresentative) continue;
    for (const c of list.enteredBy) {
      const item = catalogue.get(c);
      if (item === undefined || p.linkage.exclude.includes(c)) continue;
      if (!linkSeverities.has(item.severity) || !item.subject_kinds.includes('person')) continue;
      report(
        ['linkage', 'exclude'],
        `${c} enters list ${list.code}, which does not also list an organization's legal representative: exclude it from linkage`,
      );
    }
  }
  for (const [c, rule] of Object.entries(p.types)) {
    const item = catalogue.get(c);
    if (item === undefined) {
      known(['types', c], c);
      continue;
    }
    const follows = rule.direct_grade_follows_list;
    if (follows !== undefined) {
      const grade = rule.direct_grade === undefined ? item.direct_grade : rule.direct_grade;
      const list = lists?.lists.find((l) => l.code === follows);
      if (grade === undefined || grade === 'none')
        report(['types', c, 'direct_grade_follows_list'], `type ${c} has no direct grade to follow a list`);
      if (lists === undefined)
        report(
          ['types', c, 'direct_grade_follows_list'],
          `the grade of ${c} follows list ${follows}: parse the scoring policy with the list policy`,
        );
      else if (list === undefined)
        report(
          ['types', c, 'direct_grade_follows_list'],
          `unknown list "${follows}" (not in the list policy)`,
        );
      else if (!list.enteredBy.includes(c))
        report(['types', c, 'direct_grade_follows_list'], `list ${follows} is not entered by ${c}`);
    }
    if (rule.steps !== undefined) {
      if (item.amount === 'none') report(['types', c, 'steps'], `type ${c} carries no amount to scale by`);
      rule.steps.forEach((s, i) => {
        if (i > 0 && s.at_least <= rule.steps![i - 1]!.at_least) {
          report(
            ['types', c, 'steps', i, 'at_least'],
            'steps must rise: at_least must exceed the step before',
          );
        }
      });
    }
  }
  const cured = new Set<string>();
  p.cures.forEach((cure, i) => {
    known(['cures', i, 'type'], cure.type);
    const by = typeof cure.cured_by === 'string' ? [cure.cured_by] : cure.cured_by;
    by.forEach((b, j) => {
      const path: Path =
        typeof cure.cured_by === 'string' ? ['cures', i, 'cured_by'] : ['cures', i, 'cured_by', j];
      known(path, b);
      if (cure.type === b) report(path, 'a type cannot cure itself');
      // A cure is matched to its case: both records must carry the case reference.
      for (const code of [cure.type, b]) {
        const item = catalogue.get(code);
        if (item !== undefined && !item.requires_case_reference)
          report(path, `${code} does not require a case reference, so a cure cannot be matched to its case`);
      }
    });
    if (cure.becomes.points !== 0 && cure.becomes.years === undefined)
      report(['cures', i, 'becomes', 'years'], 'required: how long the deduction a cure leaves counts');
    if (cured.has(cure.type)) report(['cures', i, 'type'], `"${cure.type}" already has a cure`);
    cured.add(cure.type);
  });
  checkCatalogueValidity(p, catalogue, report);
  if (p.combine.method === 'weighted' && p.combine.weights === undefined) {
    report(['combine', 'weights'], 'required when method is weighted (a weight for each domain)');
  }
}

/**
 * The catalogue is the one statement of how long a record counts; this checks it against the
 * windows of the city points systems (REFERENCE: direct grade B 2, C 3, D 5 years; deductions up
 * to 40 points 1 year, over 40 points 2 years; additions 1–5 years), so a disagreement is reported
 * by `credence policy check` instead of silently applied. A type whose grade follows a list counts
 * while listed, by the list's terms, and at least its validity_years (checked as a D-grade type's).
 * A type with steps counts the step its amount reaches, or its points when a record carries no
 * amount: its window is that of the largest deduction among them, and of any addition.
 */
function checkCatalogueValidity(
  p: PolicyFile,
  catalogue: Catalogue,
  report: (path: Path, problem: string) => void,
) {
  const v = p.catalogue_validity;
  for (const item of catalogue.items) {
    const rule = p.types[item.code];
    const g = rule?.direct_grade === undefined ? item.direct_grade : rule.direct_grade;
    const grade = g === 'none' ? undefined : g;
    const y = item.validity_years;
    const disagree = (want: string) =>
      report(
        ['catalogue_validity'],
        `the catalogue's validity_years of ${item.code} is ${y}; the scoring policy's windows say ${want}`,
      );
    if (grade !== undefined) {
      if (y !== v.direct_grade_years[grade])
        disagree(`${v.direct_grade_years[grade]} (direct grade ${grade})`);
      continue;
    }
    // Every number of points a record of this type can count, and where the policy states it.
    const counts: { points: number; from: string | null; atLeast?: number }[] = [
      { points: rule?.points ?? item.points, from: null },
      ...(rule?.steps ?? []).map((s, i) => ({
        points: s.points,
        from: `types.${item.code}.steps[${i}]`,
        atLeast: s.at_least,
      })),
    ];
    const deduction = counts.reduce((worst, c) => (c.points < worst.points ? c : worst));
    const addition = counts.reduce((best, c) => (c.points > best.points ? c : best));
    if (deduction.points < 0) {
      const large = -deduction.points > v.deduction_threshold;
      const years = large ? v.large_deduction_years : v.small_deduction_years;
      const step =
        deduction.from === null
          ? ''
          : `: ${deduction.from} deducts ${-deduction.points} from an amount of ${deduction.atLeast}`;
      if (y !== years)
        disagree(`${years} (a deduction ${large ? 'over' : 'up to'} ${v.deduction_threshold} points${step})`);
    }
    if (addition.points > 0 && (y < v.addition_years.min || y > v.addition_years.max)) {
      const step =
        addition.from === null
          ? ''
          : `: ${addition.from} adds ${addition.points} from an amount of ${addition.atLeast}`;
      disagree(`${v.addition_years.min} to ${v.addition_years.max} (an addition${step})`);
    }
  }
}

function toPolicy(
  p: PolicyFile,
  version: string,
  origin: string,
  catalogue: Catalogue,
  lists: ListTerms | undefined,
): ScoringPolicy {
  const types = new Map<string, TypeRule>();
  const listTerms = new Map<string, ListingTerm>();
  for (const [c, r] of Object.entries(p.types)) {
    const follows = r.direct_grade_follows_list;
    const term = follows === undefined ? undefined : lists?.lists.find((l) => l.code === follows);
    if (term !== undefined) listTerms.set(term.code, term);
    types.set(
      c,
      Object.freeze({
        points: r.points,
        ...(follows === undefined ? {} : { directGradeFollowsList: follows }),
        directGrade:
          r.direct_grade === undefined ? undefined : r.direct_grade === 'none' ? null : r.direct_grade,
        steps: r.steps?.map((s) => Object.freeze({ atLeast: s.at_least, points: s.points })),
      }),
    );
  }
  return Object.freeze({
    version,
    label: p.policy_version,
    origin,
    catalogueVersion: catalogue.version,
    base: p.base,
    grades: Object.freeze({ ...p.grades }),
    listTerms,
    repeat: Object.freeze({ multiplier: p.repeat.multiplier, exclude: Object.freeze([...p.repeat.exclude]) }),
    disputedCounts: p.statuses.disputed === 'counted',
    linkage: Object.freeze({
      severities: Object.freeze([...p.linkage.severities]),
      exclude: Object.freeze([...p.linkage.exclude]),
    }),
    types,
    cures: Object.freeze(
      p.cures.map((c) =>
        Object.freeze({
          type: c.type,
          curedBy: Object.freeze(typeof c.cured_by === 'string' ? [c.cured_by] : [...c.cured_by]),
          becomes: Object.freeze({ points: c.becomes.points, years: c.becomes.years ?? 0 }),
        }),
      ),
    ),
    combine:
      p.combine.method === 'weighted'
        ? Object.freeze({ method: 'weighted' as const, weights: Object.freeze({ ...p.combine.weights! }) })
        : Object.freeze({ method: 'sum' as const }),
  });
}
