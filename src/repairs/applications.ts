/**
 * Credit repair applications (product rule 6: repair is free and has published conditions; NDRC
 * Credit Repair Measures; Guobanfa [2025] No. 22): a subject applies to repair a negative record of
 * its own file with a public credit commitment and proof of performance, once the minimum period of
 * its class has passed; an operator gives feedback within 10 working days and decides within 3 more;
 * a granted repair stops the record counting, and the list display it caused stops at once (by 3
 * working days at the latest). Every step is audited and the subject is told.
 */
import { requirePermission } from '../access/index.ts';
import { type Catalogue, refuseProtectedText } from '../catalogue/index.ts';
import { type Ctx, dateIn, todayOf } from '../context.ts';
import {
  actorOf,
  auditReadsBySubject,
  type DueProcessPolicy,
  type EvidenceInput,
  writtenText,
} from '../due-process/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import { CredenceError, conflict, forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import type { RepairOutcome, RepairRow, RepairStatus, Store, SubjectRow } from '../store/index.ts';
import { repairEligibility } from './eligibility.ts';
import { checkProof } from './evidence.ts';

export interface RepairDeps {
  catalogue: Catalogue;
  dueProcess: DueProcessPolicy;
  calendar: WorkingCalendar;
}

/** Rescore and relist subjects after a decision (the platform's `refreshSubjects` as the due-process principal). */
export type Refresh = (subjectIds: number[]) => Promise<unknown>;

export const REPAIR_FILTERS = [
  'open',
  'pending',
  'accepted',
  'rejected',
  'granted',
  'refused',
  'all',
] as const;
export type RepairFilter = (typeof REPAIR_FILTERS)[number];
const MAX_PAGE = 500;

/** An application as the product shows it (API and CLI `--json` alike), with its clock. */
export interface RepairView {
  id: number;
  record_id: number;
  record: {
    type: string;
    type_name: string;
    source: string;
    source_record_id: string;
    occurred_at: string;
    decided_at: string | null;
    case_reference: string | null;
    status: string;
  };
  subject?: { identifier: string; name: string };
  status: RepairStatus;
  commitment: string;
  evidence: {
    text: string | null;
    attachments: { name: string; media_type: string; bytes: number; sha256: string }[];
  };
  applied_at: string;
  feedback_due: string;
  feedback: { accepted: boolean; message: string | null; at: string; by?: string | null } | null;
  decision_due: string | null;
  outcome: RepairOutcome | null;
  reasons: string | null;
  decided_at: string | null;
  decided_by?: string | null;
  /** The day the list display the record caused must have stopped, at the latest. */
  display_stop_due: string | null;
  /** The day the open step's clock runs out (feedback, then decision); null once decided. */
  due: string | null;
  /** Working days left on that clock (negative: overdue). */
  working_days_left: number | null;
  overdue: boolean;
}

const dayPlus = (calendar: WorkingCalendar, day: string, n: number) =>
  formatDay(calendar.addWorkingDays(parseDay(day), n));

/** The view of a row as of `today`; `operator` adds who the subject is and who acted. */
export const repairView = (
  r: RepairRow,
  today: string,
  calendar: WorkingCalendar,
  catalogue: Catalogue,
  operator: boolean,
): RepairView => {
  const due = r.status === 'pending' ? r.feedbackDue : r.status === 'accepted' ? r.decisionDue : null;
  const left = due === null ? null : calendar.workingDaysBetween(parseDay(today), parseDay(due));
  return {
    id: r.id,
    record_id: r.recordId,
    record: {
      type: r.record.type,
      type_name: catalogue.get(r.record.type)?.name ?? r.record.type,
      source: r.record.sourceCode,
      source_record_id: r.record.sourceRecordId,
      occurred_at: r.record.occurredAt,
      decided_at: r.record.decidedAt,
      case_reference: r.record.evidence,
      status: r.record.status,
    },
    ...(operator ? { subject: { identifier: r.subjectIdentifier, name: r.subjectName } } : {}),
    status: r.status,
    commitment: r.commitment,
    evidence: {
      text: r.evidenceText,
      attachments: r.attachments.map((a) => ({
        name: a.name,
        media_type: a.mediaType,
        bytes: a.bytes,
        sha256: a.sha256,
      })),
    },
    applied_at: r.appliedAt,
    feedback_due: r.feedbackDue,
    feedback:
      r.feedbackAt === null
        ? null
        : {
            accepted: r.status !== 'rejected',
            message: r.feedback,
            at: r.feedbackAt,
            ...(operator ? { by: r.feedbackBy } : {}),
          },
    decision_due: r.decisionDue,
    outcome: r.outcome,
    reasons: r.reasons,
    decided_at: r.decidedAt,
    ...(operator ? { decided_by: r.decidedBy } : {}),
    display_stop_due: r.displayStopDue,
    due,
    working_days_left: left,
    overdue: due !== null && today > due,
  };
};

