/**
 * A record's life after it is written: revisions (a source's correction or withdrawal, an
 * objection, a repair, archival) keep each earlier version with the instants it was the one known,
 * so reports as of an earlier moment see what was said then (bitemporal, migration 0014).
 */
import { type Kysely, PostgresAdapter, type Selectable, sql, type Transaction } from 'kysely';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { formatDay, parseDay } from '../../shared/days.ts';
import { SUBJECT_PARTITIONS } from '../migrations/partitions.ts';
import type { Database } from '../schema.ts';
import type {
  AuditActor,
  RecordRevision,
  RecordRow,
  RecordStatus,
  RecordVersionRow,
  RevisionKind,
} from '../types.ts';
import { noteCheckChanges } from './checks.ts';
import { maintainQueries } from './maintain.ts';
import { hashPartitionOf, subjectChunks } from './subject-chunks.ts';

type Db = Kysely<Database> | Transaction<Database>;

const withSource = (db: Db) =>
  db
    .selectFrom('records')
    .innerJoin('sources', 'sources.id', 'records.source_id')
    .selectAll('records')
    .select('sources.code as source_code');

type RecordJoined = Selectable<Database['records']> & { source_code: string };

export const toRecordRow = (r: RecordJoined): RecordRow => ({
  id: Number(r.id),
  sourceId: Number(r.source_id),
  sourceCode: r.source_code,
  sourceRecordId: r.source_record_id,
  type: r.type,
  subjectId: Number(r.subject_id),
  occurredAt: r.occurred_at,
  decidedAt: r.decided_at,
  disclosedAt: r.disclosed_at,
  recordedAt: r.recorded_at,
  amount: r.amount == null ? null : Number(r.amount),
  evidence: r.evidence,
  note: r.note,
  status: r.status as RecordStatus,
  version: Number(r.version),
  revisedAt: r.revised_at,
});

const toVersionRow = (r: Selectable<Database['record_versions']>): RecordVersionRow => ({
  recordId: Number(r.record_id),
  subjectId: Number(r.subject_id),
  version: Number(r.version),
  type: r.type,
  occurredAt: r.occurred_at,
  decidedAt: r.decided_at,
  disclosedAt: r.disclosed_at,
  amount: r.amount == null ? null : Number(r.amount),
  evidence: r.evidence,
  note: r.note,
  status: r.status as RecordStatus,
  knownFrom: r.known_from,
  knownUntil: r.known_until,
  change: r.change as RevisionKind,
  reason: r.reason,
});

/**
 * Versions carry their record's subject (migration 0023): a read naming it reads one partition of
 * record_versions on PostgreSQL, and none joins records.
 */
const versions = (db: Db) => db.selectFrom('record_versions').selectAll();

const byRecordVersion = (a: RecordVersionRow, b: RecordVersionRow) =>
  a.recordId - b.recordId || a.version - b.version;

