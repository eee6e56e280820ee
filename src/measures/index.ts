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
import { type MeasurePolicy, RELYING_PARTY_KINDS } from '../lists/index.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { CheckLogDraft, RelyingPartyRow, Store } from '../store/index.ts';
import { CheckService } from './check-service.ts';

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
/** A relying party's grants: at once while kept (a promise only when they must be read). */
const findGrants = (
  ctx: Ctx,
  code: string,
  now: number,
): RelyingPartyRow | undefined | Promise<RelyingPartyRow | undefined> => {
  let byCode = grantCache.get(ctx.store);
  if (!byCode) {
    byCode = new Map();
    grantCache.set(ctx.store, byCode);
  }
  const hit = byCode.get(code);
  if (hit && now - hit.at < GRANT_TTL_MS) return hit.rp;
  return ctx.store.findRelyingPartyByCode(code).then((rp) => {
    byCode.set(code, { at: now, rp });
    return rp;
  });
};

/** The measure a principal may check, or a precise refusal. */
const grantedMeasure = async (ctx: Ctx, code: string, measures: MeasurePolicy, now: number) => {
  const measure = measures.byCode.get(code);
  if (!measure) throw notFound(`unknown measure "${code}"`);
  const p = ctx.principal;
  requirePermission(p, 'checks.run');
  if (p.role === 'relying_party') {
    const found = p.ref ? findGrants(ctx, p.ref, now) : undefined;
    const rp = found instanceof Promise ? await found : found;
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
  const now = ctx.clock.now();
  const measure = await grantedMeasure(ctx, input.measure, measures, now.getTime());
  if (input.subjects.length === 0)
    throw invalidInput('name at least one subject', [{ field: 'subjects', message: 'empty' }]);
  if (input.subjects.length > MAX_BATCH_CHECK) {
    throw invalidInput(
      `at most ${MAX_BATCH_CHECK} subjects per check; this one has ${input.subjects.length}`,
      [{ field: 'subjects', message: `${input.subjects.length} subjects` }],
    );
  }
  const asOf = isoDate(now);
  const at = now.toISOString();
  const service = checkService(ctx.store, measures);
  const identifiers = input.subjects.map((raw, i) => {
    const s = raw.trim().toUpperCase();
    // A subject held was checked when it was stored: its identifier needs no second look.
    if (service.subjectId(s) !== undefined) return s;
    for (const kind of ['person', 'organization', 'public_body'] as const) {
      const v = validateSubjectIdentifier(kind, s);
      if (v.ok) return v.identifier;
    }
    throw invalidInput(
      `subjects[${i}] "${raw}" is not a valid resident ID number or Unified Social Credit Code`,
      [{ field: `subjects[${i}]`, message: 'invalid identifier' }],
    );
  });
  // Every check goes to the check log, group-committed: the checks one relying party makes for one
  // purpose and commits together share one audit entry that commits to their content.
  const actor = { actor: ctx.principal.id, role: ctx.principal.role, purpose: ctx.purpose, requestId: null };
  return service.check(identifiers, asOf, actor, at, (index) => {
    const m = index.measureIndex(measure.code);
    const answers: CheckAnswer[] = new Array(identifiers.length);
    const rows: CheckLogDraft[] = new Array(identifiers.length);
    for (let i = 0; i < identifiers.length; i++) {
      const identifier = identifiers[i]!;
      const check_id = randomUUID();
      const id = service.subjectId(identifier);
      const a: CheckAnswer =
        id === undefined
          ? {
              subject: identifier,
              applies: false,
              measure: measure.code,
              reason_code: 'UNKNOWN_SUBJECT',
              list: null,
              from: null,
              until: null,
              check_id,
            }
          : { subject: identifier, ...index.check(id, m)!, check_id };
      answers[i] = a;
      rows[i] = {
        checkId: check_id,
        subjectId: id ?? null,
        subject: identifier,
        measure: a.measure,
        applies: a.applies,
        reasonCode: a.reason_code,
      };
    }
    return { value: answers, rows };
  });
};

/**
 * One CheckService per store and measure policy in this process: the API's checks and the
 * command line's share it, so both answer from the same index kept by the same change feed.
 */
const services = new WeakMap<object, CheckService>();
export const checkService = (store: Store, measures: MeasurePolicy): CheckService => {
  let s = services.get(store);
  if (!s || s.measures !== measures) {
    s = new CheckService(store, measures);
    services.set(store, s);
  }
  return s;
};

export const listRelyingParties = async ({ ctx }: { ctx: Ctx }) => {
  requirePermission(ctx.principal, 'relying_parties.manage');
  return ctx.store.listRelyingParties();
};
