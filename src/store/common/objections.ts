/**
 * Objections for both backends (see ../objections.ts): a subject's objection with its record (or
 * the binding that names it) flagged in the same transaction, the queue in clock order with a
 * keyset cursor, decisions and appeals written only from the status they expect (so two operators
 * cannot both decide one objection). A binding's objection is audited on the person's trail and on
 * its organization's, and its decision withdraws or corrects the binding in the decision's
 * transaction, the organization's legal representative in force following.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type {
  NewBindingObjection,
  NewObjection,
  NewObjectionAttachment,
  ObjectionActor,
  ObjectionAttachmentMeta,
  ObjectionBindingChange,
  ObjectionKind,
  ObjectionOutcome,
  ObjectionPage,
  ObjectionQuery,
  ObjectionRecordChange,
  ObjectionRow,
  ObjectionStatus,
  ObjectionStore,
} from '../objections.ts';
import type { Database } from '../schema.ts';
import type { RecordRevision, RecordStatus } from '../types.ts';
import {
  type AttachmentsTable,
  attachmentsOf,
  auditStep,
  findAttachment,
  insertAttachments,
  type QueueOrder,
  queuePage,
} from './applications.ts';
import { auditQueries } from './audit.ts';
import { type BindingsWhere, keepBindingVersions, resetLegalRepresentative } from './bindings.ts';
import { noteCheckChanges } from './checks.ts';
import { isUniqueViolation } from './queries.ts';
import { revise } from './records.ts';
import { subjectChunks } from './subject-chunks.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Open objections sort before closed ones; each by the day its clock runs out. */
export const OPEN = sql<number>`case when o.status in ('pending', 'appealed') then 0 else 1 end`;
export const CLOCK = sql<string>`case when o.status = 'appealed' then o.appeal_due else o.due_day end`;
/** The columns every new objection sets alike, to a record or to a binding. */
const pendingRow = (o: Omit<NewObjection, 'recordId'>) => ({
  subject_id: o.subjectId,
  reason: o.reason,
  evidence: o.evidenceText,
  status: 'pending',
  counts_while_pending: o.countsWhilePending ? 1 : 0,
  filed_at: o.filedAt,
  due_day: o.dueDay,
  source_notice_due: o.sourceNoticeDue,
});

const QUEUE: QueueOrder = { open: OPEN, clock: CLOCK, id: 'o.id' };
const FILES: AttachmentsTable = { table: 'objection_attachments', key: 'objection_id' };

const joined = (db: Db) =>
  db
    .selectFrom('objections as o')
    // With the subject key too: on PostgreSQL records are partitioned by it (migration 0022), so
    // the objections of one subject read one partition of records. An objection has either a
    // record or a binding (migration 0024); bindings are partitioned by their organization, not by
    // the objector, so a binding is read apart by its organization (`withBindings`).
    .leftJoin('records as r', (j) =>
      j.onRef('r.id', '=', 'o.record_id').onRef('r.subject_id', '=', 'o.subject_id'),
    )
    .leftJoin('sources as s', 's.id', 'r.source_id')
    .innerJoin('subjects as sub', 'sub.id', 'o.subject_id')
    .selectAll('o')
    .select([
      'sub.identifier as subject_identifier',
      'sub.name as subject_name',
      'r.type as record_type',
      'r.source_id as record_source_id',
      's.code as record_source_code',
      'r.source_record_id as record_source_record_id',
      'r.occurred_at as record_occurred_at',
      'r.decided_at as record_decided_at',
      'r.amount as record_amount',
      'r.evidence as record_evidence',
      'r.status as record_status',
      OPEN.as('open_rank'),
      CLOCK.as('clock_day'),
    ]);

type Joined = Selectable<Database['objections']> & {
  subject_identifier: string;
  subject_name: string;
  record_type: string | null;
  record_source_id: number | null;
  record_source_code: string | null;
  record_source_record_id: string | null;
  record_occurred_at: string | null;
  record_decided_at: string | null;
  record_amount: number | null;
  record_evidence: string | null;
  record_status: string | null;
  open_rank: number;
  clock_day: string;
};

