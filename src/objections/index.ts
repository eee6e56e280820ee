/**
 * Objections capability (product rule 6, contestable): a subject objects to a record of its file
 * (or a person to a binding that names it as an organization's legal representative, principal
 * responsible person or actual controller: `fileBindingObjection`) with a reason and evidence;
 * the record or binding is flagged at once and a review clock starts (20 days,
 * 15 for court-list records; the source is told within 5 working days);
 * an operator decides with written reasons — the record confirmed, corrected or removed — and the
 * subject may appeal once (SPC 2017 Art. 12). Every step is audited in the subject's trail and
 * notified to it, and every change to the record flows through scores, lists and measures at once
 * (`deps.refresh`). Whether a flagged record keeps counting is the catalogue's `while_disputed`.
 */

import { hash } from 'node:crypto';
import { can, requirePermission } from '../access/index.ts';
import { type Catalogue, refuseProtectedText } from '../catalogue/index.ts';
import { type Clock, type Ctx, dateIn } from '../context.ts';
import {
  actorOf,
  auditReadsBySubject,
  checkEvidence,
  DUE_PROCESS_PRINCIPAL,
  type DueProcessPolicy,
  type EvidenceInput,
  reviewDaysFor,
  writtenText,
} from '../due-process/index.ts';
import { countsWhileDisputed } from '../scoring/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import { conflict, forbidden, invalidInput, notFound } from '../shared/errors.ts';
import type { WorkingCalendar } from '../shared/working-days.ts';
import type {
  BindingRow,
  ObjectionBindingChange,
  ObjectionOutcome,
  ObjectionRecordChange,
  ObjectionRow,
  ObjectionStatus,
  RecordRow,
  Store,
  SubjectRow,
} from '../store/index.ts';
import { type BindingCorrection, bindingLabel, correctedDays, roleWords } from './binding.ts';
import { type Correction, correctedContent } from './correction.ts';

export type { ObjectionKind, ObjectionOutcome, ObjectionStatus } from '../store/index.ts';
export type { BindingCorrection } from './binding.ts';
export { CORRECTION_FIELDS, type Correction } from './correction.ts';

/** The outcomes of an objection to a record, and of one to a binding. */
export const RECORD_OUTCOMES = ['record_confirmed', 'record_corrected', 'record_removed'] as const;
export const BINDING_OUTCOMES = ['binding_confirmed', 'binding_corrected', 'binding_removed'] as const;
export const OBJECTION_OUTCOMES = [...RECORD_OUTCOMES, ...BINDING_OUTCOMES] as const;
/** What a queue can be asked for: one status, the open ones (pending and appealed), or all. */
export const OBJECTION_FILTERS = ['open', 'pending', 'decided', 'appealed', 'appeal_decided', 'all'] as const;
export type ObjectionFilter = (typeof OBJECTION_FILTERS)[number];
export const MAX_PAGE = 200;

export interface ObjectionDeps {
  catalogue: Catalogue;
  /** The scoring policy's default for a disputed record whose type does not say. */
  disputedCounts: boolean;
  policy: DueProcessPolicy['objections'];
  calendar: WorkingCalendar;
  /**
   * Rescore and relist these subjects after a change to a record, so that the next check already
   * sees it (the platform's `refreshSubjects` under the due-process principal).
   */
  refresh(subjectIds: number[]): Promise<unknown>;
}

/** An objection with its clocks as of today. */
export interface ObjectionView extends ObjectionRow {
  /** Whether the clock running now (the review, or the appeal's) has run out. */
  overdue: boolean;
  sourceNoticeOverdue: boolean;
  /** The last day to appeal a decision (null: not decided yet). */
  appealWindowEnds: string | null;
  /** Whether the subject may appeal today. */
  appealable: boolean;
}

/** The platform's calendar day of an instant (its time zone, as "today" is counted). */
const dayIn = (clock: Clock, instant: string) => dateIn(clock, new Date(instant));
const addDays = (day: string, n: number) => formatDay(parseDay(day) + n);

const viewOf = (
  o: ObjectionRow,
  today: string,
  policy: DueProcessPolicy['objections'],
  clock: Clock,
): ObjectionView => {
  // Counted from the decision's day in the platform's zone, as `today` is: a decision at 07:30 in
  // Beijing is that day's, not the day before's (its UTC date).
  const appealWindowEnds = o.decidedAt ? addDays(dayIn(clock, o.decidedAt), policy.appealWindowDays) : null;
  return {
    ...o,
    overdue:
      (o.status === 'pending' && today > o.dueDay) ||
      (o.status === 'appealed' && o.appealDue !== null && today > o.appealDue),
    sourceNoticeOverdue: o.sourceNotifiedAt === null && today > o.sourceNoticeDue,
    appealWindowEnds,
    appealable: o.status === 'decided' && appealWindowEnds !== null && today <= appealWindowEnds,
  };
};

/** The subject a subject's credential stands for. */
const ownSubject = async (ctx: Ctx): Promise<SubjectRow> => {
  const ref = ctx.principal.ref;
  const s = ref ? await ctx.store.findSubjectByIdentifier(ref) : undefined;
  if (!s) throw notFound('this credential names no subject the platform knows');
  return s;
};