/** The subject a subject principal stands for. */
const ownSubject = async (ctx: Ctx): Promise<SubjectRow> => {
  const ref = ctx.principal.ref;
  const subject = ref ? await ctx.store.findSubjectByIdentifier(ref) : undefined;
  if (!subject) throw forbidden('this credential names no subject on file');
  return subject;
};

const notify = async (ctx: Ctx, subjectId: number, kind: string, effective: string, message: string) =>
  ctx.store.addNotifications(
    [{ subjectId, kind, listCode: null, effective, message }],
    ctx.clock.now().toISOString(),
  );

const describe = (r: RepairRow, catalogue: Catalogue) =>
  `"${catalogue.get(r.record.type)?.name ?? r.record.type}" of ${r.record.decidedAt ?? r.record.occurredAt}` +
  (r.record.evidence ? ` (case ${r.record.evidence})` : '');

/**
 * A subject applies to repair a negative record of its own file. Refused (`conflict`) for a
 * positive record, an irreparable type, a record that no longer counts or is under objection, one
 * with an open application, and before the minimum period has passed — the refusal then names the
 * day it becomes eligible (also as the issue `eligible_from`).
 */
export const applyForRepair = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { recordId: number; commitment: string; evidence: EvidenceInput | null | undefined };
  deps: RepairDeps;
}): Promise<RepairView> => {
  requirePermission(ctx.principal, 'repairs.apply');
  const commitment = writtenText(input.commitment, 'commitment', 'a public credit commitment');
  const proof = checkProof(input.evidence, deps.dueProcess.objections.evidence);
  const subject = await ownSubject(ctx);
  const record = Number.isSafeInteger(input.recordId)
    ? await ctx.store.findRecordById(input.recordId)
    : undefined;
  if (!record || record.subjectId !== subject.id)
    throw notFound(`record ${input.recordId} is not in your file`);
  const today = todayOf(ctx.clock);
  const e = repairEligibility(record, deps.catalogue, deps.dueProcess);
  if (e.eligible_from === null) throw conflict(`record ${record.id} cannot be repaired: ${e.reason}`);
  if (record.status === 'disputed')
    throw conflict(
      `record ${record.id} is under objection: apply to repair it once the objection is decided`,
    );
  if (today < e.eligible_from)
    throw new CredenceError(
      'conflict',
      `record ${record.id} may be repaired from ${e.eligible_from}, not yet: ${e.reason}`,
      [{ field: 'eligible_from', message: e.eligible_from }],
    );
  const open = await ctx.store.repairs.listRepairs({
    recordId: record.id,
    statuses: ['pending', 'accepted'],
    limit: 1,
  });
  if (open.rows[0])
    throw conflict(`record ${record.id} already has an open repair application (${open.rows[0].id})`);
  const feedbackDue = dayPlus(deps.calendar, today, deps.dueProcess.repairs.feedbackWorkingDays);
  const at = ctx.clock.now().toISOString();
  const row = await ctx.store.repairs.applyRepair(
    {
      recordId: record.id,
      subjectId: subject.id,
      commitment,
      evidenceText: proof.text,
      appliedAt: at,
      feedbackDue,
    },
    proof.attachments,
    at,
    actorOf(ctx),
    { record_id: record.id, feedback_due: feedbackDue, attachments: proof.attachments.length },
  );
  await notify(
    ctx,
    subject.id,
    `repair.received#${row.id}`,
    today,
    `Your application to repair the record ${describe(row, deps.catalogue)} was received on ${today}; ` +
      `you will have feedback by ${feedbackDue}.`,
  );
  return repairView(row, today, deps.calendar, deps.catalogue, false);
};

const readAll = async (store: Store, subjectId: number): Promise<RepairRow[]> => {
  const out: RepairRow[] = [];
  let after: string | undefined;
  do {
    const page = await store.repairs.listRepairs({
      subjectId,
      limit: MAX_PAGE,
      ...(after ? { after } : {}),
    });
    out.push(...page.rows);
    after = page.next ?? undefined;
  } while (after);
  return out;
};

