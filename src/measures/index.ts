/**
 * Measures capability: relying parties and their checks. A relying party asks "does measure M
 * apply to subject S?" and gets yes or no with a reason code, the list, the period and the case —
 * never the file (product rule 10); it may ask only about the measures granted to it, for one of
 * the purposes it was registered with, within its daily quota, and every check is audited with its
 * purpose (rule 9), every refusal too.
 */
import { can, issueToken, requirePermission } from '../access/index.ts';
import { refuseProtectedText } from '../catalogue/index.ts';
import type { Ctx } from '../context.ts';
import { DEFAULT_TIME_ZONE, daySpanIn } from '../context.ts';
import { validateSubjectIdentifier } from '../identity/index.ts';
import { type ListPolicy, type MeasurePolicy, notApplicable, RELYING_PARTY_KINDS } from '../lists/index.ts';
import { forbidden, invalidInput, notFound, rateLimited } from '../shared/errors.ts';
import type { CheckLogDraft, CheckPolicies, RelyingPartyRow, Store } from '../store/index.ts';
import { CheckService } from './check-service.ts';

export { type CheckExplanation, EXPLAIN_ACTION, type ExplainDeps, explainCheck } from './explain.ts';

export const MAX_BATCH_CHECK = 1000;
/** Checks a relying party may make a day unless registered with another quota. */
export const DEFAULT_DAILY_QUOTA = 100_000;
const MAX_DAILY_QUOTA = 1_000_000_000;

export interface RegisterRelyingPartyInput {
  code: string;
  kind: string;
  name?: string;
  legalBasis?: string;
  /** Defaults to every measure its kind enforces. */
  measures?: string[];
  /** Why it checks (e.g. `ticket_sale`, `tender_evaluation`): at least one; each check names one. */
  purposes: string[];
  /** Checks a day (default DEFAULT_DAILY_QUOTA). */
  dailyQuota?: number;
}

const CODE_RE = /^[a-z0-9][a-z0-9_-]{1,63}$/;
/** A purpose code: lower-case snake_case. */
const PURPOSE_RE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** Purpose codes checked and deduplicated, or a precise refusal. */
const purposeCodes = (purposes: readonly string[]): string[] => {
  const codes = [...new Set(purposes.map((p) => p.trim()))];
  if (codes.length === 0)
    throw invalidInput('name at least one purpose the relying party checks for, e.g. ticket_sale', [
      { field: 'purposes', message: 'empty' },
    ]);
  const bad = codes.filter((c) => !PURPOSE_RE.test(c) || c.length > 64);
  if (bad.length > 0)
    throw invalidInput(
      `purpose codes are lower-case snake_case of at most 64 characters (e.g. ticket_sale): ${bad.map((c) => JSON.stringify(c)).join(', ')}`,
      bad.map((c) => ({ field: 'purposes', message: `${c} is not snake_case` })),
    );
  return codes.sort();
};

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
  // Product rule 2: a relying party's code, name and legal basis are shown to subjects and kept in the audit log.
  refuseProtectedText(input.code, 'code', 'the files and the audit log');
  if (input.name !== undefined) refuseProtectedText(input.name, 'name', 'the files and the audit log');
  if (input.legalBasis !== undefined)
    refuseProtectedText(input.legalBasis, 'legal_basis', 'the files and the audit log');
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
  const purposes = purposeCodes(input.purposes);
  const dailyQuota = input.dailyQuota ?? DEFAULT_DAILY_QUOTA;
  if (!Number.isInteger(dailyQuota) || dailyQuota < 1 || dailyQuota > MAX_DAILY_QUOTA)
    throw invalidInput(`daily quota must be a whole number from 1 to ${MAX_DAILY_QUOTA}; got ${dailyQuota}`, [
      { field: 'daily_quota', message: 'out of range' },
    ]);
  const relyingParty = await ctx.store.insertRelyingParty(
    {
      code: input.code,
      kind: input.kind,
      name: input.name ?? input.code,
      legalBasis: input.legalBasis ?? 'as stated for each measure',
      measures: granted,
      purposes,
      dailyQuota,
    },
    ctx.clock.now().toISOString(),
    {
      actor: ctx.principal.id,
      role: ctx.principal.role,
      purpose: ctx.purpose,
      subjectId: null,
      action: 'relying_party.register',
      detail: `${input.code} ${input.kind} ${granted.join(',')} purposes=${purposes.join(',')} daily_quota=${dailyQuota}`,
      requestId: ctx.requestId,
    },
  );
  const { token } = await issueToken({
    ctx,
    input: { role: 'relying_party', ref: input.code, label: relyingParty.name },
  });
  return { relyingParty, token };
};