/** The subject's own objection, or 404 (never telling whether another's exists). */
const ownObjection = async (ctx: Ctx, subject: SubjectRow, id: number): Promise<ObjectionRow> => {
  const o = await ctx.store.objections.findObjection(id);
  if (!o || o.subjectId !== subject.id) throw notFound(`you have no objection #${id}`);
  return o;
};

/**
 * What the audit log keeps of a subject's own words (a reason, an appeal): their SHA-256, which
 * commits to the text kept with the objection, never the text itself. The log is append-only and
 * kept for good; what a subject wrote about itself (an illness, a hardship) must stay correctable
 * and erasable with the objection (product rule 2).
 */
const textDigest = (text: string) => hash('sha256', text, 'hex');

/** What an audit entry keeps of the evidence's files: their names, sizes and digests. */
const attachmentsDetail = (files: readonly { name: string; bytes: number; sha256: string }[]) =>
  files.map((a) => ({ name: a.name, bytes: a.bytes, sha256: a.sha256 }));

const recordLabel = (r: { type: string; evidence: string | null }, catalogue: Catalogue) =>
  `"${catalogue.get(r.type)?.name ?? r.type}"${r.evidence ? ` (${r.evidence})` : ''}`;

/** What an objection is about, in words: the record, or the binding. */
const subjectOfDispute = (o: ObjectionRow, catalogue: Catalogue) =>
  o.record ? `the record ${recordLabel(o.record, catalogue)}` : `your binding as ${bindingLabel(o.binding!)}`;

export interface FileObjectionInput {
  recordId: number;
  reason: string;
  evidence?: EvidenceInput | null | undefined;
}

/** A subject objects to a record of its own file: flagged at once, the clock started. */
export const fileObjection = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: FileObjectionInput;
  deps: ObjectionDeps;
}): Promise<ObjectionView> => {
  requirePermission(ctx.principal, 'objections.file');
  const subject = await ownSubject(ctx);
  const reason = writtenText(input.reason, 'reason', 'the reason for an objection');
  const evidence = checkEvidence(input.evidence, deps.policy.evidence);
  const record = await ctx.store.findRecordById(input.recordId);
  if (!record || record.subjectId !== subject.id)
    throw notFound(`there is no record ${input.recordId} in your file`);
  if (record.status === 'withdrawn')
    throw conflict(
      `record ${record.id} was withdrawn${record.revisedAt ? ` on ${dayIn(ctx.clock, record.revisedAt)}` : ''}: it is no longer held against you, so there is nothing to object to`,
    );
  // A repaired or archived record no longer counts: flagging it would make a type that binds while
  // disputed count again, so there is nothing an objection could lift.
  if (record.status === 'repaired' || record.status === 'expired')
    throw conflict(
      `record ${record.id} is ${record.status === 'repaired' ? 'repaired' : 'archived'}: it no longer counts against you, so there is nothing to object to`,
    );
  const now = ctx.clock.now();
  const at = now.toISOString();
  const today = dateIn(ctx.clock, now);
  const earlier = (await ctx.store.objections.listObjections({ recordId: record.id, limit: MAX_PAGE })).rows;
  const open = earlier.find((o) => o.status === 'pending' || o.status === 'appealed');
  if (open)
    throw conflict(
      open.status === 'pending'
        ? `record ${record.id} is already under your objection #${open.id}, to be decided by ${open.dueDay}`
        : `record ${record.id} is already under appeal (objection #${open.id}), to be decided by ${open.appealDue}`,
    );
  // An objection filed only to gain time must not lift a restriction again: once a decision
  // confirmed the record as it stands, the way on is the appeal, not a new objection.
  for (const o of earlier) {
    const final = o.appealOutcome ?? o.outcome;
    const decidedAt = o.appealDecidedAt ?? o.decidedAt;
    if (final !== 'record_confirmed' || !decidedAt || (record.revisedAt && record.revisedAt > decidedAt))
      continue;
    const v = viewOf(o, today, deps.policy, ctx.clock);
    throw conflict(
      v.appealable
        ? `record ${record.id} was confirmed on ${dayIn(ctx.clock, decidedAt)} on your objection #${o.id}: appeal that decision by ${v.appealWindowEnds} instead of objecting again`
        : `record ${record.id} was confirmed on ${dayIn(ctx.clock, decidedAt)} on your objection #${o.id}, and that decision is final; a new objection needs a change to the record`,
    );
  }
  const item = deps.catalogue.get(record.type);
  const counts = item ? countsWhileDisputed(item, deps.disputedCounts) : deps.disputedCounts;
  const day = parseDay(today);
  const dueDay = formatDay(day + reviewDaysFor(record.type, deps.catalogue, deps.policy));
  const sourceNoticeDue = formatDay(deps.calendar.addWorkingDays(day, deps.policy.sourceNoticeWorkingDays));
  const row = await ctx.store.objections.fileObjection(
    {
      recordId: record.id,
      subjectId: subject.id,
      reason,
      evidenceText: evidence.text,
      countsWhilePending: counts,
      filedAt: at,
      dueDay,
      sourceNoticeDue,
    },
    evidence.attachments,
    {
      recordId: record.id,
      change: 'dispute',
      status: 'disputed',
      // The record's history is kept for good: it names the objection, never the subject's words
      // (kept with the objection only, as `textDigest` says).
      reason: (id) => `objection #${id} by the subject`,
    },
    at,
    actorOf(ctx),
    {
      record_id: record.id,
      reason_sha256: textDigest(reason),
      due: dueDay,
      source_notice_due: sourceNoticeDue,
      counts_while_pending: counts,
      attachments: attachmentsDetail(evidence.attachments),
    },
  );
  await ctx.store.addNotifications(
    [
      {
        subjectId: subject.id,
        kind: `objection.filed#${row.id}`,
        listCode: null,
        effective: today,
        message:
          `Your objection #${row.id} to the record ${recordLabel(record, deps.catalogue)} was received on ${today}. ` +
          `The record is marked as disputed in your file and in every view of it. ` +
          (counts
            ? 'It keeps counting until the objection is decided: the rules for this type of record say that a decision of an authority binds until it is corrected. '
            : 'It does not count while your objection is pending. ') +
          `A written decision is due by ${dueDay}; the source will be told by ${sourceNoticeDue}.`,
      },
    ],
    at,
  );
  await deps.refresh([subject.id]);
  return viewOf(row, today, deps.policy, ctx.clock);
};