type BindingOf = NonNullable<ObjectionRow['binding']>;

/**
 * The bindings of these objections, by binding id: read by organization, a statement per
 * organization partition on PostgreSQL (subject-chunks.ts), so the objections of one person read
 * the partitions of the organizations it objected about, not all of them.
 */
const bindingsOf = async (db: Db, rows: Joined[]): Promise<Map<number, BindingOf>> => {
  const out = new Map<number, BindingOf>();
  const wanted = rows.filter((r) => r.binding_id != null);
  if (wanted.length === 0) return out;
  const ids = [...new Set(wanted.map((r) => Number(r.binding_id)))];
  const orgs = [...new Set(wanted.map((r) => Number(r.binding_organization_id)))];
  for (const chunk of subjectChunks(db, orgs)) {
    const found = await db
      .selectFrom('subject_bindings as b')
      .innerJoin('subjects as org', 'org.id', 'b.organization_id')
      .leftJoin('sources as bs', 'bs.id', 'b.source_id')
      .select([
        'b.id',
        'b.organization_id',
        'org.identifier',
        'org.name',
        'b.role',
        'b.valid_from',
        'b.valid_until',
        'b.source_id',
        'bs.code as source_code',
        'b.recorded_at',
        'b.withdrawn_at',
      ])
      .where('b.organization_id', 'in', chunk)
      .where('b.id', 'in', ids)
      .execute();
    for (const b of found)
      out.set(Number(b.id), {
        organizationId: Number(b.organization_id),
        organizationIdentifier: b.identifier,
        organizationName: b.name,
        role: b.role,
        validFrom: b.valid_from,
        validUntil: b.valid_until,
        sourceId: b.source_id == null ? null : Number(b.source_id),
        sourceCode: b.source_code,
        recordedAt: b.recorded_at,
        withdrawnAt: b.withdrawn_at,
      });
  }
  return out;
};

const toRow = (
  r: Joined,
  attachments: ObjectionAttachmentMeta[],
  bindings: Map<number, BindingOf>,
): ObjectionRow => ({
  id: Number(r.id),
  kind: (r.binding_id == null ? 'record' : 'binding') as ObjectionKind,
  recordId: r.record_id == null ? null : Number(r.record_id),
  bindingId: r.binding_id == null ? null : Number(r.binding_id),
  subjectId: Number(r.subject_id),
  subjectIdentifier: r.subject_identifier,
  subjectName: r.subject_name,
  reason: r.reason,
  evidenceText: r.evidence,
  attachments,
  status: r.status as ObjectionStatus,
  countsWhilePending: Number(r.counts_while_pending) === 1,
  filedAt: r.filed_at,
  dueDay: r.due_day,
  sourceNoticeDue: r.source_notice_due,
  sourceNotifiedAt: r.source_notified_at,
  outcome: r.outcome as ObjectionOutcome | null,
  reasons: r.reasons,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  appealReason: r.appeal_reason,
  appealedAt: r.appealed_at,
  appealDue: r.appeal_due,
  appealOutcome: r.appeal_outcome as ObjectionOutcome | null,
  appealReasons: r.appeal_reasons,
  appealDecidedAt: r.appeal_decided_at,
  appealDecidedBy: r.appeal_decided_by,
  record:
    r.record_id == null
      ? null
      : {
          type: r.record_type!,
          sourceId: Number(r.record_source_id),
          sourceCode: r.record_source_code!,
          sourceRecordId: r.record_source_record_id!,
          occurredAt: r.record_occurred_at!,
          decidedAt: r.record_decided_at,
          amount: r.record_amount == null ? null : Number(r.record_amount),
          evidence: r.record_evidence,
          status: r.record_status!,
        },
  binding: r.binding_id == null ? null : (bindings.get(Number(r.binding_id)) ?? null),
});

