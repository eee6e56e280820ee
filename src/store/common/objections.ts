/**
 * Objections for both backends (see ../objections.ts): a subject's objection with its record flagged
 * in the same transaction, the queue in clock order with a keyset cursor, decisions and appeals
 * written only from the status they expect (so two operators cannot both decide one objection).
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type {
  NewObjection,
  NewObjectionAttachment,
  ObjectionActor,
  ObjectionAttachmentMeta,
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
import { isUniqueViolation } from './queries.ts';
import { revise } from './records.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Open objections sort before closed ones; each by the day its clock runs out. */
export const OPEN = sql<number>`case when o.status in ('pending', 'appealed') then 0 else 1 end`;
export const CLOCK = sql<string>`case when o.status = 'appealed' then o.appeal_due else o.due_day end`;
const QUEUE: QueueOrder = { open: OPEN, clock: CLOCK, id: 'o.id' };
const FILES: AttachmentsTable = { table: 'objection_attachments', key: 'objection_id' };

const joined = (db: Db) =>
  db
    .selectFrom('objections as o')
    // With the subject key too: on PostgreSQL records are partitioned by it (migration 0022), so
    // the objections of one subject read one partition of records.
    .innerJoin('records as r', (j) =>
      j.onRef('r.id', '=', 'o.record_id').onRef('r.subject_id', '=', 'o.subject_id'),
    )
    .innerJoin('sources as s', 's.id', 'r.source_id')
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
  record_type: string;
  record_source_id: number;
  record_source_code: string;
  record_source_record_id: string;
  record_occurred_at: string;
  record_decided_at: string | null;
  record_amount: number | null;
  record_evidence: string | null;
  record_status: string;
  open_rank: number;
  clock_day: string;
};

const toRow = (r: Joined, attachments: ObjectionAttachmentMeta[]): ObjectionRow => ({
  id: Number(r.id),
  recordId: Number(r.record_id),
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
  record: {
    type: r.record_type,
    sourceId: Number(r.record_source_id),
    sourceCode: r.record_source_code,
    sourceRecordId: r.record_source_record_id,
    occurredAt: r.record_occurred_at,
    decidedAt: r.record_decided_at,
    amount: r.record_amount == null ? null : Number(r.record_amount),
    evidence: r.record_evidence,
    status: r.record_status,
  },
});

const withAttachments = async (db: Db, rows: Joined[]): Promise<ObjectionRow[]> => {
  const by = await attachmentsOf(
    db,
    FILES,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((r) => toRow(r, by.get(Number(r.id)) ?? []));
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
    change: ObjectionRecordChange,
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
            subject_id: o.subjectId,
            reason: o.reason,
            evidence: o.evidenceText,
            status: 'pending',
            counts_while_pending: o.countsWhilePending ? 1 : 0,
            filed_at: o.filedAt,
            due_day: o.dueDay,
            source_notice_due: o.sourceNoticeDue,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        await insertAttachments(tx, FILES, id, attachments);
        await revise(tx, [asRevision(change)], at, actor);
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

  findObjection: (id) => findOne(db, id),

  async listObjections(q: ObjectionQuery): Promise<ObjectionPage> {
    let query = joined(db);
    if (q.statuses) {
      if (q.statuses.length === 0) return { rows: [], next: null };
      query = query.where('o.status', 'in', [...q.statuses]);
    }
    if (q.subjectId !== undefined) query = query.where('o.subject_id', '=', q.subjectId);
    if (q.sourceId !== undefined) query = query.where('r.source_id', '=', q.sourceId);
    if (q.recordId !== undefined) query = query.where('o.record_id', '=', q.recordId);
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
        .returning('subject_id')
        .executeTakeFirst();
      if (!updated) return false;
      if (d.change) await revise(tx, [asRevision(d.change)], at, actor);
      await auditStep(
        tx,
        actor,
        Number(updated.subject_id),
        appeal ? 'objection.appeal_decide' : 'objection.decide',
        { objection_id: d.id, ...auditDetail },
        at,
      );
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
        .returning('subject_id')
        .executeTakeFirst();
      if (!updated) return false;
      await auditStep(
        tx,
        actor,
        Number(updated.subject_id),
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
        .returning(['id', 'subject_id', 'record_id'])
        .execute();
      await auditQueries.appendAudit(
        tx,
        marked.map((m) => ({
          ...actor,
          subjectId: Number(m.subject_id),
          action: 'objection.source_notified',
          detail: JSON.stringify({ objection_id: Number(m.id), record_id: Number(m.record_id) }),
        })),
        at,
      );
      return marked.map((m) => Number(m.id)).sort((x, y) => x - y);
    });
  },
});