export interface FileBindingObjectionInput {
  bindingId: number;
  reason: string;
  evidence?: EvidenceInput | null | undefined;
}

/**
 * A binding that names this person as the bound one (withdrawn ones too), or 404 without telling
 * whether a binding of that number exists for someone else.
 */
const ownBinding = async (ctx: Ctx, personId: number, bindingId: number): Promise<BindingRow> => {
  const b = (
    await ctx.store.listBindings({ personIds: [personId], withSuspended: true, withWithdrawn: true })
  ).find((x) => x.id === bindingId);
  if (!b) throw notFound(`no binding ${bindingId} in your file`);
  return b;
};

/**
 * A person objects to a binding that names it (legal representative, principal responsible
 * person, actual controller of an organization or public body): wrongly recorded, or recorded with
 * the wrong days. The same due process as a record's: flagged at once (`disputed_by`), the review
 * clock (the default review days: a binding triggers no list of its own), the registration
 * authority told within the notice's working days, a decision with written reasons, one appeal.
 * Whether it keeps binding meanwhile is the due-process policy's `bindings_while_disputed`.
 */
export const fileBindingObjection = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: FileBindingObjectionInput;
  deps: ObjectionDeps;
}): Promise<ObjectionView> => {
  requirePermission(ctx.principal, 'objections.file');
  const subject = await ownSubject(ctx);
  const reason = writtenText(input.reason, 'reason', 'the reason for an objection');
  const evidence = checkEvidence(input.evidence, deps.policy.evidence);
  const binding = await ownBinding(ctx, subject.id, input.bindingId);
  if (binding.withdrawnAt)
    throw conflict(
      `binding ${binding.id} was withdrawn on ${dayIn(ctx.clock, binding.withdrawnAt)}: it no longer binds you, so there is nothing to object to`,
    );
  const now = ctx.clock.now();
  const at = now.toISOString();
  const today = dateIn(ctx.clock, now);
  const earlier = (
    await ctx.store.objections.listObjections({
      subjectId: subject.id,
      bindingId: binding.id,
      limit: MAX_PAGE,
    })
  ).rows;
  const open = earlier.find((o) => o.status === 'pending' || o.status === 'appealed');
  if (open)
    throw conflict(
      open.status === 'pending'
        ? `binding ${binding.id} is already under your objection #${open.id}, to be decided by ${open.dueDay}`
        : `binding ${binding.id} is already under appeal (objection #${open.id}), to be decided by ${open.appealDue}`,
    );
  // As for a record: once a decision confirmed the binding, the way on is the appeal.
  for (const o of earlier) {
    const final = o.appealOutcome ?? o.outcome;
    const decidedAt = o.appealDecidedAt ?? o.decidedAt;
    if (final !== 'binding_confirmed' || !decidedAt) continue;
    const v = viewOf(o, today, deps.policy, ctx.clock);
    throw conflict(
      v.appealable
        ? `binding ${binding.id} was confirmed on ${dayIn(ctx.clock, decidedAt)} on your objection #${o.id}: appeal that decision by ${v.appealWindowEnds} instead of objecting again`
        : `binding ${binding.id} was confirmed on ${dayIn(ctx.clock, decidedAt)} on your objection #${o.id}, and that decision is final`,
    );
  }
  const organization = await ctx.store.findSubjectById(binding.organizationId);
  if (!organization) throw notFound(`the organization of binding ${binding.id} is gone`);
  const binds = deps.policy.bindingsWhileDisputed;
  const day = parseDay(today);
  const dueDay = formatDay(day + deps.policy.reviewDays);
  const sourceNoticeDue = formatDay(deps.calendar.addWorkingDays(day, deps.policy.sourceNoticeWorkingDays));
  const label = bindingLabel({
    role: binding.role,
    organizationName: organization.name,
    organizationIdentifier: organization.identifier,
  });
  const row = await ctx.store.objections.fileBindingObjection(
    {
      bindingId: binding.id,
      organizationId: binding.organizationId,
      subjectId: subject.id,
      reason,
      evidenceText: evidence.text,
      countsWhilePending: binds,
      filedAt: at,
      dueDay,
      sourceNoticeDue,
      // The operator's registry import has no source to tell: the operator deciding is its author.
      ...(binding.sourceId === null ? { sourceNotifiedAt: at } : {}),
    },
    evidence.attachments,
    !binds,
    at,
    actorOf(ctx),
    {
      binding_id: binding.id,
      organization_id: binding.organizationId,
      person_id: subject.id,
      role: binding.role,
      reason_sha256: textDigest(reason),
      due: dueDay,
      source_notice_due: sourceNoticeDue,
      binds_while_pending: binds,
      attachments: attachmentsDetail(evidence.attachments),
    },
  );
  await ctx.store.addNotifications(
    [
      {
        subjectId: subject.id,
        kind: `objection.filed#${row.id}`,
        listCode: null,
        effective: today,
        message:
          `Your objection #${row.id} to your binding as ${label} was received on ${today}. ` +
          'The binding is marked as disputed in your file. ' +
          (binds
            ? 'It keeps binding until the objection is decided: a registration authority’s record binds until it is corrected. '
            : 'It does not bind you while your objection is pending: the organization’s records do not count for you and its restrictions do not apply to you meanwhile. ') +
          `A written decision is due by ${dueDay}` +
          (binding.sourceId === null
            ? '.'
            : `; the registration authority will be told by ${sourceNoticeDue}.`),
      },
    ],
    at,
  );
  if (!binds) await deps.refresh([subject.id, binding.organizationId]);
  return viewOf(row, today, deps.policy, ctx.clock);
};

