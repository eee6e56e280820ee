/**
 * The supervision policy (policies/supervision.yaml): the credit-risk class rules, each class's
 * sampling ratio and band, red-listed subjects left undisturbed, inspectors per target and their
 * workload cap, the outcome and publication deadlines and the record type each outcome becomes.
 * Data only, checked on load; `checkSupervisionPolicy` checks it against the catalogue.
 *
 * Product rule 11: inspections never target persons. A target kind or a class rule naming
 * persons is refused on load and by the check.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type Catalogue, SUBJECT_KINDS, type SubjectKind } from '../catalogue/index.ts';
import { LIST_KINDS, type ListKind } from '../lists/index.ts';
import { GRADES, type Grade } from '../scoring/index.ts';
import { formatPath, type Path, parsePolicyYaml, readPolicyText } from '../shared/policy-yaml.ts';

export const DEFAULT_SUPERVISION_POLICY_PATH = fileURLToPath(
  new URL('../../policies/supervision.yaml', import.meta.url),
);

/** Credit-risk classes (SAMR 2022): A low, B general, C higher, D high. */
export const RISK_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/** The four outcomes of an inspection, each becoming a record through the catalogue. */
export const INSPECTION_OUTCOMES = [
  'passed',
  'corrected_on_spot',
  'ordered_corrected',
  'penalty_referred',
] as const;
export type InspectionOutcome = (typeof INSPECTION_OUTCOMES)[number];

/** Subject kinds an inspection may target (product rule 11). */
export const TARGETABLE_KINDS = ['organization', 'public_body'] as const satisfies readonly SubjectKind[];
export type TargetKind = (typeof TARGETABLE_KINDS)[number];

const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `expected ${what} (a whole number)` })
    .int({ error: `expected ${what} (a whole number)` })
    .min(min, { error: `${what} must be between ${min} and ${max}` })
    .max(max, { error: `${what} must be between ${min} and ${max}` });
const share = z
  .number({ error: 'expected a share between 0 and 1 (e.g. 0.05 for 5 %)' })
  .min(0, { error: 'a share must be between 0 and 1' })
  .max(1, { error: 'a share must be between 0 and 1' });
const oneOf = <T extends string>(values: readonly T[], what: string) =>
  z.enum(values as unknown as [T, ...T[]], { error: `expected ${what}: one of ${values.join(', ')}` });
const listOf = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: `expected a list of ${what}` }).min(1, { error: `expected at least one ${what}` });
const riskClass = oneOf(RISK_CLASSES, 'a risk class');
// Persons are accepted by the schema so that rule 11 refuses them with its own message.
const subjectKind = oneOf(SUBJECT_KINDS, 'a subject kind');

const whenSchema = z
  .strictObject({
    kinds: listOf(subjectKind, 'subject kind').optional(),
    grades: listOf(oneOf(GRADES, 'a grade'), 'grade').optional(),
    list_kinds: listOf(oneOf(LIST_KINDS, 'a list kind'), 'list kind').optional(),
    list_codes: listOf(z.string({ error: 'expected a list code (text)' }).min(1), 'list code').optional(),
    negative_records: z
      .strictObject({
        min: int('a count', 0, 1_000_000).optional(),
        max: int('a count', 0, 1_000_000).optional(),
      })
      .optional(),
  })
  .refine((w) => Object.keys(w).length > 0, { error: 'a rule needs at least one condition' });

const bandSchema = z.strictObject({ ratio: share, min: share, max: share });

const schema = z.strictObject({
  supervision_version: z.string({ error: 'expected a version label (text), e.g. "2026.1"' }).trim().min(1),
  target_kinds: listOf(subjectKind, 'subject kind'),
  classes: z.strictObject({
    recent_months: int('a number of months', 1, 120),
    default: riskClass,
    rules: z.array(
      z.strictObject({
        class: riskClass,
        when: whenSchema,
        basis: z.string({ error: 'expected the rule basis (text)' }).trim().min(1),
      }),
      { error: 'expected a list of class rules' },
    ),
  }),
  ratios: z.strictObject({ A: bandSchema, B: bandSchema, C: bandSchema, D: bandSchema }),
  red_listed: z.strictObject({ drawn: z.boolean({ error: 'expected true or false' }) }),
  // PRC Administrative Penalty Law 2021, Art. 42: enforcement by no fewer than two officers.
  inspectors_per_target: int('a number of inspectors', 2, 10),
  workload_cap: int('a number of targets', 1, 1_000_000),
  outcome_days: int('a number of days', 1, 365),
  publish_days: int('a number of days', 1, 365),
  outcomes: z.strictObject(
    Object.fromEntries(
      INSPECTION_OUTCOMES.map((o) => [
        o,
        z.strictObject({ record_type: z.string({ error: 'expected a record type code (text)' }).min(1) }),
      ]),
    ) as Record<InspectionOutcome, z.ZodObject<{ record_type: z.ZodString }>>,
  ),
});

