/**
 * The record contract: one JSON object per NDJSON line (or CSV row with the same column names).
 * Shape is checked by zod; meaning (catalogue, source rights, identifiers, dates) by `checkLine`.
 * Every problem comes back as a field path and a reason a source's engineer can act on.
 */
import { z } from 'zod';
import {
  type Catalogue,
  LICENSING_SOURCE_KINDS,
  protectedWordIn,
  type SourceKind,
} from '../catalogue/index.ts';
import { LICENCE_KINDS, personalDataIn, validateSubjectIdentifier } from '../identity/index.ts';
import { normaliseTextIn } from '../shared/text.ts';
import type { PersonRef, RecordWrite, SubjectRef } from '../store/index.ts';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Why a text is not an ISO calendar date from 1900 on, or undefined when it is one. */
const dateProblem = (s: string): string | undefined => {
  if (!DATE_RE.test(s)) return 'expected an ISO date YYYY-MM-DD';
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1];
  return y >= 1900 && days !== undefined && d >= 1 && d <= days ? undefined : 'not a real calendar date';
};
// One check with the reason computed only for a refusal: two dates a line are on the checking
// thread's hot path, and a regex plus a refinement building a Date cost twice as much.
const isoDate = z
  .string({ error: 'expected an ISO date YYYY-MM-DD' })
  .refine((s) => dateProblem(s) === undefined, { error: (iss) => dateProblem(iss.input as string) });
const name = z
  .string({ error: 'expected a name (text)' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'at most 200 characters');
const opt = <T extends z.ZodType>(t: T) => t.nullish();

/**
 * A licence number as registries write them: letters (Chinese ones too) and digits, with hyphens,
 * slashes or brackets between. It finds a professional on the public ratings page, so it never
 * names a protected category (product rule 2).
 */
const licenceNumber = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}\-/()（）]*$/u, 'letters and digits, with - / ( ) between')
  .refine((n) => protectedWordIn(n) === undefined, {
    error: (i) => {
      const found = protectedWordIn(String(i.input))!;
      return `names a protected category (${found.category}: "${found.word}"), which product rule 2 keeps out of credit records`;
    },
  });

const personSubject = z.strictObject({
  kind: z.literal('person'),
  id_number: z.string({ error: 'required for a person: the resident identity card number' }),
  name,
  licences: opt(
    z
      .array(
        z.strictObject({
          kind: z.enum(LICENCE_KINDS, { error: `expected one of ${LICENCE_KINDS.join(', ')}` }),
          number: licenceNumber,
        }),
      )
      .max(20),
  ),
});
const orgSubject = z.strictObject({
  kind: z.enum(['organization', 'public_body']),
  uscc: z.string({ error: 'required for an organization or public body: the Unified Social Credit Code' }),
  name,
  legal_representative: opt(z.strictObject({ id_number: z.string(), name })),
  // The whole set, when named: persons left out are no longer bound.
  principal_responsible_persons: opt(
    z.array(z.strictObject({ id_number: z.string(), name })).max(20, 'at most 20 persons'),
  ),
  actual_controller: opt(z.strictObject({ id_number: z.string(), name })),
});

export const subjectSchema = z.discriminatedUnion('kind', [personSubject, orgSubject], {
  error: (iss) =>
    iss.code === 'invalid_union'
      ? 'subject.kind must be person, organization or public_body'
      : 'expected an object',
});
export type SubjectLine = z.infer<typeof subjectSchema>;

/**
 * A person's name as registries write it: letters (any script) and combining marks, in parts
 * joined by spaces, interpuncts (买买提·艾力), periods, apostrophes or hyphens.
 */