/** A subject's own applications with their clocks (the read is audited in its trail). */
export const listOwnRepairs = async ({
  ctx,
  deps,
}: {
  ctx: Ctx;
  deps: RepairDeps;
}): Promise<RepairView[]> => {
  requirePermission(ctx.principal, 'repairs.apply');
  const subject = await ownSubject(ctx);
  const rows = await readAll(ctx.store, subject.id);
  const now = ctx.clock.now();
  await ctx.store.appendAudit(
    [
      {
        ...actorOf(ctx),
        subjectId: subject.id,
        action: 'repair.read',
        detail: JSON.stringify({ repair_ids: rows.map((r) => r.id) }),
      },
    ],
    now.toISOString(),
  );
  return rows.map((r) => repairView(r, dateIn(ctx.clock, now), deps.calendar, deps.catalogue, false));
};

/**
 * A subject's repair applications with their clocks as its file shows them (no staff names); the
 * caller's read of the file is audited, so this read adds no entry of its own.
 */
export const repairsInFile = async (
  store: Store,
  subjectId: number,
  today: string,
  deps: { calendar: WorkingCalendar; catalogue: Catalogue },
): Promise<RepairView[]> => {
  const rows = await readAll(store, subjectId);
  return rows.map((r) => repairView(r, today, deps.calendar, deps.catalogue, false));
};

const statusesOf = (f: RepairFilter): RepairStatus[] | undefined =>
  f === 'all' ? undefined : f === 'open' ? ['pending', 'accepted'] : [f];

/**
 * The operator's queue: open applications first, by the day their clock runs out (so the overdue
 * lead), then closed ones. Every read is audited in the subjects' trails.
 */
export const listRepairs = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { status?: string | undefined; limit?: number | undefined; after?: string | undefined };
  deps: RepairDeps;
}): Promise<{ repairs: RepairView[]; next: string | null }> => {
  requirePermission(ctx.principal, 'repairs.read');
  const status = input.status ?? 'open';
  if (!(REPAIR_FILTERS as readonly string[]).includes(status))
    throw invalidInput(`status must be one of ${REPAIR_FILTERS.join(', ')}`, [
      { field: 'status', message: `unknown status ${status}` },
    ]);
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw invalidInput(`limit must be a whole number from 1 to ${MAX_PAGE}`, [
      { field: 'limit', message: `${limit}` },
    ]);
  const statuses = statusesOf(status as RepairFilter);
  const page = await ctx.store.repairs.listRepairs({
    ...(statuses ? { statuses } : {}),
    limit,
    ...(input.after ? { after: input.after } : {}),
  });
  const now = ctx.clock.now();
  await auditReadsBySubject(ctx, page.rows, 'repair.read', 'repair_ids', now.toISOString());
  return {
    repairs: page.rows.map((r) => repairView(r, dateIn(ctx.clock, now), deps.calendar, deps.catalogue, true)),
    next: page.next,
  };
};

const getOrThrow = async (ctx: Ctx, id: number): Promise<RepairRow> => {
  const row = Number.isSafeInteger(id) ? await ctx.store.repairs.findRepair(id) : undefined;
  if (!row) throw notFound(`no repair application ${id}`);
  return row;
};

/** One application (operator, auditor), its read audited. */
export const getRepair = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number };
  deps: RepairDeps;
}): Promise<RepairView> => {
  requirePermission(ctx.principal, 'repairs.read');
  const row = await getOrThrow(ctx, input.id);
  const now = ctx.clock.now();
  await ctx.store.appendAudit(
    [
      {
        ...actorOf(ctx),
        subjectId: row.subjectId,
        action: 'repair.read',
        detail: JSON.stringify({ repair_ids: [row.id] }),
      },
    ],
    now.toISOString(),
  );
  return repairView(row, dateIn(ctx.clock, now), deps.calendar, deps.catalogue, true);
};

/** One attachment of an application (operator, auditor), its read audited. */
export const getRepairAttachment = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; index: number };
}) => {
  requirePermission(ctx.principal, 'repairs.read');
  const row = await getOrThrow(ctx, input.id);
  const file = Number.isSafeInteger(input.index)
    ? await ctx.store.repairs.findRepairAttachment(row.id, input.index)
    : undefined;
  if (!file) throw notFound(`repair application ${row.id} has no attachment ${input.index}`);
  await ctx.store.appendAudit(
    [
      {
        ...actorOf(ctx),
        subjectId: row.subjectId,
        action: 'repair.read',
        detail: JSON.stringify({ repair_ids: [row.id], attachment: input.index }),
      },
    ],
    ctx.clock.now().toISOString(),
  );
  return file;
};

/**
 * Feedback on a pending application (due within the feedback working days): accepted starts the
 * decision clock; rejected closes the application (the subject may apply again).
 */
