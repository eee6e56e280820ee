/**
 * The measure policy (policies/measures.yaml): each reward or restriction with its legal basis, the
 * list or grade that triggers it, the domains it touches, the relying parties that enforce it and,
 * for an organization, whom it binds (product rule 4). Jurisdiction profiles say how far a
 * restriction may reach beyond its trigger's domains.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  DOMAINS,
  type Domain,
  refuseProtectedInPolicy,
  SUBJECT_KINDS,
  type SubjectKind,
} from '../catalogue/index.ts';
import { type Path, parsePolicyYaml, readPolicyText } from '../shared/policy-yaml.ts';
import { GRADE_NAMES, type GradeName } from './list-policy.ts';

/** The default measure policy shipped with the product: policies/measures.yaml. */
export const DEFAULT_MEASURES_PATH = fileURLToPath(new URL('../../policies/measures.yaml', import.meta.url));

export const MEASURE_KINDS = ['restriction', 'reward'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const RELYING_PARTY_KINDS = [
  'airline',
  'railway',
  'shipping_line',
  'hotel',
  'property_registry',
  'vehicle_registry',
  'school',
  'insurer',
  'bank',
  'procurement_office',
  'licensing_office',
  'approvals_office',
  'inspection_office',
  'soe_board',
  'service_provider',
] as const;
export type RelyingPartyKind = (typeof RELYING_PARTY_KINDS)[number];

/** Whom a measure on a listed organization also binds (SPC high-consumption provisions, 2015). */
export const BINDS = ['legal_representative', 'principal_responsible_person', 'actual_controller'] as const;
export type Binds = (typeof BINDS)[number];

/**
 * How a jurisdiction treats a restriction whose effect lies outside its trigger's domains:
 * `linked` allows it when the legal basis links the domains; `forbidden` never allows it.
 */
export const CROSS_DOMAIN_RULES = ['linked', 'forbidden'] as const;
export type CrossDomainRule = (typeof CROSS_DOMAIN_RULES)[number];

const MEASURE_CODE = /^(restrict|reward)\.[a-z0-9_]+$/;
const LIST_CODE = /^(red|black|focus)\.[a-z0-9_]+$/;

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} (text)` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join('|')}` });
const unique = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item, { error: `expected a list of ${what}s` })
    .min(1, { error: `name at least one ${what}` })
    .refine((xs) => new Set(xs).size === xs.length, { error: `${what}s must not repeat` });
const listCode = z
  .string({ error: 'expected a list code (text)' })
  .regex(LIST_CODE, { error: 'expected a list code like "black.court_defaulters"' });

const measureSchema = z.strictObject(
  {
    code: z.string({ error: 'expected a measure code (text)' }).regex(MEASURE_CODE, {
      error: 'expected a measure code like "restrict.air_travel" or "reward.green_channel"',
    }),
    name: text('name', 120),
    description: text('description', 400).optional(),
    kind: oneOf(MEASURE_KINDS),
    legal_basis: text('legal basis', 800),
    trigger: z.strictObject(
      {
        list: listCode.optional(),
        lists: unique(listCode, 'list code').optional(),
        grade_at_most: oneOf(GRADE_NAMES).optional(),
        grade_at_least: oneOf(GRADE_NAMES).optional(),
      },
      { error: 'expected a trigger: { list }, { lists }, { grade_at_most } or { grade_at_least }' },
    ),
    effect_domains: unique(oneOf(DOMAINS), 'domain'),
    links_domains: unique(oneOf(DOMAINS), 'domain').optional(),
    relying_party_kinds: unique(oneOf(RELYING_PARTY_KINDS), 'relying party kind'),
    subject_kinds: unique(oneOf(SUBJECT_KINDS), 'subject kind').optional(),
    binds: unique(oneOf(BINDS), 'binding').optional(),
  },
  { error: 'expected a measure (a mapping with code, name, kind, ...)' },
);

const profileSchema = z.strictObject(
  { cross_domain: oneOf(CROSS_DOMAIN_RULES), basis: text('basis', 800) },
  { error: 'expected a profile with cross_domain and basis' },
);

const measureFileSchema = z.strictObject(
  {
    measures_version: text('a version label, e.g. "2026.1"', 40),
    default_profile: z.string({ error: 'expected a profile name (text)' }),
    profiles: z.record(
      z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a profile name like "cn"' }),
      profileSchema,
      { error: 'expected a mapping of profile names to profiles' },
    ),
    measures: z.array(measureSchema, { error: 'expected a list of measures' }).min(1, {
      error: 'define at least one measure',
    }),
  },
  { error: 'expected a mapping with measures_version, default_profile, profiles and measures' },
);

type MeasureFile = z.output<typeof measureFileSchema>;

export type MeasureTrigger =
  | { readonly kind: 'lists'; readonly lists: readonly string[] }
  | { readonly kind: 'grade_at_most'; readonly grade: GradeName }
  | { readonly kind: 'grade_at_least'; readonly grade: GradeName };