const PERSON_NAME = /^[\p{L}\p{M}]+(?:[\s\u00b7\u2022\u2027\u30fb.'\u2019-]+[\p{L}\p{M}]+)*\.?$/u;

/**
 * Why a source's line may not put this person's name on file, or undefined: a name is only a
 * name (no brackets, digits or remarks), and it names no protected category (product rule 2: "王伟
 * （穆斯林）" would pin a religion to a person for good, since a person's name is never renamed).
 * Checked by the store only when the line would create the person: a person on file under a name
 * is named by it. The operator's registry import, from the registration file, is not screened.
 */
const CJK = /\p{Script=Han}/u;
const personNameProblem = (name: string, field: string): { field: string; reason: string } | undefined => {
  if (!PERSON_NAME.test(name))
    return {
      field,
      reason:
        "a person's name holds only letters, with spaces, interpuncts (·), periods, apostrophes or hyphens between its parts; " +
        'say anything else about the person in note',
    };
  // A Latin-script name is screened for its shape only: Christian, Islam, Gay or Grace are given
  // names and surnames, and refusing them would refuse a person's lawful records. A remark written
  // into a Chinese name (王伟穆斯林) is still refused.
  const found = CJK.test(name) ? protectedWordIn(name) : undefined;
  return found
    ? {
        field,
        reason: `names a protected category (${found.category}: "${found.word}"), which product rule 2 keeps out of credit records`,
      }
    : undefined;
};

/** Checks the identifiers of a shape-valid subject and normalises it for the store. */
/** A field's path under `prefix` (built only for a problem; no closure per line on the hot path). */
const fieldAt = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

const resolveSubject = (s: SubjectLine, prefix = 'subject', screenNames = true): SubjectRef | LineProblem => {
  if (s.kind === 'person') {
    const id = validateSubjectIdentifier('person', s.id_number);
    if (!id.ok) return { field: fieldAt(prefix, 'id_number'), reason: id.reason };
    const nameProblem = screenNames ? personNameProblem(s.name, fieldAt(prefix, 'name')) : undefined;
    return {
      kind: 'person',
      identifier: id.identifier,
      name: s.name,
      birthDate: id.birthDate ?? null,
      sex: id.sex ?? null,
      ...(s.licences?.length ? { licences: s.licences } : {}),
      ...(nameProblem ? { nameProblem } : {}),
    };
  }
  const id = validateSubjectIdentifier(s.kind, s.uscc);
  if (!id.ok) return { field: fieldAt(prefix, 'uscc'), reason: id.reason };
  const subject: SubjectRef = { kind: s.kind, identifier: id.identifier, name: s.name };
  const person = (p: { id_number: string; name: string }, field: string): PersonRef | LineProblem => {
    const rid = validateSubjectIdentifier('person', p.id_number);
    if (!rid.ok) return { field: fieldAt(prefix, `${field}.id_number`), reason: rid.reason };
    const nameProblem = screenNames ? personNameProblem(p.name, fieldAt(prefix, `${field}.name`)) : undefined;
    return {
      identifier: rid.identifier,
      name: p.name,
      birthDate: rid.birthDate!,
      sex: rid.sex!,
      ...(nameProblem ? { nameProblem } : {}),
    };
  };
  if (s.legal_representative) {
    const p = person(s.legal_representative, 'legal_representative');
    if ('reason' in p) return p;
    subject.legalRepresentative = p;
  }
  if (s.principal_responsible_persons) {
    const ps: PersonRef[] = [];
    for (let i = 0; i < s.principal_responsible_persons.length; i++) {
      const p = person(s.principal_responsible_persons[i]!, `principal_responsible_persons.${i}`);
      if ('reason' in p) return p;
      ps.push(p);
    }
    subject.principalResponsiblePersons = ps;
  }
  if (s.actual_controller) {
    const p = person(s.actual_controller, 'actual_controller');
    if ('reason' in p) return p;
    subject.actualController = p;
  }
  return subject;
};

/** Validates one subject as a registry line (the record contract's `subject` object on its own). */
export const checkSubject = (value: unknown): SubjectRef | LineProblem => {
  const parsed = subjectSchema.safeParse(value);
  if (!parsed.success) {
    const p = zodProblem(parsed.error, value);
    return { field: p.field === '(line)' ? 'kind' : p.field, reason: p.reason };
  }
  const text = textProblemIn(parsed.data, oneLine);
  if (text) return text;
  // The registration file is the authority on names: a registry line's names are not screened.
  return resolveSubject(parsed.data, '', false);
};

const sourceRecordId = z
  .string({ error: 'expected text, unique per source' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'at most 200 characters');
const reasonText = z
  .string({ error: 'expected text: why' })
  .trim()
  .min(1, 'must not be empty')
  .max(1000, 'at most 1000 characters');

/**
 * The largest amount a record may carry, in yuan: 10 trillion, several hundred times the largest
 * fine or judgment ever recorded and about a tenth of China's yearly GDP, so no real amount is
 * refused; and below 2^53 fen, so every amount to the fen is exact in a double.
 */
export const MAX_AMOUNT = 1e13;

/** The contract's fields that may span lines; every other text is one line. */
const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['note', 'reason']);
const isMultiline = (key: string) => MULTILINE_FIELDS.has(key);
const oneLine = () => false;

/**
 * The text rules (src/shared/text.ts) over a line's parsed fields: NFC-normalises them in place
 * and returns the first field that holds a forbidden character.
 */
const textProblemIn = (data: object, multiline: (key: string) => boolean): LineProblem | undefined => {
  const issue = normaliseTextIn(data, multiline).issue;
  return issue ? { field: issue.field, reason: issue.reason } : protectedProblemIn(data);
};

/** The free text a source writes about a record: evidence, note, and why it corrects or withdraws. */
const FREE_TEXT_FIELDS = ['source_record_id', 'evidence', 'note', 'reason'] as const;

/**
 * Product rule 2 in a line's free text: the first field naming a protected category (religion,
 * ethnicity, health, …: the catalogue's protected words) refuses the line, which the source may
 * send again worded without it. The source's own ID of a record is screened too: it is shown to the
 * subject, operators and auditors like any text. Names are screened apart: a person's when it
 * would be put on file (`personNameProblem`); an organization's lawful name may hold such a word.
 */
const protectedProblemIn = (data: object): LineProblem | undefined => {
  for (const field of FREE_TEXT_FIELDS) {
    const text = (data as Record<string, unknown>)[field];
    const found = typeof text === 'string' ? protectedWordIn(text) : undefined;
    if (found)
      return {
        field,
        reason: `names a protected category (${found.category}: "${found.word}"), which product rule 2 keeps out of credit records`,
      };
  }
  return undefined;
};

export const recordLineSchema = z.strictObject({
  /** create (the default): a new record; correct: the full new content of a record sent before. */
  action: opt(z.enum(['create', 'correct'], { error: 'expected create, correct or withdraw' })),
  /** Why a record is corrected (shown to the subject). */
  reason: opt(reasonText),
  source_record_id: sourceRecordId,
  type: z.string({ error: 'expected a catalogue record type code' }).min(1, 'must not be empty'),
  subject: subjectSchema,
  occurred_at: isoDate,
  decided_at: opt(isoDate),
  disclosed_at: opt(isoDate),
  amount: opt(
    z
      .number({ error: 'expected a number' })
      .finite()
      .nonnegative('must not be negative')
      .max(MAX_AMOUNT, `at most ${MAX_AMOUNT.toLocaleString('en')} yuan`),
  ),
  evidence: opt(z.string().max(500, 'at most 500 characters')),
  note: opt(z.string().max(2000, 'at most 2000 characters')),
});
export type RecordLine = z.infer<typeof recordLineSchema>;

/** A source takes back a record it sent: only its id and why. */
export const withdrawLineSchema = z.strictObject({
  action: z.literal('withdraw'),
  source_record_id: sourceRecordId,
  reason: reasonText,
});

/** A line that changes a record the source sent before (by its `source_record_id`). */
export type Revision =
  | { action: 'correct'; write: RecordWrite; reason: string | null }
  | { action: 'withdraw'; sourceRecordId: string; reason: string };

export interface LineProblem {
  field: string;
  reason: string;
}

/**
 * The value at a path of the line. (zod can put it in each issue with `reportInput`, but any
 * parse option takes zod off its compiled fast path, which doubles the cost of every good line.)
 */
const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown => {
  let v = value;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
};

const zodProblem = (error: z.ZodError, value: unknown): LineProblem => {
  const issue = error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return {
      field: [...path, issue.keys[0]].join('.'),
      reason: 'unknown field: the record contract has no such field',
    };
  }
  if (issue.code === 'invalid_union' && path.join('.') === 'subject') {
    return { field: 'subject.kind', reason: 'must be person, organization or public_body' };
  }
  if (issue.code === 'invalid_type' && valueAt(value, issue.path) === undefined) {
    return { field: path.join('.') || '(line)', reason: 'required field is missing' };
  }
  return { field: path.join('.') || '(line)', reason: issue.message };
};

export interface CheckEnv {
  catalogue: Catalogue;
  sourceCode: string;
  sourceKind: SourceKind;
  /** Types this source was registered for. */
  sourceTypes: ReadonlySet<string>;
  /** Today (YYYY-MM-DD) by the injected clock: later dates are refused. */
  today: string;
}

/** Validates one parsed line against the contract; returns what to store or the first problem found. */
export const checkLine = (value: unknown, env: CheckEnv): RecordWrite | Revision | LineProblem => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { field: '(line)', reason: 'expected a JSON object' };
  }
  if ((value as { action?: unknown }).action === 'withdraw') {
    const w = withdrawLineSchema.safeParse(value);
    if (!w.success) return zodProblem(w.error, value);
    const text = textProblemIn(w.data, isMultiline);
    if (text) return text;
    return { action: 'withdraw', sourceRecordId: w.data.source_record_id, reason: w.data.reason };
  }
  const parsed = recordLineSchema.safeParse(value);
  if (!parsed.success) return zodProblem(parsed.error, value);
  const r = parsed.data;
  const text = textProblemIn(r, isMultiline);
  if (text) return text;

  const item = env.catalogue.get(r.type);
  if (!item) return { field: 'type', reason: `unknown record type "${r.type}": not in the catalogue` };
  if (!item.source_kinds.includes(env.sourceKind)) {
    return {
      field: 'type',
      reason: `a ${env.sourceKind} source may not submit ${r.type} (catalogue allows ${item.source_kinds.join(', ')})`,
    };
  }
  if (!env.sourceTypes.has(r.type)) {
    return { field: 'type', reason: `source ${env.sourceCode} is not registered to submit ${r.type}` };
  }
  if (!item.subject_kinds.includes(r.subject.kind)) {
    return {
      field: 'subject.kind',
      reason: `${r.type} applies to ${item.subject_kinds.join(', ')}, not ${r.subject.kind}`,
    };
  }

  // A listing, a consumption restriction and the records that end them are matched case by case:
  // without its case number a performance could not say which listing it ends.
  if (item.requires_case_reference && (r.evidence == null || r.evidence.trim() === '')) {
    return {
      field: 'evidence',
      reason: `${r.type} must name its case (e.g. the court's case number) in evidence`,
    };
  }
  // The case reference is what a relying party's answer and a public list show of the case: it
  // names the case, never a person's identifiers (product rule 10).
  const personal = item.requires_case_reference ? personalDataIn(r.evidence!, { cards: false }) : undefined;
  if (personal !== undefined) {
    return {
      field: 'evidence',
      reason: `holds a ${personal}: ${r.type}'s evidence is its case reference, which check answers and public lists show; name the case alone (e.g. (2025)京0105执123号)`,
    };
  }

  const subject = resolveSubject(r.subject);
  if ('reason' in subject) return subject;
  if (subject.licences) {
    for (let i = 0; i < subject.licences.length; i++) {
      const kind = subject.licences[i]!.kind;
      const by = LICENSING_SOURCE_KINDS[kind] ?? [];
      if (!by.includes(env.sourceKind))
        return {
          field: `subject.licences.${i}.kind`,
          reason: `a ${env.sourceKind} source may not attach a ${kind} licence (licensed by ${by.join(', ')} sources, or the registry import)`,
        };
    }
  }

  for (const f of ['occurred_at', 'decided_at', 'disclosed_at'] as const) {
    const d = r[f];
    if (d && d > env.today) return { field: f, reason: `${d} is in the future (today is ${env.today})` };
  }
  if (r.decided_at && r.decided_at < r.occurred_at) {
    return { field: 'decided_at', reason: `${r.decided_at} is before occurred_at ${r.occurred_at}` };
  }
  if (r.disclosed_at && r.disclosed_at < r.occurred_at) {
    return { field: 'disclosed_at', reason: `${r.disclosed_at} is before occurred_at ${r.occurred_at}` };
  }
  if (r.amount != null && item.amount === 'none') {
    return { field: 'amount', reason: `${r.type} carries no amount` };
  }

  const write: RecordWrite = {
    sourceRecordId: r.source_record_id,
    type: r.type,
    subject,
    occurredAt: r.occurred_at,
    decidedAt: r.decided_at ?? null,
    disclosedAt: r.disclosed_at ?? null,
    amount: r.amount ?? null,
    evidence: r.evidence ?? null,
    note: r.note ?? null,
  };
  if (r.action === 'correct') return { action: 'correct', write, reason: r.reason ?? null };
  if (r.reason != null)
    return { field: 'reason', reason: 'a reason goes with "action": "correct" or "withdraw"' };
  return write;
};

/** A line after checking: a record to write, a change to one sent before, or why it was refused. */
export type CheckedLine =
  | { line: number; write: RecordWrite }
  | { line: number; revise: Revision }
  | { line: number; problem: LineProblem };

export const isProblem = (v: RecordWrite | Revision | LineProblem): v is LineProblem => 'field' in v;
export const isRevision = (v: RecordWrite | Revision | LineProblem): v is Revision => 'action' in v;

/** One read line (or the reader's problem with it) → its checked form. */
export const checkedLine = (
  raw: { line: number; value?: unknown; problem?: LineProblem },
  env: CheckEnv,
): CheckedLine => {
  if (raw.problem) return { line: raw.line, problem: raw.problem };
  const c = checkLine(raw.value, env);
  if (isProblem(c)) return { line: raw.line, problem: c };
  return isRevision(c) ? { line: raw.line, revise: c } : { line: raw.line, write: c };
};
