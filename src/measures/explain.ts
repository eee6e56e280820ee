/**
 * A logged check explained (product rule 5): what was answered, to whom, why and under which
 * policies, the list entry and records it rested on, and the answer recomputed as of the instant it
 * was given — records and bindings as known then, the lists, measures and scoring policies in force
 * then — with whether the two agree. For auditors (and operators) on any check, and for a subject on
 * a check of itself; never for a relying party (rule 10). Every explanation is audited on the
 * checked subject's trail (rule 9).
 */
import { can, requirePermission } from '../access/index.ts';
import type { Catalogue } from '../catalogue/index.ts';
import type { Ctx } from '../context.ts';
import { maskPersonalData } from '../identity/index.ts';
import {
  findListPolicyVersion,
  findMeasurePolicyVersion,
  type ListPolicy,
  listsPolicyInForce,
  type MeasurePolicy,
  recomputeAnswer,
} from '../lists/index.ts';
import { type ScoringPolicy, scoringPolicyAt } from '../scoring/index.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import type { LoggedCheck } from '../store/index.ts';

/** The audit action of an explanation, on the checked subject's trail. */
export const EXPLAIN_ACTION = 'measure.check.explain';

export interface ExplainDeps {
  catalogue: Catalogue;
  scoringPolicy: ScoringPolicy;
  lists: ListPolicy;
  measures: MeasurePolicy;
  calendar: WorkingCalendar;
}

export interface CheckExplanation {
  /** The check as the log keeps it, with its group's context. */
  check: {
    check_id: string;
    subject: string;
    at: string;
    /** The platform's day it was answered for. */
    day: string;
    /** The relying party's code; null for an operator's check. */
    relying_party: string | null;
    /** Who asked, by registered name. */
    who: string;
    role: string;
    purpose: string;
    measure: string;
    applies: boolean;
    reason_code: string;
    /** The audit entry that commits to it (its group), and that entry's leaf in the tree. */
    audit_seq: number;
    leaf_index: number | null;
  };
  /** What it was answered under, as logged with it. */
  basis: {
    measure_name: string;
    legal_basis: string;
    measures_policy_version: string;
    measures_policy_label: string | null;
    lists_policy_version: string;
    lists_policy_label: string | null;
  };
  /** The answer recomputed as of the instant it was given. */
  recomputed: {
    as_of: string;
    known_at: string;
    applies: boolean;
    reason_code: string;
    list: string | null;
    from: string | null;
    until: string | null;
    case_reference: string | null;
    contested?: true;
    /** The subject's grade then, for a grade-triggered measure. */
    grade: string | null;
  };
  /** Whether the recomputation gives the answer logged (applies and reason code). */
  agrees: boolean;
  /** The list entry the answer rested on (recomputed as known then); null when none. */
  entry: {
    list: string;
    /** Whose entry: the subject's own, or the organization that binds it. */
    of: 'subject' | 'bound_organization';
    status: string;
    from: string;
    until: string | null;
    reason_code: string;
    note: string;
  } | null;
  /** The entry's reason records as they were on file then, with their status now. */
  reason_records: {
    id: number;
    type: string;
    type_name: string;
    occurred_at: string;
    decided_at: string | null;
    recorded_at: string;
    case_reference: string | null;
    status_then: string;
    status_now: string | null;
  }[];
}

/**
 * The check `checkId` explained and recomputed. A subject may explain only a check of itself; a
 * relying party none. Reading another's check needs a stated purpose (it is shown to the subject).
 */