export const giveRepairFeedback = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number; accepted: boolean; message: string };
  deps: RepairDeps;
}): Promise<RepairView> => {
  requirePermission(ctx.principal, 'repairs.decide');
  const message = writtenText(input.message, 'message', 'feedback');
  // Product rule 2: an operator's words are kept on file and in the audit log (the subject's own
  // commitment is not screened).
  refuseProtectedText(message, 'message', 'the files and the audit log');
  const row = await getOrThrow(ctx, input.id);
  if (row.status !== 'pending')
    throw conflict(
      `repair application ${row.id} is ${row.status}: feedback is given once, while it is pending`,
    );
  const today = todayOf(ctx.clock);
  const decisionDue = input.accepted
    ? dayPlus(deps.calendar, today, deps.dueProcess.repairs.decisionWorkingDays)
    : null;
  const done = await ctx.store.repairs.giveRepairFeedback(
    { id: row.id, accepted: input.accepted, message, by: ctx.principal.id, decisionDue },
    ctx.clock.now().toISOString(),
    actorOf(ctx),
    {
      record_id: row.recordId,
      accepted: input.accepted,
      message,
      decision_due: decisionDue,
      on_time: today <= row.feedbackDue,
    },
  );
  if (!done) throw conflict(`repair application ${row.id} was answered meanwhile`);
  await notify(
    ctx,
    row.subjectId,
    `repair.feedback#${row.id}`,
    today,
    input.accepted
      ? `Your application to repair the record ${describe(row, deps.catalogue)} was accepted on ${today}: ` +
          `a decision is due by ${decisionDue}. ${message}`
      : `Your application to repair the record ${describe(row, deps.catalogue)} was not accepted: ${message} ` +
          'You may apply again with what is missing.',
  );
  return repairView(done, today, deps.calendar, deps.catalogue, true);
};

/**
 * Decides an open application (from pending, the feedback is given with the decision). Granted:
 * the record is repaired — it stops counting, and the refresh recomputes scores, list entries and
 * the check index at once (list display must have stopped by `display_stop_due`). Refused: the
 * reasons. The subject is told either way.
 */
export const decideRepair = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number; outcome: RepairOutcome; reasons: string };
  deps: RepairDeps & { refresh: Refresh };
}): Promise<RepairView> => {
  requirePermission(ctx.principal, 'repairs.decide');
  if (input.outcome !== 'granted' && input.outcome !== 'refused')
    throw invalidInput('outcome must be granted or refused', [
      { field: 'outcome', message: `${input.outcome}` },
    ]);
  const reasons = writtenText(input.reasons, 'reasons', 'the reasons for the decision');
  refuseProtectedText(reasons, 'reasons', 'the files and the audit log');
  const row = await getOrThrow(ctx, input.id);
  if (row.status !== 'pending' && row.status !== 'accepted')
    throw conflict(`repair application ${row.id} is already ${row.status}`);
  const granted = input.outcome === 'granted';
  if (granted && row.record.status !== 'active')
    throw conflict(
      `record ${row.recordId} is ${row.record.status}, no longer active: the application can only be refused`,
    );
  const today = todayOf(ctx.clock);
  const displayStopDue = granted
    ? dayPlus(deps.calendar, today, deps.dueProcess.repairs.displayStopWorkingDays)
    : null;
  const done = await ctx.store.repairs.decideRepair(
    {
      id: row.id,
      outcome: input.outcome,
      reasons,
      by: ctx.principal.id,
      displayStopDue,
      ...(granted ? { repairedStatus: 'repaired' } : {}),
    },
    ctx.clock.now().toISOString(),
    actorOf(ctx),
    {
      record_id: row.recordId,
      outcome: input.outcome,
      reasons,
      display_stop_due: displayStopDue,
      on_time: today <= (row.decisionDue ?? row.feedbackDue),
    },
  );
  if (!done) throw conflict(`repair application ${row.id} was decided meanwhile`);
  if (granted) await deps.refresh([row.subjectId]);
  await notify(
    ctx,
    row.subjectId,
    `repair.${input.outcome}#${row.id}`,
    today,
    granted
      ? `Your record ${describe(row, deps.catalogue)} is repaired as of ${today}: it no longer counts, and any ` +
          `list display it caused stops (by ${displayStopDue} at the latest). ${reasons}`
      : `Your application to repair the record ${describe(row, deps.catalogue)} was refused: ${reasons}`,
  );
  return repairView(done, today, deps.calendar, deps.catalogue, true);
};