/**
 * A subject's objections with their clocks as its file shows them (no staff names); the caller's
 * read of the file is audited, so this read adds no entry of its own.
 */
export const objectionsInFile = async (
  store: Store,
  subjectId: number,
  today: string,
  deps: { policy: DueProcessPolicy; catalogue: Catalogue; clock: Clock },
): Promise<ObjectionJson[]> => {
  const out: ObjectionJson[] = [];
  let after: string | undefined;
  const typeName = (code: string) => deps.catalogue.get(code)?.name ?? code;
  do {
    const page = await store.objections.listObjections({
      subjectId,
      limit: MAX_PAGE,
      ...(after ? { after } : {}),
    });
    for (const o of page.rows)
      out.push(
        objectionJson(viewOf(o, today, deps.policy.objections, deps.clock), { typeName, internal: false }),
      );
    after = page.next ?? undefined;
  } while (after);
  return out;
};

/** A subject's own objections, newest clock last (queue order), with their clocks. */
export const listOwnObjections = async ({
  ctx,
  deps,
}: {
  ctx: Ctx;
  deps: Pick<ObjectionDeps, 'policy'>;
}): Promise<ObjectionView[]> => {
  requirePermission(ctx.principal, 'subjects.read_own');
  const subject = await ownSubject(ctx);
  const out: ObjectionRow[] = [];
  let after: string | undefined;
  do {
    const page = await ctx.store.objections.listObjections({
      subjectId: subject.id,
      limit: MAX_PAGE,
      ...(after ? { after } : {}),
    });
    out.push(...page.rows);
    after = page.next ?? undefined;
  } while (after);
  const now = ctx.clock.now();
  await ctx.store.appendAudit(
    [
      {
        ...actorOf(ctx),
        subjectId: subject.id,
        action: 'objection.read',
        detail: JSON.stringify({ objection_ids: out.map((o) => o.id) }),
      },
    ],
    now.toISOString(),
  );
  return out.map((o) => viewOf(o, dateIn(ctx.clock, now), deps.policy, ctx.clock));
};

export interface ListObjectionsInput {
  status?: ObjectionFilter | undefined;
  limit?: number | undefined;
  after?: string | undefined;
}

const statusesOf = (f: ObjectionFilter): ObjectionStatus[] | undefined => {
  if (f === 'all') return undefined;
  if (f === 'open') return ['pending', 'appealed'];
  return [f];
};

/**
 * The queue: for operators and auditors every objection, for a source the objections to the
 * records it sent (its first read of one is the notice the source is owed). Open ones first, by the
 * day their clock runs out, so the overdue lead. Every read is audited in the subjects' trails.
 */
