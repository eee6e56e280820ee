/**
 * Measures capability: relying parties and their checks. A relying party asks "does measure M
 * apply to subject S?" and gets yes or no with a reason code, the list and the period — never the
 * file (product rule 10); it may ask only about the measures granted to it, and every check is
 * audited with its purpose (rule 9).
 */
import { randomUUID } from 'node:crypto';
import { issueToken, requirePermission } from '../access/index.ts';
import type { Ctx } from '../context.ts';
import { isoDate } from '../context.ts';
import { validateSubjectIdentifier } from '../identity/index.ts';
import {
  entryOf,
  evaluateMeasure,
  type ListEntry,
  type MeasurePolicy,
  RELYING_PARTY_KINDS,
} from '../lists/index.ts';
import type { Grade } from '../scoring/index.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { RelyingPartyRow, SubjectRow } from '../store/index.ts';

export const MAX_BATCH_CHECK = 1000;

export interface RegisterRelyingPartyInput {
  code: string;
  kind: string;
  name?: string;
  legalBasis?: string;
  /** Defaults to every measure its kind enforces. */
  measures?: string[];
}

const CODE_RE = /^[a-z0-9][a-z0-9_-]{1,63}$/;

/** Registers a relying party with the measures it may ask about and issues its token (shown once). */
export const registerRelyingParty = async ({
  ctx,
  input,
  measures,
}: {
  ctx: Ctx;
  input: RegisterRelyingPartyInput;
  measures: MeasurePolicy;
}): Promise<{ relyingParty: RelyingPartyRow; token: string }> => {
  requirePermission(ctx.principal, 'relying_parties.manage');
  if (!CODE_RE.test(input.code)) {
    throw invalidInput(
      `relying party code "${input.code}" must be 2–64 lower-case letters, digits, "-" or "_"`,
      [{ field: 'code', message: 'expected [a-z0-9][a-z0-9_-]{1,63}' }],
    );
  }
  if (!(RELYING_PARTY_KINDS as readonly string[]).includes(input.kind)) {
    throw invalidInput(
      `unknown relying party kind "${input.kind}": expected one of ${RELYING_PARTY_KINDS.join(', ')}`,
      [{ field: 'kind', message: 'unknown kind' }],
    );
  }
  const enforces = measures.measures.filter((m) =>
    (m.relyingPartyKinds as readonly string[]).includes(input.kind),
  );
  const granted = input.measures?.length ? [...new Set(input.measures)] : enforces.map((m) => m.code);
  const bad = granted.filter((c) => !enforces.some((m) => m.code === c));
  if (bad.length > 0) {
    throw invalidInput(
      `a ${input.kind} may not be granted ${bad.join(', ')}: ` +
        bad
          .map((c) => {
            const m = measures.byCode.get(c);
            return m ? `${c} is enforced by ${m.relyingPartyKinds.join('/')}` : `${c} is not a measure`;
          })
          .join('; '),
      bad.map((c) => ({ field: 'measures', message: `${c} not allowed` })),
    );
  }
  if (granted.length === 0)
    throw invalidInput(`no measure is enforced by a ${input.kind}`, [
      { field: 'kind', message: 'enforces nothing' },
    ]);
  const relyingParty = await ctx.store.insertRelyingParty(
    {
      code: input.code,
      kind: input.kind,
      name: input.name ?? input.code,
      legalBasis: input.legalBasis ?? 'as stated for each measure',
      measures: granted,
    },
    ctx.clock.now().toISOString(),
    {
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      subjectId: null,
      action: 'relying_party.register',
      detail: `${input.code} ${input.kind} ${granted.join(',')}`,
      requestId: ctx.requestId,
    },
  );
  const { token } = await issueToken({
    ctx,
    input: { role: 'relying_party', ref: input.code, label: relyingParty.name, scope: granted },
  });
  return { relyingParty, token };
};

export interface CheckAnswer {
  subject: string;
  applies: boolean;
  measure: string;
  reason_code: string;
  list: string | null;
  from: string | null;
  until: string | null;
  check_id: string;
}

/**
 * Grants are read on every check but change rarely: they are kept for a few seconds per store, so
 * a grant or a new relying party takes effect within GRANT_TTL_MS everywhere.
 */
const GRANT_TTL_MS = 5_000;
const grantCache = new WeakMap<object, Map<string, { at: number; rp: RelyingPartyRow | undefined }>>();
const findGrants = async (ctx: Ctx, code: string): Promise<RelyingPartyRow | undefined> => {
  let byCode = grantCache.get(ctx.store);
  if (!byCode) {
    byCode = new Map();
    grantCache.set(ctx.store, byCode);
  }
  const now = ctx.clock.now().getTime();
  const hit = byCode.get(code);
  if (hit && now - hit.at < GRANT_TTL_MS) return hit.rp;
  const rp = await ctx.store.findRelyingPartyByCode(code);
  byCode.set(code, { at: now, rp });
  return rp;
};

/** The measure a principal may check, or a precise refusal. */
const grantedMeasure = async (ctx: Ctx, code: string, measures: MeasurePolicy) => {
  const measure = measures.byCode.get(code);
  if (!measure) throw notFound(`unknown measure "${code}"`);
  const p = ctx.principal;
  requirePermission(p, 'checks.run');
  if (p.role === 'relying_party') {
    const rp = p.ref ? await findGrants(ctx, p.ref) : undefined;
    if (!rp?.measures.includes(code))
      throw forbidden(`measure ${code} is not granted to relying party ${p.ref}`);
  }
  return measure;
};

/**
 * Checks one measure for up to 1,000 subjects, as of today, from the kept list entries and
 * grades; a subject the platform does not know simply has no measure applying.
 */
