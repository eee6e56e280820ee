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
import { type Ctx, dateIn } from '../context.ts';
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
import { invalidInput, notFound } from '../shared/errors.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import { checkKeyOf, type LoggedCheck } from '../store/index.ts';

/** The audit action of an explanation, on the checked subject's trail. */
export const EXPLAIN_ACTION = 'measure.check.explain';
/** The audit action of an explanation refused to a subject (not found, or not its own), on the platform's trail. */
export const EXPLAIN_REFUSED_ACTION = 'measure.check.explain.refused';

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
    /** From the measures policy logged; null when that version's text is not on file. */
    measure_name: string | null;
    legal_basis: string | null;
    measures_policy_version: string;
    measures_policy_label: string | null;
    lists_policy_version: string;
    lists_policy_label: string | null;
  };
  /**
   * The answer recomputed as of the instant it was given; null when it cannot be (a policy's text
   * is not on file: `note` says which).
   */
  recomputed: {
    as_of: string;
    known_at: string;
    /** The measures policy recomputed under: the version logged. */
    measures_policy_version: string;
    /** The lists policy recomputed under: the version in force at the instant (`policy_periods`). */
    lists_policy_version: string;
    applies: boolean;
    reason_code: string;
    list: string | null;
    from: string | null;
    until: string | null;
    case_reference: string | null;
    contested?: true;
    /** The subject's grade then, for a grade-triggered measure. */
    grade: string | null;
  } | null;
  /** Whether the recomputation gives the answer logged (applies and reason code); null: not recomputed. */
  agrees: boolean | null;
  /**
   * Whether the lists policy logged with the check is not the one in force at its instant by the
   * store's policy periods (a process answering under a version superseded meanwhile).
   */
  version_mismatch: boolean;
  /** Why the explanation is not plain: a version mismatch, or why it was not recomputed. */
  note: string | null;
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
  // An ID not of the form made since migration 0028 (a random UUID) names no group: such a check
  // may be in the log, but cannot be found by its ID. Said from the ID's shape alone.
  if (checkKeyOf(checkId) === undefined)
    throw notFound(
      `check ID ${input.checkId} is not of the form given since checks could be explained: a check logged ` +
        'before then stays in the check log (and its audit entry) but cannot be explained by its ID',
    );
  const check = await ctx.store.findCheck(checkId);
  // The subject it was about: on file then, or on file since under the identifier asked.
  const subject = !check
    ? undefined
    : check.subjectId !== null
      ? await ctx.store.findSubjectById(check.subjectId)
      : await ctx.store.findSubjectByIdentifier(check.subject);
  const identifier = subject?.identifier ?? check?.subject;
  // A subject is told the same of another's check as of one that does not exist (rule 10): a
  // different answer would let it count the checks of a batch by probing. The probe is audited on
  // the platform's trail (not the other subject's: it learnt nothing of it).
  if (!check || (!any && p.ref !== identifier)) {
    if (!any)
      await ctx.store.appendAudit(
        [
          {
            actor: p.id,
            role: p.role,
            purpose: ctx.purpose,
            subjectId: null,
            action: EXPLAIN_REFUSED_ACTION,
            detail: JSON.stringify({ check_id: checkId, reason: check ? 'not_own' : 'unknown' }),
            requestId: ctx.requestId,
          },
        ],
        ctx.clock.now().toISOString(),
      );
    throw notFound(`no check with ID ${input.checkId} in the check log${any ? '' : ' about you'}`);
  }
  if (!check.policies)
    throw notFound(`check ${checkId} was logged before the check log kept the policies of its answers`);
  const logged = check.policies;

  const then = await policiesAt(ctx, check, deps);
  const measure = then.measures?.byCode.get(check.measure);
  if (then.measures && !measure)
    throw notFound(`measure ${check.measure} is not in the measures policy it was answered under`);
  const r =
    then.refused === undefined && measure
      ? await recomputeAnswer({
          ctx,
          input: { subjectId: check.subjectId, measure, at: check.at },
          deps: {
            lists: then.lists!,
            scoringPolicy: then.scoring!,
            catalogue: deps.catalogue,
            calendar: deps.calendar,
          },
        })
      : undefined;
  const now = r ? await Promise.all(r.reasonRecords.map((rec) => ctx.store.findRecordById(rec.id))) : [];
  const agrees = r ? r.answer.applies === check.applies && r.answer.reason_code === check.reasonCode : null;
  const mismatch = then.listsVersion !== undefined && then.listsVersion !== logged.lists;
  const note =
    then.refused ??
    (mismatch
      ? `logged under lists policy ${short(logged.lists)}, but lists policy ${short(then.listsVersion!)} was in ` +
        'force at that instant by the store’s policy periods (a process answering under a superseded version): ' +
        'recomputed under the one in force'
      : null);
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
      subject: identifier!,
      at: check.at,
      day: r?.asOf ?? dateIn(ctx.clock, new Date(check.at)),
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
      measure_name: measure?.name ?? null,
      legal_basis: measure?.legalBasis ?? null,
      measures_policy_version: logged.measures,
      measures_policy_label: then.measuresLabel,
      lists_policy_version: logged.lists,
      lists_policy_label: then.listsLabel,
    },
    recomputed: r
      ? {
          as_of: r.asOf,
          known_at: check.at,
          measures_policy_version: logged.measures,
          lists_policy_version: then.listsVersion!,
          applies: r.answer.applies,
          reason_code: r.answer.reason_code,
          list: r.answer.list,
          from: r.answer.from,
          until: r.answer.until,
          case_reference: r.answer.case_reference,
          ...(r.answer.contested && { contested: true as const }),
          grade: measure!.trigger.kind === 'lists' ? null : r.grade,
        }
      : null,
    agrees,
    version_mismatch: mismatch,
    note,
    entry: r?.entry
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
    reason_records: (r?.reasonRecords ?? []).map((rec, i) => ({
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

const short = (version: string) => version.slice(0, 12);

/**
 * The policies a check is recomputed under: the measures version its group logged, and the lists
 * version in force at its instant by the store's policy periods (the one the entries it was answered
 * from were kept under, whatever the answering process held), each parsed from the text the store
 * keeps, the lists with the terms in force then, and the scoring policy in force then read with
 * them. When a text is not on file (or no longer parses) nothing is recomputed: `refused` says why
 * — an answer recomputed under another version would explain nothing.
 */
const policiesAt = async (
  ctx: Ctx,
  check: LoggedCheck,
  deps: ExplainDeps,
): Promise<{
  measures?: MeasurePolicy;
  lists?: ListPolicy;
  scoring?: ScoringPolicy;
  listsVersion?: string;
  measuresLabel: string | null;
  listsLabel: string | null;
  refused?: string;
}> => {
  const logged = check.policies!;
  const measures =
    logged.measures === deps.measures.version
      ? deps.measures
      : await findMeasurePolicyVersion(ctx.store, logged.measures);
  const listsLogged = await findListPolicyVersion(ctx.store, logged.lists);
  const measuresLabel = measures?.label ?? null;
  const listsLabel = listsLogged?.label ?? (logged.lists === deps.lists.version ? deps.lists.label : null);
  if (!measures)
    return {
      measuresLabel,
      listsLabel,
      refused: `not recomputed: the text of measures policy ${short(logged.measures)}, which it was answered under, is not on file (or no longer valid)`,
    };
  const until = Date.parse(check.at);
  let listsVersion = logged.lists;
  for (const period of await ctx.store.listPolicyPeriods('lists'))
    if (Date.parse(period.from) <= until) listsVersion = period.version;
  const listsThen =
    listsVersion === logged.lists ? listsLogged : await findListPolicyVersion(ctx.store, listsVersion);
  if (!listsThen)
    return {
      measures,
      listsVersion,
      measuresLabel,
      listsLabel,
      refused: `not recomputed: the text of lists policy ${short(listsVersion)}, in force when it was answered, is not on file (or no longer valid)`,
    };
  const lists = await listsPolicyInForce(ctx.store, ctx.clock, listsThen, check.at);
  const scoring = await scoringPolicyAt(
    ctx,
    check.at,
    { policy: deps.scoringPolicy, catalogue: deps.catalogue },
    lists,
  );
  return { measures, lists, scoring, listsVersion, measuresLabel, listsLabel };
};