/**
 * Sets the purposes of a registered relying party (an operator's decision, audited): a party
 * registered before purposes existed has none, and every check of theirs is refused until then.
 */
export const setRelyingPartyPurposes = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { code: string; purposes: string[] };
}): Promise<RelyingPartyRow> => {
  requirePermission(ctx.principal, 'relying_parties.manage');
  const purposes = purposeCodes(input.purposes);
  const rp = await ctx.store.setRelyingPartyPurposes(input.code, purposes, ctx.clock.now().toISOString(), {
    actor: ctx.principal.id,
    role: ctx.principal.role,
    purpose: ctx.purpose,
    subjectId: null,
    action: 'relying_party.purposes',
    detail: `${input.code} purposes=${purposes.join(',')}`,
    requestId: ctx.requestId,
  });
  if (!rp) throw notFound(`no relying party with code "${input.code}"`);
  // This process sees the change at once; others within GRANT_TTL_MS.
  grantCache.get(ctx.store)?.delete(input.code);
  return rp;
};

export interface CheckAnswer {
  subject: string;
  applies: boolean;
  measure: string;
  reason_code: string;
  list: string | null;
  from: string | null;
  until: string | null;
  case_reference: string | null;
  /** Present when the entry that applies rests on a record under a pending objection. */
  contested?: true;
  check_id: string;
}

/**
 * The answers of one call, and the versions of the policies they were given and logged under (not
 * printed with the array: `checkBasis` names them once for the call).
 */
export type CheckAnswers = CheckAnswer[] & { readonly policies: CheckPolicies };

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

/** The measure a principal may check and, for a relying party, its registration; or a precise refusal. */
const grantedMeasure = async (ctx: Ctx, code: string, measures: MeasurePolicy, now: number) => {
  const p = ctx.principal;
  requirePermission(p, 'checks.run');
  const measure = measures.byCode.get(code);
  if (can(p, 'checks.run_any')) {
    if (!measure) throw notFound(`unknown measure "${code}"`);
    return { measure, rp: undefined };
  }
  // A relying party learns nothing from probing: a measure that does not exist is refused exactly
  // as one that exists and is not granted to it.
  const found = p.ref ? findGrants(ctx, p.ref, now) : undefined;
  const rp = found instanceof Promise ? await found : found;
  if (!measure || !rp?.measures.includes(code))
    throw forbidden(`measure ${code} is not granted to relying party ${p.ref}`);
  return { measure, rp };
};

/**
 * Checks counted per relying party (its actor) for the current day, per store in this process.
 * On first use on a day the counts are seeded from the check log (`countChecksSince`), so a
 * restart does not reset them; from then on this process counts what it answers. With several
 * processes serving one party at once, each counts its own checks on top of the log as it was
 * when it seeded, so the party may pass its quota by what the others answered since (at most one
 * quota per other process): an approximation kept so that a check needs no write or read of a
 * shared counter.
 */
interface QuotaDay {
  day: string;
  counts: Map<string, number> | undefined;
  seeding: Promise<Map<string, number>>;
}
const quotaDays = new WeakMap<object, QuotaDay>();
const quotaCounts = (
  ctx: Ctx,
  span: { day: string; from: number },
): Map<string, number> | Promise<Map<string, number>> => {
  const { day } = span;
  const kept = quotaDays.get(ctx.store);
  if (kept && kept.day === day) return kept.counts ?? kept.seeding;
  const q: QuotaDay = {
    day,
    counts: undefined,
    // From the day's first instant in the platform's zone, the day the counts are kept for.
    seeding: ctx.store.countChecksSince(new Date(span.from).toISOString()).then(
      (counts) => {
        q.counts = counts;
        return counts;
      },
      (e) => {
        if (quotaDays.get(ctx.store) === q) quotaDays.delete(ctx.store);
        throw e;
      },
    ),
  };
  quotaDays.set(ctx.store, q);
  return q.seeding;
};

/** Seconds from `now` to the start of the next day in the platform's zone, when a spent quota is new again. */
const secondsToNextDay = (now: Date, span: { until: number }): number =>
  Math.max(1, Math.ceil((span.until - now.getTime()) / 1000));

/**
 * Audits a refused check: who, the purpose given, the measure, why, and how many subjects it named
 * — never the identifiers, which would put guessed ones on file.
 */