/** The subjects a step on an objection is audited for: the objector, and a binding's organization. */
const trailsOf = (o: { subject_id: number | string; binding_organization_id: number | string | null }) =>
  o.binding_organization_id == null
    ? [Number(o.subject_id)]
    : [Number(o.subject_id), Number(o.binding_organization_id)];

const auditSteps = async (
  tx: Transaction<Database>,
  actor: ObjectionActor,
  subjects: number[],
  action: string,
  detail: Record<string, unknown>,
  at: string,
) => {
  for (const subject of subjects) await auditStep(tx, actor, subject, action, detail, at);
};

/** Writes a decision's change to a binding, in the decision's transaction. */
const applyBindingChange = async (
  tx: Transaction<Database>,
  c: ObjectionBindingChange,
  objectionId: number,
  at: string,
  actor: ObjectionActor,
) => {
  // The organization's row first, as a batch naming its persons takes it before reading its
  // bindings (PostgreSQL: record-batch.ts lockedBindings): the two take turns instead of each
  // planning against what the other has not committed, or waiting on each other's rows.
  await tx
    .updateTable('subjects')
    .set((eb) => ({ legal_rep_id: eb.ref('legal_rep_id') }))
    .where('id', '=', c.organizationId)
    .execute();
  if (c.release) {
    const which: BindingsWhere = (eb) =>
      eb.and([
        eb('id', '=', c.bindingId),
        eb('organization_id', '=', c.organizationId),
        eb('disputed_by', '=', objectionId),
      ]);
    // Each change keeps the state it replaces: a report as of before it reads that (migration 0026).
    await keepBindingVersions(tx, at, which);
    await tx.updateTable('subject_bindings').set({ disputed_by: null, suspended: 0 }).where(which).execute();
  }
  if (!c.withdraw && !c.correct) {
    // A suspended binding binds again: the checks of both sides may answer differently.
    if (c.release) await noteCheckChanges(tx, [c.personId, c.organizationId]);
    return;
  }
  const before = await tx
    .selectFrom('subject_bindings')
    .select(['valid_from', 'valid_until'])
    .where('id', '=', c.bindingId)
    .where('organization_id', '=', c.organizationId)
    .executeTakeFirstOrThrow();
  const which: BindingsWhere = (eb) =>
    eb.and([
      eb('id', '=', c.bindingId),
      eb('organization_id', '=', c.organizationId),
      eb('withdrawn_at', 'is', null),
    ]);
  await keepBindingVersions(tx, at, which);
  await tx
    .updateTable('subject_bindings')
    .set(
      c.withdraw
        ? { withdrawn_at: at, withdrawn_reason: c.withdraw.reason }
        : { valid_from: c.correct!.validFrom, valid_until: c.correct!.validUntil },
    )
    .where(which)
    .execute();
  const legalRep =
    c.role === 'legal_representative' ? await resetLegalRepresentative(tx, c.organizationId) : undefined;
  const detail = {
    objection_id: objectionId,
    binding_id: c.bindingId,
    organization_id: c.organizationId,
    person_id: c.personId,
    role: c.role,
    ...(c.withdraw
      ? { withdrawn: true, reason: c.withdraw.reason }
      : {
          corrected: { valid_from: c.correct!.validFrom, valid_until: c.correct!.validUntil },
          before: { valid_from: before.valid_from, valid_until: before.valid_until },
        }),
    ...(legalRep !== undefined ? { legal_representative_in_force: legalRep } : {}),
  };
  await auditSteps(tx, actor, [c.personId, c.organizationId], 'subject.binding', detail, at);
  // Checks bind today's persons: the next check sees the change, on both sides.
  await noteCheckChanges(tx, [c.personId, c.organizationId]);
};

const withAttachments = async (db: Db, rows: Joined[]): Promise<ObjectionRow[]> => {
  const by = await attachmentsOf(
    db,
    FILES,
    rows.map((r) => Number(r.id)),
  );
  const bindings = await bindingsOf(db, rows);
  return rows.map((r) => toRow(r, by.get(Number(r.id)) ?? [], bindings));
};