export interface Measure {
  readonly code: string;
  readonly name: string;
  readonly kind: MeasureKind;
  readonly legalBasis: string;
  readonly trigger: MeasureTrigger;
  readonly effectDomains: readonly Domain[];
  /** Effect domains the legal basis explicitly links to the trigger's domains. */
  readonly linksDomains: readonly Domain[];
  readonly relyingPartyKinds: readonly RelyingPartyKind[];
  /** null = every kind of subject. */
  readonly subjectKinds: readonly SubjectKind[] | null;
  readonly binds: readonly Binds[];
}

export interface JurisdictionProfile {
  readonly name: string;
  readonly crossDomain: CrossDomainRule;
  readonly basis: string;
}

export interface MeasurePolicy {
  readonly version: string;
  readonly label: string;
  readonly origin: string;
  readonly defaultProfile: string;
  readonly profiles: ReadonlyMap<string, JurisdictionProfile>;
  readonly measures: readonly Measure[];
  readonly byCode: ReadonlyMap<string, Measure>;
  readonly lineOf: (path: Path) => number | undefined;
}

function checkMeasures(p: MeasureFile, report: (path: Path, problem: string) => void): void {
  if (!Object.hasOwn(p.profiles, p.default_profile))
    report(['default_profile'], `no profile "${p.default_profile}" in profiles`);
  const seen = new Set<string>();
  p.measures.forEach((m, i) => {
    const at = (...rest: (string | number)[]) => ['measures', i, ...rest];
    if (seen.has(m.code)) report(at('code'), `measure "${m.code}" is defined twice`);
    seen.add(m.code);
    const prefix = m.kind === 'restriction' ? 'restrict.' : 'reward.';
    if (!m.code.startsWith(prefix)) report(at('code'), `a ${m.kind}'s code must start with "${prefix}"`);
    const t = m.trigger;
    const given = [t.list, t.lists, t.grade_at_most, t.grade_at_least].filter((x) => x !== undefined).length;
    if (given !== 1) report(at('trigger'), 'give exactly one of list, lists, grade_at_most, grade_at_least');
    if (m.kind === 'restriction' && t.grade_at_least !== undefined)
      report(at('trigger', 'grade_at_least'), 'a restriction cannot be triggered by a good grade');
    if (m.kind === 'reward' && t.grade_at_most !== undefined)
      report(at('trigger', 'grade_at_most'), 'a reward cannot be triggered by a poor grade');
    for (const [j, d] of (m.links_domains ?? []).entries())
      if (!m.effect_domains.includes(d))
        report(at('links_domains', j), `"${d}" is not among the measure's effect_domains`);
  });
}

function toMeasure(m: MeasureFile['measures'][number]): Measure {
  const t = m.trigger;
  const trigger: MeasureTrigger =
    t.grade_at_most !== undefined
      ? { kind: 'grade_at_most', grade: t.grade_at_most }
      : t.grade_at_least !== undefined
        ? { kind: 'grade_at_least', grade: t.grade_at_least }
        : { kind: 'lists', lists: Object.freeze(t.lists ? [...t.lists] : [t.list!]) };
  return Object.freeze({
    code: m.code,
    name: m.name,
    kind: m.kind,
    legalBasis: m.legal_basis,
    trigger: Object.freeze(trigger),
    effectDomains: Object.freeze([...m.effect_domains]),
    linksDomains: Object.freeze([...(m.links_domains ?? [])]),
    relyingPartyKinds: Object.freeze([...m.relying_party_kinds]),
    subjectKinds: m.subject_kinds ? Object.freeze([...m.subject_kinds]) : null,
    // In BINDS order, the order in which a check looks for a binding organization's entry.
    binds: Object.freeze(BINDS.filter((b) => m.binds?.includes(b))),
  });
}

/** Parses and checks measure-policy YAML (its shape and the rules inside it). */
export function parseMeasurePolicy(text: string, origin = 'measure policy'): MeasurePolicy {
  const { data, version, lineOf } = parsePolicyYaml(
    text,
    origin,
    'measure policy',
    measureFileSchema,
    checkMeasures,
    // Product rule 2: a measure naming a protected subject (its name, legal basis…) is refused.
    (raw, issueAt) => refuseProtectedInPolicy(raw, origin, 'measure policy', issueAt),
  );
  const measures = Object.freeze(data.measures.map(toMeasure));
  return Object.freeze({
    version,
    label: data.measures_version,
    origin,
    defaultProfile: data.default_profile,
    profiles: new Map(
      Object.entries(data.profiles).map(([name, p]) => [
        name,
        Object.freeze({ name, crossDomain: p.cross_domain, basis: p.basis }),
      ]),
    ),
    measures,
    byCode: new Map(measures.map((m) => [m.code, m])),
    lineOf,
  });
}

/** Reads and parses a measure-policy file. */
export async function loadMeasurePolicy(path: string = DEFAULT_MEASURES_PATH): Promise<MeasurePolicy> {
  return parseMeasurePolicy(await readPolicyText(path, 'measure policy'), path);
}