export const listObjections = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: ListObjectionsInput;
  deps: Pick<ObjectionDeps, 'policy'>;
}): Promise<{ objections: ObjectionView[]; next: string | null }> => {
  const p = ctx.principal;
  let sourceId: number | undefined;
  if (!can(p, 'objections.read')) {
    requirePermission(p, 'objections.read_sent');
    const source = p.ref ? await ctx.store.findSourceByCode(p.ref) : undefined;
    if (!source) throw forbidden('this credential names no registered source');
    sourceId = source.id;
  } else requirePermission(p, 'objections.read');
  const status = input.status ?? 'open';
  if (!(OBJECTION_FILTERS as readonly string[]).includes(status))
    throw invalidInput(`status must be one of ${OBJECTION_FILTERS.join(', ')}`, [
      { field: 'status', message: `unknown status ${status}` },
    ]);
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw invalidInput(`limit must be a whole number from 1 to ${MAX_PAGE}`, [
      { field: 'limit', message: `${limit}` },
    ]);
  const statuses = statusesOf(status);
  const page = await ctx.store.objections.listObjections({
    ...(statuses ? { statuses } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
    limit,
    ...(input.after ? { after: input.after } : {}),
  });
  const now = ctx.clock.now();
  const at = now.toISOString();
  let rows = page.rows;
  if (sourceId !== undefined) {
    const told = new Set(
      await ctx.store.objections.markSourceNotified(
        rows.filter((o) => o.sourceNotifiedAt === null).map((o) => o.id),
        at,
        actorOf(ctx),
      ),
    );
    rows = rows.map((o) => (told.has(o.id) ? { ...o, sourceNotifiedAt: at } : o));
  }
  await auditReadsBySubject(ctx, rows, 'objection.read', 'objection_ids', at);
  return {
    objections: rows.map((o) => viewOf(o, dateIn(ctx.clock, now), deps.policy, ctx.clock)),
    next: page.next,
  };
};

/** The subject appeals a decision: once, within the appeal window (SPC 2017 Art. 12). */
export const appealObjection = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: { id: number; reason: string };
  deps: Pick<ObjectionDeps, 'policy' | 'catalogue'>;
}): Promise<ObjectionView> => {
  requirePermission(ctx.principal, 'objections.file');
  const subject = await ownSubject(ctx);
  const reason = writtenText(input.reason, 'reason', 'the reason for an appeal');
  const o = await ownObjection(ctx, subject, input.id);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const today = dateIn(ctx.clock, now);
  const v = viewOf(o, today, deps.policy, ctx.clock);
  if (o.status === 'pending')
    throw conflict(
      `objection #${o.id} is not decided yet (due by ${o.dueDay}): an appeal is against a decision`,
    );
  if (o.appealedAt)
    throw conflict(
      `objection #${o.id} was already appealed on ${dayIn(ctx.clock, o.appealedAt)}: one appeal is allowed (SPC 2017 Art. 12)`,
    );
  if (!v.appealable)
    throw conflict(
      `the time to appeal objection #${o.id} ended on ${v.appealWindowEnds} (${deps.policy.appealWindowDays} days from the decision of ${dayIn(ctx.clock, o.decidedAt!)})`,
    );
  // SPC 2017 Art. 12: the appeal is decided within 15 days of receiving it.
  const appealDue = addDays(today, deps.policy.appealDecisionDays);
  const row = await ctx.store.objections.appealObjection({ id: o.id, reason, appealDue }, at, actorOf(ctx), {
    ...(o.bindingId !== null ? { binding_id: o.bindingId } : { record_id: o.recordId }),
    reason_sha256: textDigest(reason),
    due: appealDue,
  });
  if (!row)
    throw conflict(`objection #${o.id} was already appealed: one appeal is allowed (SPC 2017 Art. 12)`);
  await ctx.store.addNotifications(
    [
      {
        subjectId: subject.id,
        kind: `objection.appealed#${o.id}`,
        listCode: null,
        effective: today,
        message:
          `Your appeal against the decision on objection #${o.id} (${subjectOfDispute(o, deps.catalogue)}) ` +
          `was received on ${today}. The decision stays in force meanwhile; the appeal is to be decided by ${appealDue}.`,
      },
    ],
    at,
  );
  return viewOf(row, today, deps.policy, ctx.clock);
};

export interface DecideObjectionInput {
  id: number;
  outcome: ObjectionOutcome;
  reasons: string;
  /** With record_corrected: the record's fields to change. */
  correction?: Correction | null | undefined;
  /** With binding_corrected: the binding's corrected days. */
  bindingCorrection?: BindingCorrection | null | undefined;
}

const OUTCOME_TEXT: Record<ObjectionOutcome, string> = {
  record_confirmed: 'the record is confirmed as it stands',
  record_corrected: 'the record is corrected',
  record_removed: 'the record is removed from your file',
  binding_confirmed: 'the binding is confirmed as it stands',
  binding_corrected: 'the binding’s days are corrected',
  binding_removed:
    'the binding is removed: the organization’s records no longer count for you and its restrictions no longer apply to you',
};

/**
 * What a decision does to the record. A first decision ends the dispute flag: confirmed, the record
 * is back as it was before (normally active); corrected, its content is replaced; removed, it is
 * withdrawn. An appeal decision changes the record only when it corrects or removes. When the
 * source changed the record meanwhile (withdrew it, say), a confirmation leaves it as it is, and a
 * withdrawn record is never corrected back into force.
 */