/** One class rule: every condition present must hold. */
export interface ClassRule {
  class: RiskClass;
  /** Subject kinds the rule applies to; all target kinds when absent. */
  kinds?: SubjectKind[];
  /** The subject's grade is one of these (an ungraded subject matches none). */
  grades?: Grade[];
  /** The subject has a list entry in force on a list of one of these kinds. */
  listKinds?: ListKind[];
  /** The subject has a list entry in force on one of these lists. */
  listCodes?: string[];
  /** Bounds (inclusive) on the negative records of the last `recentMonths`. */
  negativeRecords?: { min?: number; max?: number };
  basis: string;
}

/** A class's sampling ratio and the band it must lie in (shares of the class, 0..1). */
export interface ClassRatio {
  ratio: number;
  min: number;
  max: number;
}

export interface SupervisionPolicy {
  /** SHA-256 of the file text: the policy's identity, cited by every plan. */
  version: string;
  /** The human label (`supervision_version`). */
  label: string;
  targetKinds: SubjectKind[];
  classes: { recentMonths: number; default: RiskClass; rules: ClassRule[] };
  ratios: Record<RiskClass, ClassRatio>;
  redListed: { drawn: boolean };
  inspectorsPerTarget: number;
  workloadCap: number;
  outcomeDays: number;
  publishDays: number;
  outcomes: Record<InspectionOutcome, { recordType: string }>;
  /** The line of a path of the file (`['ratios', 'B', 'ratio']`), for messages. */
  lineOf: (path: Path) => number | undefined;
}

/** One problem of the supervision policy against itself or the catalogue. */
export interface SupervisionPolicyProblem {
  level: 'error';
  file: 'supervision';
  /** e.g. `ratios.B.ratio` */
  path: string;
  line?: number;
  message: string;
}

type Report = (path: Path, message: string) => void;

/**
 * The local sampling band of each class, as shares of the class (REFERENCE "Supervision", SAMR
 * 2022 credit-risk classes: A ≤ 5 %, B 5–20 %, C 21–60 %, D 61–100 %). Stated here, not in the
 * policy file: a file may narrow a band, never widen it, and its ratio lies inside both.
 */
export const SAMPLING_BANDS: Readonly<Record<RiskClass, { min: number; max: number; text: string }>> = {
  A: { min: 0, max: 0.05, text: 'A ≤ 5 %' },
  B: { min: 0.05, max: 0.2, text: 'B 5–20 %' },
  C: { min: 0.21, max: 0.6, text: 'C 21–60 %' },
  D: { min: 0.61, max: 1, text: 'D 61–100 %' },
};

const SAMPLING_RULE = (c: RiskClass) =>
  `the local sampling band ${SAMPLING_BANDS[c].text} (REFERENCE "Supervision")`;

const RULE_11 =
  'product rule 11: inspections apply to organizations, public bodies and licensed activities, never persons';

/** Whether a share has at most six decimals (the draw counts in millionths). */
const inMillionths = (x: number) => Math.abs(Math.round(x * 1e6) - x * 1e6) < 1e-6;

/**
 * The policy's rules about itself, stated once and run both on load and by the check: no person
 * targeted (rule 11), each band inside the local sampling band and each ratio inside both, rules
 * that can match.
 */
const selfProblems = (
  p: Pick<SupervisionPolicy, 'targetKinds' | 'classes' | 'ratios'>,
  report: Report,
): void => {
  p.targetKinds.forEach((kind, i) => {
    if (!(TARGETABLE_KINDS as readonly string[]).includes(kind))
      report(['target_kinds', i], `"${kind}" cannot be a target kind (${RULE_11})`);
  });
  p.classes.rules.forEach((rule, i) => {
    rule.kinds?.forEach((kind, j) => {
      if (kind === 'person')
        report(
          ['classes', 'rules', i, 'when', 'kinds', j],
          `a class rule for persons is refused (${RULE_11})`,
        );
      else if (!p.targetKinds.includes(kind))
        report(
          ['classes', 'rules', i, 'when', 'kinds', j],
          `"${kind}" is not among target_kinds, so the rule never applies`,
        );
    });
    const n = rule.negativeRecords;
    if (n?.min !== undefined && n.max !== undefined && n.min > n.max)
      report(
        ['classes', 'rules', i, 'when', 'negative_records'],
        `min (${n.min}) is above max (${n.max}): the rule never matches`,
      );
  });
  for (const c of RISK_CLASSES) {
    const { ratio, min, max } = p.ratios[c];
    if (min > max) report(['ratios', c, 'min'], `class ${c}'s band is empty: min ${min} is above max ${max}`);
    const ref = SAMPLING_BANDS[c];
    if (min < ref.min)
      report(
        ['ratios', c, 'min'],
        `class ${c}'s band min ${min} is below ${SAMPLING_RULE(c)}: a band may be narrowed, never widened`,
      );
    if (max > ref.max)
      report(
        ['ratios', c, 'max'],
        `class ${c}'s band max ${max} is above ${SAMPLING_RULE(c)}: a band may be narrowed, never widened`,
      );
    if (ratio < min || ratio > max)
      report(['ratios', c, 'ratio'], `class ${c}'s ratio ${ratio} lies outside its band ${min}..${max}`);
    else if (ratio < ref.min || ratio > ref.max)
      report(['ratios', c, 'ratio'], `class ${c}'s ratio ${ratio} lies outside ${SAMPLING_RULE(c)}`);
    for (const k of ['ratio', 'min', 'max'] as const)
      if (!inMillionths(p.ratios[c][k]))
        report(
          ['ratios', c, k],
          `${p.ratios[c][k]} has more than six decimals (the draw counts in millionths)`,
        );
  }
};