export const checkMeasure = async ({
  ctx,
  input,
  measures,
}: {
  ctx: Ctx;
  input: { measure: string; subjects: string[] };
  measures: MeasurePolicy;
}): Promise<CheckAnswer[]> => {
  const measure = await grantedMeasure(ctx, input.measure, measures);
  if (input.subjects.length === 0)
    throw invalidInput('name at least one subject', [{ field: 'subjects', message: 'empty' }]);
  if (input.subjects.length > MAX_BATCH_CHECK) {
    throw invalidInput(
      `at most ${MAX_BATCH_CHECK} subjects per check; this one has ${input.subjects.length}`,
      [{ field: 'subjects', message: `${input.subjects.length} subjects` }],
    );
  }
  const asOf = isoDate(ctx.clock.now());
  const at = ctx.clock.now().toISOString();
  const identifiers = input.subjects.map((raw, i) => {
    const s = raw.trim().toUpperCase();
    for (const kind of ['person', 'organization', 'public_body'] as const) {
      const v = validateSubjectIdentifier(kind, s);
      if (v.ok) return v.identifier;
    }
    throw invalidInput(
      `subjects[${i}] "${raw}" is not a valid resident ID number or Unified Social Credit Code`,
      [{ field: `subjects[${i}]`, message: 'invalid identifier' }],
    );
  });
  const needsGrade = measure.trigger.kind !== 'lists';
  const inputs = await checkInputs(ctx, identifiers, needsGrade);
  const subjects = identifiers.map((id) => inputs.get(id)?.subject);

  const answers: CheckAnswer[] = identifiers.map((identifier, i) => {
    const check_id = randomUUID();
    const c = inputs.get(identifier);
    if (!c) {
      return {
        subject: identifier,
        applies: false,
        measure: measure.code,
        reason_code: 'UNKNOWN_SUBJECT',
        list: null,
        from: null,
        until: null,
        check_id,
      };
    }
    const a = evaluateMeasure({
      measure,
      entries: c.entries,
      ...(c.grade ? { score: { grade: c.grade } } : {}),
      subjectKind: c.subject.kind,
      asOf,
      represented: c.represented.map((entries) => ({ role: 'legal_representative' as const, entries })),
    });
    return { subject: subjects[i]!.identifier, ...a, check_id };
  });
  await ctx.store.appendAudit(
    answers.map((a, i) => ({
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      subjectId: subjects[i]?.id ?? null,
      action: 'measure.check',
      detail: JSON.stringify({
        check_id: a.check_id,
        measure: a.measure,
        applies: a.applies,
        reason_code: a.reason_code,
        ...(subjects[i] ? {} : { subject: a.subject }),
      }),
      requestId: ctx.requestId,
    })),
    at,
  );
  return answers;
};

/** What a check needs to know of one subject. */
interface CheckInputs {
  subject: SubjectRow;
  entries: ListEntry[];
  /** Entries of each organization the subject legally represents. */
  represented: ListEntry[][];
  /** Latest grade kept; null when none, undefined when not loaded yet. */
  grade?: Grade | null;
}

/**
 * Check inputs are read on every check and change only when list entries or scores do: they are
 * kept per store under the `checks_generation` token that every such change renews (in the same
 * transaction), so one cheap read tells whether anything changed — in this process or another.
 */
const MAX_CACHED = 200_000;
const inputsCache = new WeakMap<
  object,
  { generation: string | undefined; bySubject: Map<string, CheckInputs> }
>();

const checkInputs = async (
  ctx: Ctx,
  identifiers: string[],
  needsGrade: boolean,
): Promise<Map<string, CheckInputs>> => {
  const generation = await ctx.store.getMeta('checks_generation');
  let cache = inputsCache.get(ctx.store);
  if (!cache || cache.generation !== generation || cache.bySubject.size > MAX_CACHED) {
    cache = { generation, bySubject: new Map() };
    inputsCache.set(ctx.store, cache);
  }
  const bySubject = cache.bySubject;
  const missing = [...new Set(identifiers)].filter((id) => {
    const c = bySubject.get(id);
    return !c || (needsGrade && c.grade === undefined);
  });
  if (missing.length > 0) {
    const known = await ctx.store.listSubjectsByIdentifiers(missing);
    const persons = known.filter((s) => s.kind === 'person').map((s) => s.id);
    const orgs = persons.length ? await ctx.store.listSubjectsForScoring({ legalRepIds: persons }) : [];
    const entries = new Map<number, ListEntry[]>();
    for (const row of await ctx.store.listListEntries([
      ...known.map((s) => s.id),
      ...orgs.map((o) => o.id),
    ])) {
      const list = entries.get(row.subjectId);
      if (list) list.push(entryOf(row));
      else entries.set(row.subjectId, [entryOf(row)]);
    }
    for (const s of known) {
      const c: CheckInputs = {
        subject: s,
        entries: entries.get(s.id) ?? [],
        represented: orgs.filter((o) => o.legalRepId === s.id).map((o) => entries.get(o.id) ?? []),
      };
      if (needsGrade) c.grade = ((await ctx.store.listScores(s.id))[0]?.grade as Grade | undefined) ?? null;
      bySubject.set(s.identifier, c);
    }
  }
  const out = new Map<string, CheckInputs>();
  for (const id of identifiers) {
    const c = bySubject.get(id);
    if (c) out.set(id, c);
  }
  return out;
};

export const listRelyingParties = async ({ ctx }: { ctx: Ctx }) => {
  requirePermission(ctx.principal, 'relying_parties.manage');
  return ctx.store.listRelyingParties();
};