const recordChange = async (
  ctx: Ctx,
  o: ObjectionRow,
  record: RecordRow,
  outcome: ObjectionOutcome,
  content: ObjectionRecordChange['content'],
  reason: string,
): Promise<ObjectionRecordChange | undefined> => {
  const base = { recordId: record.id, reason };
  const withdrawn = record.status === 'withdrawn';
  if (outcome === 'record_removed')
    return withdrawn ? undefined : { ...base, change: 'objection_removed', status: 'withdrawn' };
  const appeal = o.status === 'appealed';
  let status: string = record.status;
  if (!appeal && record.status === 'disputed') {
    const versions = await ctx.store.listRecordVersions([record.id], record.subjectId);
    status = versions.filter((v) => v.change === 'dispute').at(-1)?.status ?? 'active';
  }
  if (outcome === 'record_confirmed')
    return status === record.status ? undefined : { ...base, change: 'objection_confirmed', status };
  // Withdrawn (by its source, or by a decision that removed it), the record no longer counts: a
  // correction, on a first decision or on appeal, would make it count again.
  if (withdrawn)
    throw conflict(
      `record ${record.id} was withdrawn${record.revisedAt ? ` on ${dayIn(ctx.clock, record.revisedAt)}` : ''}: it no longer counts, so there is nothing left to correct`,
    );
  return {
    ...base,
    change: 'objection_corrected',
    status,
    ...(content ? { content } : {}),
  };
};

/**
 * What a decision does to a binding: a first decision ends its dispute flag; removed, it is
 * withdrawn (kept, never deleted, in force nowhere); corrected, it takes the checked days. An
 * appeal decision changes it only when it corrects or removes, and a withdrawn binding is never
 * corrected back into force.
 */
const bindingChangeOf = async (
  ctx: Ctx,
  o: ObjectionRow,
  input: DecideObjectionInput,
  reason: string,
  today: string,
): Promise<{
  change: ObjectionBindingChange;
  binding: BindingRow;
  days?: { validFrom: string | null; validUntil: string | null };
}> => {
  const binding = (
    await ctx.store.listBindings({ personIds: [o.subjectId], withSuspended: true, withWithdrawn: true })
  ).find((b) => b.id === o.bindingId);
  if (!binding) throw notFound(`binding ${o.bindingId} of objection #${o.id} does not exist`);
  const change: ObjectionBindingChange = {
    bindingId: binding.id,
    organizationId: binding.organizationId,
    personId: binding.personId,
    role: binding.role,
    release: binding.disputedBy === o.id,
  };
  if (input.outcome === 'binding_removed') {
    if (!binding.withdrawnAt) change.withdraw = { reason };
    return { change, binding };
  }
  if (input.outcome !== 'binding_corrected') return { change, binding };
  if (binding.withdrawnAt)
    throw conflict(
      `binding ${binding.id} was withdrawn on ${dayIn(ctx.clock, binding.withdrawnAt)}: it no longer binds, so there is nothing left to correct`,
    );
  const person = await ctx.store.findSubjectById(binding.personId);
  const others = await ctx.store.listBindings({
    organizationIds: [binding.organizationId],
    role: binding.role,
    withSuspended: true,
  });
  const days = correctedDays(binding, input.bindingCorrection!, {
    today,
    clock: ctx.clock,
    personBirthDate: person?.birthDate ?? null,
    others,
  });
  change.correct = days;
  return { change, binding, days };
};

