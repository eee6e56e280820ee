/**
 * Repairs for both backends (see ../repairs.ts): an application with its attachments, the queue in
 * clock order with a keyset cursor, feedback and decisions written only from the status they
 * expect (so two operators cannot both decide one application), a granted repair revising its
 * record in the same transaction.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type {
  NewRepair,
  NewRepairAttachment,
  RepairActor,
  RepairAttachmentMeta,
  RepairOutcome,
  RepairPage,
  RepairQuery,
  RepairRow,
  RepairStatus,
  RepairStore,
} from '../repairs.ts';
import type { Database } from '../schema.ts';
import type { RecordStatus } from '../types.ts';
import {
  type AttachmentsTable,
  attachmentsOf,
  auditStep,
  findAttachment,
  insertAttachments,
  type QueueOrder,
  queuePage,
} from './applications.ts';
import { isUniqueViolation } from './queries.ts';
import { revise } from './records.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Open applications sort before closed ones; open ones by the day their clock runs out. */
export const OPEN = sql<number>`case when a.status in ('pending', 'accepted') then 0 else 1 end`;
export const CLOCK = sql<string>`case a.status when 'pending' then a.feedback_due when 'accepted' then a.decision_due else substr(coalesce(a.decided_at, a.feedback_at, a.applied_at), 1, 10) end`;
const QUEUE: QueueOrder = { open: OPEN, clock: CLOCK, id: 'a.id' };
const FILES: AttachmentsTable = { table: 'repair_attachments', key: 'repair_id' };

const joined = (db: Db) =>
  db
    .selectFrom('repairs as a')
    // With the subject key too: on PostgreSQL records are partitioned by it (migration 0022), so
    // one subject's applications read one partition of records.
    .innerJoin('records as r', (j) =>
      j.onRef('r.id', '=', 'a.record_id').onRef('r.subject_id', '=', 'a.subject_id'),
    )
    .innerJoin('sources as s', 's.id', 'r.source_id')
    .innerJoin('subjects as sub', 'sub.id', 'a.subject_id')
    .selectAll('a')
    .select([
      'sub.identifier as subject_identifier',
      'sub.name as subject_name',
      'r.type as record_type',
      's.code as record_source_code',
      'r.source_record_id as record_source_record_id',
      'r.occurred_at as record_occurred_at',
      'r.decided_at as record_decided_at',
      'r.evidence as record_evidence',
      'r.status as record_status',
      OPEN.as('open_rank'),
      CLOCK.as('clock_day'),
    ]);

type Joined = Selectable<Database['repairs']> & {
  subject_identifier: string;
  subject_name: string;
  record_type: string;
  record_source_code: string;
  record_source_record_id: string;
  record_occurred_at: string;
  record_decided_at: string | null;
  record_evidence: string | null;
  record_status: string;
  open_rank: number;
  clock_day: string;
};

const toRow = (r: Joined, attachments: RepairAttachmentMeta[]): RepairRow => ({
  id: Number(r.id),
  recordId: Number(r.record_id),
  subjectId: Number(r.subject_id),
  subjectIdentifier: r.subject_identifier,
  subjectName: r.subject_name,
  commitment: r.commitment,
  evidenceText: r.evidence === '' ? null : r.evidence,
  attachments,
  status: r.status as RepairStatus,
  appliedAt: r.applied_at,
  feedbackDue: r.feedback_due,
  feedback: r.feedback,
  feedbackAt: r.feedback_at,
  feedbackBy: r.feedback_by,
  decisionDue: r.decision_due,
  outcome: r.outcome as RepairOutcome | null,
  reasons: r.reasons,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  displayStopDue: r.display_stop_due,
  record: {
    type: r.record_type,
    sourceCode: r.record_source_code,
    sourceRecordId: r.record_source_record_id,
    occurredAt: r.record_occurred_at,
    decidedAt: r.record_decided_at,
    evidence: r.record_evidence,
    status: r.record_status,
  },
});