/** `reviseRecords` inside a transaction the caller holds (an objection filed or decided with its record change). */
export const revise = async (
  tx: Transaction<Database>,
  revisions: RecordRevision[],
  at: string,
  actor: AuditActor,
): Promise<RecordRow[]> => {
  const context = await tx
    .insertInto('audit_contexts')
    .values({ at, actor: actor.actor, role: actor.role, purpose: actor.purpose, request_id: actor.requestId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contextId = Number(context.id);
  const out: RecordRow[] = [];
  for (const rev of revisions) {
    const cur = await withSource(tx).where('records.id', '=', rev.recordId).executeTakeFirst();
    if (!cur) throw new Error(`record ${rev.recordId} does not exist`);
    const version = Number(cur.version);
    await tx
      .insertInto('record_versions')
      .values({
        record_id: cur.id,
        subject_id: cur.subject_id,
        version,
        type: cur.type,
        occurred_at: cur.occurred_at,
        decided_at: cur.decided_at,
        disclosed_at: cur.disclosed_at,
        amount: cur.amount,
        evidence: cur.evidence,
        note: cur.note,
        status: cur.status,
        known_from: cur.revised_at ?? cur.recorded_at,
        known_until: at,
        change: rev.change,
        reason: rev.reason,
        context_id: contextId,
      })
      .execute();
    const c = rev.content;
    await tx
      .updateTable('records')
      .set({
        status: rev.status,
        version: version + 1,
        revised_at: at,
        ...(c && {
          type: c.type,
          occurred_at: c.occurredAt,
          decided_at: c.decidedAt,
          disclosed_at: c.disclosedAt,
          amount: c.amount,
          evidence: c.evidence,
          note: c.note,
        }),
      })
      // The subject key too: on PostgreSQL it names the one partition of records to write (0022).
      .where('id', '=', cur.id)
      .where('subject_id', '=', cur.subject_id)
      .execute();
    const subjectId = Number(cur.subject_id);
    const detail = JSON.stringify({
      record_id: Number(cur.id),
      source_record_id: cur.source_record_id,
      version: version + 1,
      status: rev.status,
      reason: rev.reason,
      ...(c && { type: c.type, occurred_at: c.occurredAt, amount: c.amount, evidence: c.evidence }),
    });
    const action = `record.${rev.change}`;
    await tx
      .insertInto('audit_log')
      .values({
        context_id: contextId,
        subject_id: subjectId,
        action,
        detail,
        leaf_hash: auditLeafHash(actor, at, subjectId, action, detail),
      })
      .execute();
    const now = await withSource(tx)
      .where('records.id', '=', cur.id)
      .where('records.subject_id', '=', subjectId)
      .executeTakeFirstOrThrow();
    out.push(toRecordRow(now));
  }
  const subjects = [...new Set(out.map((r) => r.subjectId))];
  await noteCheckChanges(tx, subjects);
  // Owed a refresh (scores, entries, notifications) until the one that follows the commit is done:
  // due the day before this UTC day, a day past in every zone, so a refresh cut short (the process
  // died) is done by the next maintenance, which `serve` runs within a minute.
  const owed = formatDay(parseDay(at.slice(0, 10)) - 1);
  await maintainQueries.lowerDueDays(
    tx,
    subjects.map((subjectId) => ({ subjectId, dueDay: owed })),
  );
  return out;
};

/**
 * PostgreSQL (migration 0022): records by source key without asking all 16 partitions of records
 * for every key (500 keys: 55–64 ms against 9 ms unpartitioned). The keys are grouped by the
 * partition of record_keys they hash to (PostgreSQL computes it: satisfies_hash_partition), each
 * group read from its own partition of record_keys in one `union all`, then the records by
 * (subject key, id), grouped by subject partition so that each branch is pruned to one partition.
 * record_keys holds every record's key (the batch write claims it first), so the rows are those
 * of the plain look-up.
 */
const bySourceKeysPartitioned = async (db: Db, sourceId: number, ids: string[]): Promise<RecordJoined[]> => {
  const groups = await sql<{ p: number; k: string[] }>`
    select p, array_agg(k) as k
    from unnest(${ids}::text[]) k cross join generate_series(0, ${SUBJECT_PARTITIONS - 1}::int) p
    where satisfies_hash_partition('record_keys'::regclass, ${SUBJECT_PARTITIONS}::int, p, k)
    group by p`.execute(db);
  if (groups.rows.length === 0) return [];
  const keys = await sql<{ subject_id: string | number; record_id: string | number }>`${sql.join(
    groups.rows.map(
      (g) =>
        sql`(select subject_id, record_id from ${sql.table(`record_keys_p${Number(g.p)}`)}
        where source_id = ${sourceId} and source_record_id = any(${g.k}::text[]))`,
    ),
    sql` union all `,
  )}`.execute(db);
  if (keys.rows.length === 0) return [];
  const bySubjectPart = new Map<number, { subjects: Set<number>; ids: number[] }>();
  for (const k of keys.rows) {
    const subject = Number(k.subject_id);
    const p = hashPartitionOf(subject);
    let g = bySubjectPart.get(p);
    if (!g) {
      g = { subjects: new Set(), ids: [] };
      bySubjectPart.set(p, g);
    }
    g.subjects.add(subject);
    g.ids.push(Number(k.record_id));
  }
  const branches = [...bySubjectPart.values()].map((g) =>
    withSource(db)
      .where('records.subject_id', 'in', [...g.subjects])
      .where('records.id', 'in', g.ids)
      .where('records.source_id', '=', sourceId),
  );
  let q = branches[0]!;
  for (const b of branches.slice(1)) q = q.unionAll(b);
  return q.execute();
};

export const recordQueries = {
  async findRecordById(db: Db, id: number): Promise<RecordRow | undefined> {
    const r = await withSource(db).where('records.id', '=', id).executeTakeFirst();
    return r && toRecordRow(r);
  },

  async findRecordBySourceKey(db: Db, sourceId: number, sourceRecordId: string) {
    const r = await withSource(db)
      .where('records.source_id', '=', sourceId)
      .where('records.source_record_id', '=', sourceRecordId)
      .executeTakeFirst();
    return r && toRecordRow(r);
  },

  async findRecordsBySourceKeys(db: Db, sourceId: number, sourceRecordIds: string[]): Promise<RecordRow[]> {
    const ids = [...new Set(sourceRecordIds)];
    const out: RecordRow[] = [];
    const pg = db.getExecutor().adapter instanceof PostgresAdapter;
    for (let i = 0; i < ids.length; i += 500) {
      const rows = pg
        ? await bySourceKeysPartitioned(db, sourceId, ids.slice(i, i + 500))
        : await withSource(db)
            .where('records.source_id', '=', sourceId)
            .where('records.source_record_id', 'in', ids.slice(i, i + 500))
            .execute();
      for (const r of rows) out.push(toRecordRow(r));
    }
    return out;
  },

  async reviseRecords(db: Kysely<Database>, revisions: RecordRevision[], at: string, actor: AuditActor) {
    if (revisions.length === 0) return [];
    return db.transaction().execute((tx) => revise(tx, revisions, at, actor));
  },

  /**
   * With `subjectId` (the records are all that subject's) the read names its partition on
   * PostgreSQL; without, it probes the (record_id, version) index of every partition.
   */
  async listRecordVersions(db: Db, recordIds: number[], subjectId?: number): Promise<RecordVersionRow[]> {
    if (recordIds.length === 0) return [];
    const out: RecordVersionRow[] = [];
    for (let i = 0; i < recordIds.length; i += 500) {
      let q = versions(db).where('record_id', 'in', recordIds.slice(i, i + 500));
      if (subjectId !== undefined) q = q.where('subject_id', '=', subjectId);
      const rows = await q.orderBy('record_id').orderBy('version').execute();
      for (const r of rows) out.push(toVersionRow(r));
    }
    return out;
  },

  /**
   * Of given subjects: chunked by partition (see subject-chunks.ts), each statement reads one.
   * Of all (a report as of an earlier instant over every record): every partition, by the
   * known_until index.
   */
  async listVersionsKnownAfter(db: Db, knownAt: string, subjectIds?: number[]): Promise<RecordVersionRow[]> {
    const known = versions(db).where('known_until', '>', knownAt);
    if (!subjectIds) return (await known.orderBy('record_id').orderBy('version').execute()).map(toVersionRow);
    const out: RecordVersionRow[] = [];
    for (const chunk of subjectChunks(db, [...new Set(subjectIds)]))
      for (const r of await known.where('subject_id', 'in', chunk).execute()) out.push(toVersionRow(r));
    return out.sort(byRecordVersion);
  },
};