/** An operator decides a pending objection, or an appealed one (that decision is final). */
export const decideObjection = async ({
  ctx,
  input,
  deps,
}: {
  ctx: Ctx;
  input: DecideObjectionInput;
  deps: ObjectionDeps;
}): Promise<ObjectionView> => {
  requirePermission(ctx.principal, 'objections.decide');
  if (!(OBJECTION_OUTCOMES as readonly string[]).includes(input.outcome))
    throw invalidInput(`outcome must be one of ${OBJECTION_OUTCOMES.join(', ')}`, [
      { field: 'outcome', message: `unknown outcome ${input.outcome}` },
    ]);
  const reasons = writtenText(input.reasons, 'reasons', "a decision's reasons");
  // Product rule 2: the operator's reasons are kept on file, shown to the subject and in the audit
  // log for good. The subject's own reason and evidence are not screened: anyone may object.
  refuseProtectedText(reasons, 'reasons', 'the files and the audit log');
  const corrected = input.outcome === 'record_corrected';
  if (corrected && !input.correction)
    throw invalidInput('record_corrected needs the correction: the fields of the record to change', [
      { field: 'correction', message: 'required for record_corrected' },
    ]);
  if (!corrected && input.correction)
    throw invalidInput(`a correction goes only with record_corrected, not ${input.outcome}`, [
      { field: 'correction', message: `not allowed with ${input.outcome}` },
    ]);
  const daysCorrected = input.outcome === 'binding_corrected';
  if (daysCorrected && !input.bindingCorrection)
    throw invalidInput('binding_corrected needs the corrected days: valid_from, valid_until or both', [
      { field: 'binding_correction', message: 'required for binding_corrected' },
    ]);
  if (!daysCorrected && input.bindingCorrection)
    throw invalidInput(`a binding correction goes only with binding_corrected, not ${input.outcome}`, [
      { field: 'binding_correction', message: `not allowed with ${input.outcome}` },
    ]);
  const o = await ctx.store.objections.findObjection(input.id);
  if (!o) throw notFound(`there is no objection #${input.id}`);
  const outcomes: readonly string[] = o.kind === 'binding' ? BINDING_OUTCOMES : RECORD_OUTCOMES;
  if (!outcomes.includes(input.outcome))
    throw invalidInput(
      `objection #${o.id} is to a ${o.kind}: its outcome is one of ${outcomes.join(', ')}, not ${input.outcome}`,
      [{ field: 'outcome', message: `not an outcome for an objection to a ${o.kind}` }],
    );
  if (o.status !== 'pending' && o.status !== 'appealed')
    throw conflict(
      o.status === 'decided'
        ? `objection #${o.id} was decided on ${dayIn(ctx.clock, o.decidedAt!)} (${o.outcome}); it can be decided again only on appeal`
        : `objection #${o.id} was decided on appeal on ${dayIn(ctx.clock, o.appealDecidedAt!)} (${o.appealOutcome}); that decision is final`,
    );
  const now = ctx.clock.now();
  const at = now.toISOString();
  const today = dateIn(ctx.clock, now);
  const appeal = o.status === 'appealed';
  const why = `${appeal ? 'appeal on ' : ''}objection #${o.id}: ${reasons}`;
  let change: ObjectionRecordChange | undefined;
  let bindingChange: ObjectionBindingChange | undefined;
  let detail: Record<string, unknown>;
  let label: string;
  let refresh: number[] = [];
  if (o.kind === 'binding') {
    const b = await bindingChangeOf(ctx, o, input, why, today);
    const c = b.change;
    if (c.release || c.withdraw || c.correct) bindingChange = c;
    label = `your binding as ${bindingLabel(o.binding!)}`;
    detail = {
      binding_id: b.binding.id,
      organization_id: b.binding.organizationId,
      outcome: input.outcome,
      reasons,
      ...(b.days
        ? { binding_correction: { valid_from: b.days.validFrom, valid_until: b.days.validUntil } }
        : {}),
      binding_status: b.binding.withdrawnAt || c.withdraw ? 'withdrawn' : 'standing',
    };
    // Rescore and recheck both sides whenever the binding's effect may have moved.
    if (c.withdraw || c.correct || (c.release && b.binding.suspended))
      refresh = [b.binding.personId, b.binding.organizationId];
  } else {
    const record = await ctx.store.findRecordById(o.recordId!);
    if (!record) throw notFound(`record ${o.recordId} of objection #${o.id} does not exist`);
    let content: ObjectionRecordChange['content'];
    if (corrected) {
      const subject = await ctx.store.findSubjectById(record.subjectId);
      const source = await ctx.store.findSourceByCode(record.sourceCode);
      if (!subject || !source) throw notFound(`the subject or source of record ${record.id} is gone`);
      content = correctedContent(record, subject, source, input.correction!, deps.catalogue, today);
    }
    change = await recordChange(ctx, o, record, input.outcome, content, why);
    label = `the record ${recordLabel(record, deps.catalogue)}`;
    detail = {
      record_id: record.id,
      outcome: input.outcome,
      reasons,
      ...(content ? { correction: input.correction } : {}),
      record_status: change?.status ?? record.status,
    };
    if (change) refresh = [o.subjectId];
  }
  const row = await ctx.store.objections.decideObjection(
    {
      id: o.id,
      from: appeal ? 'appealed' : 'pending',
      outcome: input.outcome,
      reasons,
      by: ctx.principal.id,
      ...(change ? { change } : {}),
      ...(bindingChange ? { bindingChange } : {}),
    },
    at,
    actorOf(ctx),
    detail,
  );
  if (!row) throw conflict(`objection #${o.id} was decided meanwhile by someone else`);
  const v = viewOf(row, today, deps.policy, ctx.clock);
  await ctx.store.addNotifications(
    [
      {
        subjectId: o.subjectId,
        kind: `objection.${appeal ? 'appeal_decided' : 'decided'}#${o.id}`,
        listCode: null,
        effective: today,
        message:
          `${appeal ? 'Your appeal on objection' : 'Your objection'} #${o.id} to ${label} ` +
          `was decided on ${today}: ${OUTCOME_TEXT[input.outcome]}. Reasons: ${reasons}${/[.!?。！？]$/.test(reasons) ? '' : '.'}` +
          (appeal ? ' This decision is final.' : ` You may appeal once, by ${v.appealWindowEnds}.`),
      },
    ],
    at,
  );
  if (refresh.length > 0) await deps.refresh(refresh);
  return v;
};

