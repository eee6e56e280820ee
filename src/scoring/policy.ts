import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Catalogue, DirectGrade, Domain } from '../catalogue/index.ts';
import { DIRECT_GRADES, DOMAINS } from '../catalogue/index.ts';
import { type Path, parsePolicyYaml, readPolicyText } from '../shared/policy-yaml.ts';

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
    years: years.optional(),
    direct_grade: z.enum([...DIRECT_GRADES, 'none'], { error: 'expected B, C, D or none' }).optional(),
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
  { error: 'expected a mapping with points, years, direct_grade or steps' },
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
    direct_grades: z.strictObject(
      {
        B: z.strictObject({ years }),
        C: z.strictObject({ years }),
        D: z.strictObject({ years }),
      },
      { error: 'expected B, C and D, each with years' },
    ),
    validity: z.strictObject({
      deduction_threshold: int('a number of points').min(0),
      small_deduction_years: years,
      large_deduction_years: years,
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
          cured_by: code,
          becomes: z.strictObject({ points: int('points').min(-1000).max(0), years }),
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
  readonly years?: number;
  /** `null` removes the catalogue's direct grade for this type. */
  readonly directGrade?: DirectGrade | null;
  /** Amount-scaled points: the last step whose `atLeast` the amount reaches; below the first, 0. */
  readonly steps?: readonly { readonly atLeast: number; readonly points: number }[];
}

export interface Cure {
  readonly type: string;
  readonly curedBy: string;
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
  readonly directGradeYears: Readonly<Record<DirectGrade, number>>;
  readonly validity: {
    readonly deductionThreshold: number;
    readonly smallDeductionYears: number;
    readonly largeDeductionYears: number;
  };
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
): ScoringPolicy {
  const { data, version } = parsePolicyYaml(
    text,
    origin,
    'scoring policy',
    scoringPolicySchema,
    (d, report) => checkAgainstCatalogue(d, catalogue, report),
  );
  return toPolicy(data, version, origin, catalogue);
}

/** Reads and parses a scoring-policy file; its path names it in messages. */
export async function loadScoringPolicyFile(path: string, catalogue: Catalogue): Promise<ScoringPolicy> {
  return parseScoringPolicy(await readPolicyText(path, 'scoring policy'), catalogue, path);
}

/** Rules that relate the policy to the catalogue, or one field to another. */
function checkAgainstCatalogue(
  p: PolicyFile,
  catalogue: Catalogue,
  report: (path: Path, problem: string) => void,
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
  for (const [c, rule] of Object.entries(p.types)) {
    const item = catalogue.get(c);
    if (item === undefined) {
      known(['types', c], c);
      continue;
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
    known(['cures', i, 'cured_by'], cure.cured_by);
    if (cure.type === cure.cured_by) report(['cures', i, 'cured_by'], 'a type cannot cure itself');
    if (cured.has(cure.type)) report(['cures', i, 'type'], `"${cure.type}" already has a cure`);
    cured.add(cure.type);
  });
  if (p.combine.method === 'weighted' && p.combine.weights === undefined) {
    report(['combine', 'weights'], 'required when method is weighted (a weight for each domain)');
  }
}

function toPolicy(p: PolicyFile, version: string, origin: string, catalogue: Catalogue): ScoringPolicy {
  const types = new Map<string, TypeRule>();
  for (const [c, r] of Object.entries(p.types)) {
    types.set(
      c,
      Object.freeze({
        points: r.points,
        years: r.years,
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
    directGradeYears: Object.freeze({
      B: p.direct_grades.B.years,
      C: p.direct_grades.C.years,
      D: p.direct_grades.D.years,
    }),
    validity: Object.freeze({
      deductionThreshold: p.validity.deduction_threshold,
      smallDeductionYears: p.validity.small_deduction_years,
      largeDeductionYears: p.validity.large_deduction_years,
    }),
    repeat: Object.freeze({ multiplier: p.repeat.multiplier, exclude: Object.freeze([...p.repeat.exclude]) }),
    disputedCounts: p.statuses.disputed === 'counted',
    linkage: Object.freeze({
      severities: Object.freeze([...p.linkage.severities]),
      exclude: Object.freeze([...p.linkage.exclude]),
    }),
    types,
    cures: Object.freeze(
      p.cures.map((c) =>
        Object.freeze({ type: c.type, curedBy: c.cured_by, becomes: Object.freeze({ ...c.becomes }) }),
      ),
    ),
    combine:
      p.combine.method === 'weighted'
        ? Object.freeze({ method: 'weighted' as const, weights: Object.freeze({ ...p.combine.weights! }) })
        : Object.freeze({ method: 'sum' as const }),
  });
}
