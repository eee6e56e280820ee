/**
 * The shape of the catalogue file (policies/catalogue.yaml). Field names are the file's own, so a
 * record type reads the same in the YAML, in code and in the API. Rules that relate one field to
 * another live in consistency.ts, so every problem in a file can be reported together.
 */
import { z } from 'zod';
import { LAWFUL_CATEGORIES } from './categories.ts';
import { SOURCE_KINDS } from './source-kinds.ts';

/** The same union as identity's subject kinds; kept local so the catalogue imports no capability. */
export const SUBJECT_KINDS = ['person', 'organization', 'public_body'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The four fields of the Planning Outline (Guofa [2014] No. 21); product rule 3. */
export const DOMAINS = ['government', 'commercial', 'social', 'judicial'] as const;
export type Domain = (typeof DOMAINS)[number];

export const POLARITIES = ['negative', 'positive'] as const;
export type Polarity = (typeof POLARITIES)[number];

/** Severity classes of the NDRC Credit Repair Measures: they set repair and display periods. */
export const SEVERITIES = ['minor', 'general', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Direct grades of the city points systems: B (e.g. drunk driving), C (detention), D (defaulter). */
export const DIRECT_GRADES = ['B', 'C', 'D'] as const;
export type DirectGrade = (typeof DIRECT_GRADES)[number];

/** What the optional `amount` of a record of this type measures. */
export const AMOUNT_KINDS = ['none', 'money_yuan', 'months', 'hours'] as const;
export type AmountKind = (typeof AMOUNT_KINDS)[number];

export const CODE_PATTERN = /^[a-z]+\.[a-z0-9_]+$/;
/** List codes name their family first: red (rewards), black (serious dishonesty), focus (attention). */
export const LIST_CODE_PATTERN = /^(red|black|focus)\.[a-z0-9_]+$/;

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join('|')}` });

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} (text)` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });

const uniqueList = <T extends z.ZodType>(item: T, what: string) =>
  z
    .array(item, { error: `expected a list of ${what}` })
    .min(1, { error: `name at least one ${what}` })
    .refine((xs) => new Set(xs).size === xs.length, { error: `${what} must not repeat` });

export const catalogueItemSchema = z.strictObject(
  {
    code: z.string({ error: 'expected a code (text)' }).regex(CODE_PATTERN, {
      error: 'expected a code like "court.judgment_defaulter" (^[a-z]+\\.[a-z0-9_]+$)',
    }),
    name: text('name', 120),
    description: text('description', 400),
    domain: oneOf(DOMAINS),
    subject_kinds: uniqueList(oneOf(SUBJECT_KINDS), 'subject kind'),
    polarity: oneOf(POLARITIES),
    severity: oneOf(SEVERITIES),
    points: z
      .number({ error: 'expected a whole number of points' })
      .int({ error: 'expected a whole number of points' })
      .min(-1000, { error: 'points must be between -1000 and 1000' })
      .max(1000, { error: 'points must be between -1000 and 1000' }),
    direct_grade: oneOf(DIRECT_GRADES).optional(),
    validity_years: z
      .number({ error: 'expected a number of years' })
      .min(0.25, { error: 'validity_years must be between 0.25 and 10' })
      .max(10, { error: 'validity_years must be between 0.25 and 10' }),
    amount: oneOf(AMOUNT_KINDS),
    data_category: oneOf(LAWFUL_CATEGORIES),
    legal_basis: text('legal basis', 400),
    source_kinds: uniqueList(oneOf(SOURCE_KINDS), 'source kind'),
    list_triggers: z
      .array(
        z
          .string({ error: 'expected a list code (text)' })
          .regex(LIST_CODE_PATTERN, { error: 'expected a list code like "black.court_defaulters"' }),
        { error: 'expected a list of list codes' },
      )
      .default([]),
    // A record of this type names its case in `evidence` (a court case number, a decision number):
    // listings, consumption restrictions and the records that end them are matched case by case,
    // so a line without one is refused at ingestion.
    requires_case_reference: z.boolean({ error: 'expected true or false' }).default(false),
    // Whether a record of this type keeps counting while an objection to it is pending (product
    // rule 6): an authority's decision (a court's listing, a penalty) binds until the authority
    // corrects it, so an objection filed to gain time lifts nothing. Absent: the scoring policy's
    // `statuses.disputed` decides.
    while_disputed: z
      .enum(['counted', 'not_counted'], { error: 'expected counted or not_counted' })
      .optional(),
  },
  { error: 'expected a record type (a mapping with code, name, domain, ...)' },
);

export const catalogueFileSchema = z.strictObject(
  {
    catalogue_version: z
      .string({ error: 'expected a version label (text), e.g. "2026.1"' })
      .trim()
      .min(1, { error: 'catalogue_version must not be empty' }),
    // Items are checked one by one (catalogueItemSchema) so one bad item does not hide the others.
    items: z.array(z.unknown(), { error: 'expected a list of record types' }).min(1, {
      error: 'the catalogue must hold at least one record type',
    }),
  },
  { error: 'expected a mapping with catalogue_version and items' },
);

type ParsedItem = z.output<typeof catalogueItemSchema>;

/** One record type of the catalogue, as loaded (immutable). */
export type CatalogueItem = Readonly<
  Omit<ParsedItem, 'subject_kinds' | 'source_kinds' | 'list_triggers'> & {
    subject_kinds: readonly SubjectKind[];
    source_kinds: readonly (typeof SOURCE_KINDS)[number][];
    list_triggers: readonly string[];
  }
>;