export const explainCheck = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { checkId: string };
  deps: ExplainDeps;
}): Promise<CheckExplanation> => {
  const p = ctx.principal;
  const any = can(p, 'checks.explain');
  if (!any) {
    if (!can(p, 'checks.explain_own')) requirePermission(p, 'checks.explain');
  } else if (ctx.purposeStated === false)
    throw invalidInput('say why you read this check: send `x-purpose` (it is shown to the subject)', [
      { field: 'x-purpose', message: 'missing' },
    ]);
  const checkId = input.checkId.trim().toLowerCase();
  const check = await ctx.store.findCheck(checkId);
  if (!check) throw notFound(`no check with ID ${input.checkId} in the check log`);
  // The subject it was about: on file then, or on file since under the identifier asked.
  const subject =
    check.subjectId !== null
      ? await ctx.store.findSubjectById(check.subjectId)
      : await ctx.store.findSubjectByIdentifier(check.subject);
  const identifier = subject?.identifier ?? check.subject;
  if (!any && p.ref !== identifier) throw forbidden('a subject may have explained only the checks of itself');
  if (!check.policies)
    throw notFound(`check ${checkId} was logged before the check log kept the policies of its answers`);

  const then = await policiesAt(ctx, check, deps);
  const measure = then.measures.byCode.get(check.measure);
  if (!measure)
    throw notFound(`measure ${check.measure} is not in the measures policy it was answered under`);
  const r = await recomputeAnswer({
    ctx,
    input: { subjectId: check.subjectId, measure, at: check.at },
    deps: {
      lists: then.lists,
      scoringPolicy: then.scoring,
      catalogue: deps.catalogue,
      calendar: deps.calendar,
    },
  });
  const now = await Promise.all(r.reasonRecords.map((rec) => ctx.store.findRecordById(rec.id)));
  const agrees = r.answer.applies === check.applies && r.answer.reason_code === check.reasonCode;
  const rp = check.role === 'relying_party' ? check.actor.slice(check.actor.indexOf(':') + 1) : null;
  const rpName = rp === null ? undefined : (await ctx.store.findRelyingPartyByCode(rp))?.name;

  await ctx.store.appendAudit(
    [
      {
        actor: p.id,
        role: p.role,
        purpose: ctx.purpose,
        subjectId: subject?.id ?? null,
        action: EXPLAIN_ACTION,
        detail: JSON.stringify({ check_id: checkId, audit_seq: check.auditSeq, agrees }),
        requestId: ctx.requestId,
      },
    ],
    ctx.clock.now().toISOString(),
  );

  return {
    check: {
      check_id: check.checkId,
      subject: identifier,
      at: check.at,
      day: r.asOf,
      relying_party: rp,
      who:
        rp !== null
          ? (rpName ?? 'A registered relying party')
          : check.role === 'operator'
            ? 'Credence operator'
            : check.role.replaceAll('_', ' '),
      role: check.role,
      purpose: check.purpose,
      measure: check.measure,
      applies: check.applies,
      reason_code: check.reasonCode,
      audit_seq: check.auditSeq,
      leaf_index: check.leafIndex,
    },
    basis: {
      measure_name: measure.name,
      legal_basis: measure.legalBasis,
      measures_policy_version: check.policies.measures,
      measures_policy_label: then.measuresLabel,
      lists_policy_version: check.policies.lists,
      lists_policy_label: then.listsLabel,
    },
    recomputed: {
      as_of: r.asOf,
      known_at: check.at,
      applies: r.answer.applies,
      reason_code: r.answer.reason_code,
      list: r.answer.list,
      from: r.answer.from,
      until: r.answer.until,
      case_reference: r.answer.case_reference,
      ...(r.answer.contested && { contested: true as const }),
      grade: measure.trigger.kind === 'lists' ? null : r.grade,
    },
    agrees,
    entry: r.entry
      ? {
          list: r.entry.list,
          of: r.entrySubjectId === check.subjectId ? 'subject' : 'bound_organization',
          status: r.entry.status,
          from: r.entry.from,
          until: r.entry.until,
          reason_code: r.entry.reason_code,
          note: r.entry.note,
        }
      : null,
    reason_records: r.reasonRecords.map((rec, i) => ({
      id: rec.id,
      type: rec.type,
      type_name: deps.catalogue.get(rec.type)?.name ?? rec.type,
      occurred_at: rec.occurredAt,
      decided_at: rec.decidedAt,
      recorded_at: rec.recordedAt,
      // As a check answer and the public lists show a case: a person's identifiers masked.
      case_reference: rec.evidence === null ? null : maskPersonalData(rec.evidence, { cards: false }),
      status_then: rec.status,
      status_now: now[i]?.status ?? null,
    })),
  };
};

/**
 * The policies a check was answered under: the measures and lists versions its group logged
 * (parsed from the texts the store keeps; the present ones when a text is not on file), the lists
 * with the terms in force at its instant, and the scoring policy in force then read with them.
 */
const policiesAt = async (ctx: Ctx, check: LoggedCheck, deps: ExplainDeps) => {
  const logged = check.policies!;
  const measures =
    logged.measures === deps.measures.version
      ? deps.measures
      : ((await findMeasurePolicyVersion(ctx.store, logged.measures)) ?? deps.measures);
  const listsThen = (await findListPolicyVersion(ctx.store, logged.lists)) ?? deps.lists;
  const lists = await listsPolicyInForce(ctx.store, ctx.clock, listsThen, check.at);
  const scoring = await scoringPolicyAt(
    ctx,
    check.at,
    { policy: deps.scoringPolicy, catalogue: deps.catalogue },
    lists,
  );
  return {
    measures,
    lists,
    scoring,
    measuresLabel: measures.version === logged.measures ? measures.label : null,
    listsLabel: listsThen.version === logged.lists ? listsThen.label : null,
  };
};