/** Parses the policy text; `invalid_input` listing every problem with its field and line. */
export const parseSupervisionPolicy = (
  text: string,
  origin = DEFAULT_SUPERVISION_POLICY_PATH,
): SupervisionPolicy => {
  const {
    data: d,
    version,
    lineOf,
  } = parsePolicyYaml(text, origin, 'supervision policy', schema, (d, report) =>
    selfProblems(
      toPolicy(d, '', () => undefined),
      report,
    ),
  );
  return toPolicy(d, version, lineOf);
};

const toPolicy = (
  d: z.output<typeof schema>,
  version: string,
  lineOf: (path: Path) => number | undefined,
): SupervisionPolicy => {
  const band = (c: RiskClass): ClassRatio => ({ ...d.ratios[c] });
  return {
    version,
    label: d.supervision_version,
    targetKinds: [...d.target_kinds],
    classes: {
      recentMonths: d.classes.recent_months,
      default: d.classes.default,
      rules: d.classes.rules.map((r) => {
        const rule: ClassRule = { class: r.class, basis: r.basis };
        if (r.when.kinds) rule.kinds = [...r.when.kinds];
        if (r.when.grades) rule.grades = [...r.when.grades];
        if (r.when.list_kinds) rule.listKinds = [...r.when.list_kinds];
        if (r.when.list_codes) rule.listCodes = [...r.when.list_codes];
        if (r.when.negative_records) rule.negativeRecords = { ...r.when.negative_records };
        return rule;
      }),
    },
    ratios: { A: band('A'), B: band('B'), C: band('C'), D: band('D') },
    redListed: { drawn: d.red_listed.drawn },
    inspectorsPerTarget: d.inspectors_per_target,
    workloadCap: d.workload_cap,
    outcomeDays: d.outcome_days,
    publishDays: d.publish_days,
    outcomes: Object.fromEntries(
      INSPECTION_OUTCOMES.map((o) => [o, { recordType: d.outcomes[o].record_type }]),
    ) as Record<InspectionOutcome, { recordType: string }>,
    lineOf,
  };
};

/** Reads and parses the supervision policy file (default: policies/supervision.yaml). */
export const loadSupervisionPolicy = async (
  path: string = DEFAULT_SUPERVISION_POLICY_PATH,
): Promise<SupervisionPolicy> =>
  parseSupervisionPolicy(await readPolicyText(path, 'supervision policy'), path);

/**
 * Every problem of the policy against itself and the catalogue: no person targeted (rule 11), each
 * band inside the local sampling band and each ratio inside both, each outcome's record type
 * catalogued, positive for a pass and negative for the three deficiency outcomes, and open to
 * every target kind. List codes are not checked here (the lists check owns them). Empty when the
 * policy is fit to run.
 */
export const checkSupervisionPolicy = (
  policy: SupervisionPolicy,
  catalogue: Catalogue,
): SupervisionPolicyProblem[] => {
  const problems: SupervisionPolicyProblem[] = [];
  const report: Report = (path, message) => {
    const line = policy.lineOf(path);
    problems.push({
      level: 'error',
      file: 'supervision',
      path: formatPath(path),
      ...(line === undefined ? {} : { line }),
      message,
    });
  };
  selfProblems(policy, report);
  for (const outcome of INSPECTION_OUTCOMES) {
    const path = ['outcomes', outcome, 'record_type'];
    const code = policy.outcomes[outcome].recordType;
    const item = catalogue.get(code);
    if (!item) {
      report(path, `"${code}" is not in the catalogue (product rule 1)`);
      continue;
    }
    const polarity = outcome === 'passed' ? 'positive' : 'negative';
    if (item.polarity !== polarity)
      report(path, `"${code}" is ${item.polarity}; the outcome "${outcome}" makes a ${polarity} record`);
    for (const kind of policy.targetKinds)
      if (kind !== 'person' && !item.subject_kinds.includes(kind))
        report(path, `"${code}" does not apply to a ${kind}, which target_kinds allows`);
  }
  return problems;
};