const withAttachments = async (db: Db, rows: Joined[]): Promise<RepairRow[]> => {
  const by = await attachmentsOf(
    db,
    FILES,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((r) => toRow(r, by.get(Number(r.id)) ?? []));
};

const findOne = async (db: Db, id: number): Promise<RepairRow | undefined> => {
  const r = await joined(db).where('a.id', '=', id).executeTakeFirst();
  return r ? (await withAttachments(db, [r as Joined]))[0] : undefined;
};

export const repairStore = (db: Kysely<Database>): RepairStore => ({
  async applyRepair(
    r: NewRepair,
    attachments: NewRepairAttachment[],
    at: string,
    actor: RepairActor,
    auditDetail: Record<string, unknown>,
  ) {
    try {
      const id = await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('repairs')
          .values({
            record_id: r.recordId,
            subject_id: r.subjectId,
            commitment: r.commitment,
            evidence: r.evidenceText ?? '',
            status: 'pending',
            applied_at: r.appliedAt,
            feedback_due: r.feedbackDue,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        await insertAttachments(tx, FILES, id, attachments);
        await auditStep(tx, actor, r.subjectId, 'repair.apply', { repair_id: id, ...auditDetail }, at);
        return id;
      });
      return (await findOne(db, id))!;
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CredenceError('conflict', `record ${r.recordId} already has an open repair application`);
      throw e;
    }
  },

  findRepair: (id) => findOne(db, id),

  async listRepairs(q: RepairQuery): Promise<RepairPage> {
    let query = joined(db);
    if (q.statuses) {
      if (q.statuses.length === 0) return { rows: [], next: null };
      query = query.where('a.status', 'in', [...q.statuses]);
    }
    if (q.subjectId !== undefined) query = query.where('a.subject_id', '=', q.subjectId);
    if (q.recordId !== undefined) query = query.where('a.record_id', '=', q.recordId);
    const page = await queuePage(query, QUEUE, q);
    return { rows: await withAttachments(db, page.rows as Joined[]), next: page.next };
  },

  findRepairAttachment: (repairId: number, index: number) => findAttachment(db, FILES, repairId, index),

  async giveRepairFeedback(f, at, actor, auditDetail) {
    const done = await db.transaction().execute(async (tx) => {
      const updated = await tx
        .updateTable('repairs')
        .set({
          status: f.accepted ? 'accepted' : 'rejected',
          feedback: f.message,
          feedback_at: at,
          feedback_by: f.by,
          decision_due: f.decisionDue,
        })
        .where('id', '=', f.id)
        .where('status', '=', 'pending')
        .returning('subject_id')
        .executeTakeFirst();
      if (!updated) return false;
      await auditStep(
        tx,
        actor,
        Number(updated.subject_id),
        'repair.feedback',
        { repair_id: f.id, ...auditDetail },
        at,
      );
      return true;
    });
    return done ? findOne(db, f.id) : undefined;
  },

  async decideRepair(d, at, actor, auditDetail) {
    const done = await db.transaction().execute(async (tx) => {
      const cur = await tx
        .selectFrom('repairs')
        .select(['status', 'subject_id', 'record_id'])
        .where('id', '=', d.id)
        .executeTakeFirst();
      if (!cur || (cur.status !== 'pending' && cur.status !== 'accepted')) return false;
      const updated = await tx
        .updateTable('repairs')
        .set({
          status: d.outcome,
          outcome: d.outcome,
          reasons: d.reasons,
          decided_at: at,
          decided_by: d.by,
          display_stop_due: d.displayStopDue,
          // Decided straight from pending: the feedback is given with the decision.
          ...(cur.status === 'pending' && {
            feedback: 'given with the decision',
            feedback_at: at,
            feedback_by: d.by,
          }),
        })
        .where('id', '=', d.id)
        .where('status', '=', cur.status)
        .returning('subject_id')
        .executeTakeFirst();
      if (!updated) return false;
      if (d.repairedStatus)
        await revise(
          tx,
          [
            {
              recordId: Number(cur.record_id),
              change: 'repair',
              status: d.repairedStatus as RecordStatus,
              reason: `repair application ${d.id} granted: ${d.reasons}`,
            },
          ],
          at,
          actor,
        );
      await auditStep(
        tx,
        actor,
        Number(cur.subject_id),
        'repair.decide',
        { repair_id: d.id, ...auditDetail },
        at,
      );
      return true;
    });
    return done ? findOne(db, d.id) : undefined;
  },
});