const findOne = async (db: Db, id: number): Promise<ObjectionRow | undefined> => {
  const r = await joined(db).where('o.id', '=', id).executeTakeFirst();
  return r ? (await withAttachments(db, [r as Joined]))[0] : undefined;
};

const asRevision = (c: ObjectionRecordChange): RecordRevision => ({
  recordId: c.recordId,
  change: c.change,
  status: c.status as RecordStatus,
  ...(c.content ? { content: c.content } : {}),
  reason: c.reason,
});

export const objectionStore = (db: Kysely<Database>): ObjectionStore => ({
  async fileObjection(
    o: NewObjection,
    attachments: NewObjectionAttachment[],
    change: Omit<ObjectionRecordChange, 'reason'> & { reason: (objectionId: number) => string },
    at: string,
    actor: ObjectionActor,
    auditDetail: Record<string, unknown>,
  ) {
    try {
      const id = await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('objections')
          .values({
            record_id: o.recordId,
            ...pendingRow(o),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        await insertAttachments(tx, FILES, id, attachments);
        await revise(tx, [asRevision({ ...change, reason: change.reason(id) })], at, actor);
        await auditStep(tx, actor, o.subjectId, 'objection.file', { objection_id: id, ...auditDetail }, at);
        return id;
      });
      return (await findOne(db, id))!;
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CredenceError('conflict', `record ${o.recordId} is already under an open objection`);
      throw e;
    }
  },

  async fileBindingObjection(
    o: NewBindingObjection,
    attachments: NewObjectionAttachment[],
    suspend: boolean,
    at: string,
    actor: ObjectionActor,
    auditDetail: Record<string, unknown>,
  ) {
    const busy = () =>
      new CredenceError(
        'conflict',
        `binding ${o.bindingId} is already under an open objection, or was withdrawn`,
      );
    try {
      const id = await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('objections')
          .values({
            record_id: null,
            binding_id: o.bindingId,
            binding_organization_id: o.organizationId,
            ...pendingRow(o),
            source_notified_at: o.sourceNotifiedAt ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        await insertAttachments(tx, FILES, id, attachments);
        // Flagged only while it names the objector, stands and is under no other open objection.
        const which: BindingsWhere = (eb) =>
          eb.and([
            eb('id', '=', o.bindingId),
            eb('organization_id', '=', o.organizationId),
            eb('person_id', '=', o.subjectId),
            eb('withdrawn_at', 'is', null),
            eb('disputed_by', 'is', null),
          ]);
        // Its state before the flag (a suspension unlinks it) is what a report as of before reads.
        await keepBindingVersions(tx, at, which);
        const flagged = await tx
          .updateTable('subject_bindings')
          .set({ disputed_by: id, suspended: suspend ? 1 : 0 })
          .where(which)
          .executeTakeFirst();
        if (Number(flagged.numUpdatedRows) !== 1) throw busy();
        await auditSteps(
          tx,
          actor,
          [o.subjectId, o.organizationId],
          'objection.file',
          { objection_id: id, ...auditDetail },
          at,
        );
        if (suspend) await noteCheckChanges(tx, [o.subjectId, o.organizationId]);
        return id;
      });
      return (await findOne(db, id))!;
    } catch (e) {
      if (isUniqueViolation(e)) throw busy();
      throw e;
    }
  },

  findObjection: (id) => findOne(db, id),

  async listObjections(q: ObjectionQuery): Promise<ObjectionPage> {
    let query = joined(db);
    if (q.statuses) {
      if (q.statuses.length === 0) return { rows: [], next: null };
      query = query.where('o.status', 'in', [...q.statuses]);
    }
    if (q.subjectId !== undefined) query = query.where('o.subject_id', '=', q.subjectId);
    if (q.sourceId !== undefined) {
      const source = q.sourceId;
      // A registration authority's queue: the objections to the bindings its lines set, too.
      query = query.where((eb) =>
        eb.or([
          eb('r.source_id', '=', source),
          // By the binding's key (a look-up per objection, never a scan of the bindings).
          eb.exists(
            eb
              .selectFrom('subject_bindings as b')
              .select('b.id')
              .whereRef('b.id', '=', 'o.binding_id')
              .whereRef('b.organization_id', '=', 'o.binding_organization_id')
              .where('b.source_id', '=', source),
          ),
        ]),
      );
    }
    if (q.recordId !== undefined) query = query.where('o.record_id', '=', q.recordId);
    if (q.bindingId !== undefined) query = query.where('o.binding_id', '=', q.bindingId);
    const page = await queuePage(query, QUEUE, q);
    return { rows: await withAttachments(db, page.rows as Joined[]), next: page.next };
  },

  findAttachment: (objectionId: number, index: number) => findAttachment(db, FILES, objectionId, index),

  async decideObjection(d, at, actor, auditDetail) {
    const done = await db.transaction().execute(async (tx) => {
      const appeal = d.from === 'appealed';
      const updated = await tx
        .updateTable('objections')
        .set(
          appeal
            ? {
                status: 'appeal_decided',
                appeal_outcome: d.outcome,
                appeal_reasons: d.reasons,
                appeal_decided_at: at,
                appeal_decided_by: d.by,
              }
            : { status: 'decided', outcome: d.outcome, reasons: d.reasons, decided_at: at, decided_by: d.by },
        )
        .where('id', '=', d.id)
        .where('status', '=', d.from)
        .returning(['subject_id', 'binding_organization_id'])
        .executeTakeFirst();
      if (!updated) return false;
      if (d.change) await revise(tx, [asRevision(d.change)], at, actor);
      await auditSteps(
        tx,
        actor,
        trailsOf(updated),
        appeal ? 'objection.appeal_decide' : 'objection.decide',
        { objection_id: d.id, ...auditDetail },
        at,
      );
      if (d.bindingChange) await applyBindingChange(tx, d.bindingChange, d.id, at, actor);
      return true;
    });
    return done ? findOne(db, d.id) : undefined;
  },

  async appealObjection(a, at, actor, auditDetail) {
    const done = await db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('objections')
        .set({ status: 'appealed', appeal_reason: a.reason, appealed_at: at, appeal_due: a.appealDue })
        .where('id', '=', a.id)
        .where('status', '=', 'decided')
        .where('appealed_at', 'is', null)
        .returning(['subject_id', 'binding_organization_id'])
        .executeTakeFirst();
      if (!updated) return false;
      await auditSteps(
        tx,
        actor,
        trailsOf(updated),
        'objection.appeal',
        { objection_id: a.id, ...auditDetail },
        at,
      );
      return true;
    });
    return done ? findOne(db, a.id) : undefined;
  },

  async markSourceNotified(ids: number[], at: string, actor: ObjectionActor) {
    if (ids.length === 0) return [];
    return db.transaction().execute(async (tx) => {
      const marked = await tx
        .updateTable('objections')
        .set({ source_notified_at: at })
        .where('id', 'in', ids)
        .where('source_notified_at', 'is', null)
        .returning(['id', 'subject_id', 'record_id', 'binding_id', 'binding_organization_id'])
        .execute();
      await auditQueries.appendAudit(
        tx,
        marked.flatMap((m) =>
          trailsOf(m).map((subjectId) => ({
            ...actor,
            subjectId,
            action: 'objection.source_notified',
            detail: JSON.stringify(
              m.binding_id == null
                ? { objection_id: Number(m.id), record_id: Number(m.record_id) }
                : { objection_id: Number(m.id), binding_id: Number(m.binding_id) },
            ),
          })),
        ),
        at,
      );
      return marked.map((m) => Number(m.id)).sort((x, y) => x - y);
    });
  },
});