const refuseCheck = async (
  ctx: Ctx,
  refusal: { measure: string; purpose: string | undefined; reason: string; subjects: number },
) => {
  await ctx.store.appendAudit(
    [
      {
        actor: ctx.principal.id,
        role: ctx.principal.role,
        purpose: refusal.purpose ?? '(none given)',
        subjectId: null,
        action: 'measure.check.refused',
        detail: JSON.stringify({
          measure: refusal.measure,
          purpose: refusal.purpose ?? null,
          reason: refusal.reason,
          subjects: refusal.subjects,
        }),
        requestId: ctx.requestId,
      },
    ],
    ctx.clock.now().toISOString(),
  );
};

/**
 * Checks one measure for up to 1,000 subjects, as of today, from the kept list entries and
 * grades. The check names one purpose (`input.purpose`, else a purpose the caller stated in ctx):
 * a relying party's must be one it was registered with. When the measure does not apply the answer
 * is the same whatever the reason, for a subject on file or not (`notApplicable`).
 */
export const checkMeasure = async ({
  ctx,
  input,
  measures,
  lists,
}: {
  ctx: Ctx;
  /** `subject` for a check of one (a refusal names no position), `subjects` for a batch. */
  input: { measure: string; purpose?: string } & ({ subjects: string[] } | { subject: string });
  measures: MeasurePolicy;
  /** The lists policy this process holds (the version logged until the store says another is in force). */
  lists: Pick<ListPolicy, 'version'>;
}): Promise<CheckAnswers> => {
  const subjects = 'subject' in input ? [input.subject] : input.subjects;
  const now = ctx.clock.now();
  const { measure, rp } = await grantedMeasure(ctx, input.measure, measures, now.getTime());
  if (subjects.length === 0)
    throw invalidInput('name at least one subject', [{ field: 'subjects', message: 'empty' }]);
  if (subjects.length > MAX_BATCH_CHECK) {
    throw invalidInput(`at most ${MAX_BATCH_CHECK} subjects per check; this one has ${subjects.length}`, [
      { field: 'subjects', message: `${subjects.length} subjects` },
    ]);
  }
  const purpose = input.purpose?.trim() || (ctx.purposeStated === false ? undefined : ctx.purpose);
  if (purpose === undefined || (rp !== undefined && !rp.purposes.includes(purpose))) {
    await refuseCheck(ctx, {
      measure: measure.code,
      purpose,
      reason: purpose === undefined ? 'no_purpose' : 'purpose_not_registered',
      subjects: subjects.length,
    });
    const registered = rp
      ? rp.purposes.length > 0
        ? `registered for ${rp.code}: ${rp.purposes.join(', ')}`
        : `${rp.code} has no purpose registered yet: an operator must set them`
      : 'any purpose, stated';
    throw invalidInput(
      purpose === undefined
        ? `name the purpose of this check (\`x-purpose\`, or \`purpose\` in a batch): ${registered}`
        : `purpose "${purpose}" is not ${rp ? `registered for ${rp.code}` : 'allowed'}: ${registered}`,
      [{ field: 'purpose', message: purpose === undefined ? 'missing' : 'not registered' }],
    );
  }
  const today = daySpanIn(ctx.clock, now);
  const asOf = today.day;
  const at = now.toISOString();
  const service = checkService(ctx.store, measures, lists);
  const identifiers = subjects.map((raw, i) => {
    const s = raw.trim().toUpperCase();
    // A subject held was checked when it was stored: its identifier needs no second look.
    if (service.subjectId(s) !== undefined) return s;
    for (const kind of ['person', 'organization', 'public_body'] as const) {
      const v = validateSubjectIdentifier(kind, s);
      if (v.ok) return v.identifier;
    }
    // A batch names the position of the subject refused; a check of one has none to name.
    const one = 'subject' in input;
    throw invalidInput(
      `${one ? '' : `subjects[${i}] `}"${raw}" is not a valid resident ID number or Unified Social Credit Code`,
      [{ field: one ? 'subject' : `subjects[${i}]`, message: 'invalid identifier' }],
    );
  });
  // A relying party's quota: every subject of a batch counts; the count is taken before the
  // answer (so concurrent requests cannot both pass it) and given back if the check fails.
  let counts: Map<string, number> | undefined;
  if (rp !== undefined) {
    const found = quotaCounts(ctx, today);
    counts = found instanceof Promise ? await found : found;
    const used = counts.get(ctx.principal.id) ?? 0;
    if (used + identifiers.length > rp.dailyQuota) {
      await refuseCheck(ctx, {
        measure: measure.code,
        purpose,
        reason: 'quota',
        subjects: identifiers.length,
      });
      throw rateLimited(
        `relying party ${rp.code} has used ${used} of its ${rp.dailyQuota} checks today` +
          (identifiers.length > 1 ? ` and this batch names ${identifiers.length}` : '') +
          `; the quota is new at midnight (${ctx.clock.timeZone ?? DEFAULT_TIME_ZONE})`,
        secondsToNextDay(now, today),
      );
    }
    counts.set(ctx.principal.id, used + identifiers.length);
  }
  // Every check goes to the check log, group-committed: the checks one relying party makes for one
  // purpose and commits together share one audit entry that commits to their content.
  const actor = { actor: ctx.principal.id, role: ctx.principal.role, purpose, requestId: null };
  const checked = service.check(
    identifiers,
    asOf,
    actor,
    at,
    (index, nextCheckId, policies) => {
      const m = index.measureIndex(measure.code);
      // Not enumerable: the array prints and compares as the answers alone.
      const answers = Object.defineProperty(new Array<CheckAnswer>(identifiers.length), 'policies', {
        value: policies,
      }) as CheckAnswers;
      const rows: CheckLogDraft[] = new Array(identifiers.length);
      for (let i = 0; i < identifiers.length; i++) {
        const identifier = identifiers[i]!;
        const check_id = nextCheckId();
        const id = service.subjectId(identifier);
        // A subject not on file gets the very answer of a subject on file to whom it does not apply.
        const a: CheckAnswer = {
          subject: identifier,
          ...(id === undefined ? notApplicable(measure.code) : index.check(id, m)!),
          check_id,
        };
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
    },
    ctx.credential,
  );
  if (counts === undefined) return checked;
  return checked.catch((e) => {
    counts.set(ctx.principal.id, Math.max(0, (counts.get(ctx.principal.id) ?? 0) - identifiers.length));
    throw e;
  });
};

/**
 * One CheckService per store and measure policy in this process: the API's checks and the
 * command line's share it, so both answer from the same index kept by the same change feed.
 */
const services = new WeakMap<object, CheckService>();
export const checkService = (
  store: Store,
  measures: MeasurePolicy,
  lists: Pick<ListPolicy, 'version'>,
): CheckService => {
  let s = services.get(store);
  if (!s || s.measures !== measures || s.policies.lists !== lists.version) {
    s = new CheckService(store, measures, lists);
    services.set(store, s);
  }
  return s;
};

/**
 * What a check answer rests on, the same for every subject of a call (product rule 5): the
 * measure's legal basis and the versions of the measures and lists policies the answers were
 * given under — those `checkMeasure` logged with them (`CheckAnswers.policies`: pass
 * `{ version: answers.policies.lists }`). Nothing about the subject (rule 10). Made once per
 * measure and pair of policies.
 */
export interface CheckBasis {
  legal_basis: string;
  measures_policy_version: string;
  lists_policy_version: string;
}
const bases = new WeakMap<MeasurePolicy, Map<string, CheckBasis>>();
export const checkBasis = (
  measures: MeasurePolicy,
  lists: Pick<ListPolicy, 'version'>,
  measure: string,
): CheckBasis => {
  let byKey = bases.get(measures);
  if (!byKey) {
    byKey = new Map();
    bases.set(measures, byKey);
  }
  const key = `${lists.version}\u0000${measure}`;
  let b = byKey.get(key);
  if (!b) {
    b = Object.freeze({
      legal_basis: measures.byCode.get(measure)?.legalBasis ?? '',
      measures_policy_version: measures.version,
      lists_policy_version: lists.version,
    });
    byKey.set(key, b);
  }
  return b;
};

/**
 * The registered relying parties, each with the checks it made today (the platform's zone): the count its daily
 * quota is held to, as this process counts it (see `quotaCounts`).
 */
export const listRelyingParties = async ({
  ctx,
}: {
  ctx: Ctx;
}): Promise<(RelyingPartyRow & { usedToday: number })[]> => {
  requirePermission(ctx.principal, 'relying_parties.read');
  const [rows, counts] = await Promise.all([
    ctx.store.listRelyingParties(),
    quotaCounts(ctx, daySpanIn(ctx.clock, ctx.clock.now())),
  ]);
  // A relying party's checks are counted under its principal (its credential's ref is its code).
  return rows.map((rp) => ({ ...rp, usedToday: counts.get(`relying_party:${rp.code}`) ?? 0 }));
};