/**
 * One file attached to an objection (0-based `index`): for the operators and auditors who review
 * it, and for the subject who filed it. The read is audited in the subject's trail.
 */
export const getObjectionAttachment = async ({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: number; index: number };
}): Promise<{ name: string; mediaType: string; bytes: number; sha256: string; content: Uint8Array }> => {
  const p = ctx.principal;
  let o: ObjectionRow | undefined;
  if (can(p, 'objections.read')) {
    o = await ctx.store.objections.findObjection(input.id);
    if (!o) throw notFound(`there is no objection #${input.id}`);
  } else {
    requirePermission(p, 'subjects.read_own');
    o = await ownObjection(ctx, await ownSubject(ctx), input.id);
  }
  const file = await ctx.store.objections.findAttachment(o.id, input.index);
  if (!file)
    throw notFound(
      `objection #${o.id} has ${o.attachments.length} attachment(s); there is no number ${input.index}`,
    );
  await ctx.store.appendAudit(
    [
      {
        ...actorOf(ctx),
        subjectId: o.subjectId,
        action: 'objection.attachment.read',
        detail: JSON.stringify({ objection_id: o.id, index: input.index, sha256: file.sha256 }),
      },
    ],
    ctx.clock.now().toISOString(),
  );
  return file;
};

/** The one JSON form of an objection (snake_case), for the API and `--json` alike. */
export const objectionJson = (
  v: ObjectionView,
  opts: { typeName: (code: string) => string; internal: boolean },
) => ({
  id: v.id,
  kind: v.kind,
  status: v.status,
  record: v.record
    ? {
        id: v.recordId!,
        type: v.record.type,
        type_name: opts.typeName(v.record.type),
        source: v.record.sourceCode,
        source_record_id: v.record.sourceRecordId,
        occurred_at: v.record.occurredAt,
        decided_at: v.record.decidedAt,
        amount: v.record.amount,
        case_reference: v.record.evidence,
        status: v.record.status,
      }
    : null,
  binding: v.binding
    ? {
        id: v.bindingId!,
        organization: { identifier: v.binding.organizationIdentifier, name: v.binding.organizationName },
        role: v.binding.role,
        role_name: roleWords(v.binding.role),
        valid_from: v.binding.validFrom,
        valid_until: v.binding.validUntil,
        source: v.binding.sourceCode,
        recorded_at: v.binding.recordedAt,
        withdrawn_at: v.binding.withdrawnAt,
      }
    : null,
  subject: { identifier: v.subjectIdentifier, name: v.subjectName },
  reason: v.reason,
  evidence: {
    text: v.evidenceText,
    attachments: v.attachments.map((a) => ({
      name: a.name,
      media_type: a.mediaType,
      bytes: a.bytes,
      sha256: a.sha256,
    })),
  },
  counts_while_pending: v.countsWhilePending,
  filed_at: v.filedAt,
  due: v.dueDay,
  overdue: v.overdue,
  source_notice_due: v.sourceNoticeDue,
  source_notified_at: v.sourceNotifiedAt,
  source_notice_overdue: v.sourceNoticeOverdue,
  decision: v.outcome
    ? {
        outcome: v.outcome,
        reasons: v.reasons,
        decided_at: v.decidedAt,
        ...(opts.internal ? { decided_by: v.decidedBy } : {}),
      }
    : null,
  appeal_window_ends: v.appealWindowEnds,
  appealable: v.appealable,
  appeal: v.appealedAt
    ? {
        reason: v.appealReason,
        appealed_at: v.appealedAt,
        due: v.appealDue,
        decision: v.appealOutcome
          ? {
              outcome: v.appealOutcome,
              reasons: v.appealReasons,
              decided_at: v.appealDecidedAt,
              ...(opts.internal ? { decided_by: v.appealDecidedBy } : {}),
            }
          : null,
      }
    : null,
});

export type ObjectionJson = ReturnType<typeof objectionJson>;

/** Whether a principal sees the internal fields (who decided): operators and auditors. */
export const seesInternals = (ctx: Ctx) => can(ctx.principal, 'objections.read');

/**
 * The deps of these verbs from what the platform holds: the catalogue, the policies, the calendar,
 * and a refresh run by the platform's due-process principal (the effect of a step already taken
 * and audited, never a person's act).
 */
export const objectionDeps = (
  p: {
    catalogue: Catalogue;
    scoringPolicy: { disputedCounts: boolean };
    dueProcess: DueProcessPolicy;
    calendar: WorkingCalendar;
    refreshSubjects(ctx: Ctx, subjectIds: number[]): Promise<unknown>;
    ctx(principal: Ctx['principal'], purpose: string, requestId?: string): Ctx;
  },
  requestId?: string,
): ObjectionDeps => ({
  catalogue: p.catalogue,
  disputedCounts: p.scoringPolicy.disputedCounts,
  policy: p.dueProcess.objections,
  calendar: p.calendar,
  refresh: (subjectIds) =>
    p.refreshSubjects(p.ctx(DUE_PROCESS_PRINCIPAL, 'apply an objection decision', requestId), subjectIds),
});
