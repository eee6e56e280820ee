/**
 * Queries both backends share, written once against Kysely. Backends add only what must differ
 * (connection set-up and the bulk record write, which is the hot path).
 */
import { randomUUID } from 'node:crypto';
import {
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { CredenceError } from '../../shared/errors.ts';
import type { CheckGroupRow, Database } from '../schema.ts';
import type {
  AuditActor,
  AuditDraft,
  AuditRow,
  Backend,
  CheckChange,
  CheckLogDraft,
  CheckSubjectRow,
  LicenceRow,
  ListEntryRow,
  NewNotification,
  NewSource,
  NewToken,
  NotificationRow,
  OutboxCounts,
  OutboxFailure,
  OutboxRow,
  PolicyDoc,
  RecordRow,
  RecordStatus,
  ScoreRow,
  ScoringRecordRow,
  ScoringSubjectRow,
  SourceRow,
  SubjectKind,
  SubjectRow,
  TokenRow,
} from '../types.ts';
import { groupAuditEntries } from './audit-groups.ts';
import {
  CHECK_ACTION,
  CHECK_GROUPS_PER_SLICE,
  CHECKS_INDEXED_THROUGH,
  checkAuditDetail,
  checkChainSql,
  checkChainTrailSql,
  checkFromRow,
  checkGroupRecord,
  checkGroupRows,
  checkIndexSlice,
} from './check-log.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Audit entries with who acted, why and when (their context). */
const entriesWithContext = (db: Db) =>
  db
    .selectFrom('audit_log')
    .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
    .select([
      'audit_log.seq',
      'audit_log.leaf_hash',
      'audit_contexts.at',
      'audit_contexts.actor',
      'audit_contexts.role',
      'audit_contexts.purpose',
      'audit_contexts.request_id',
    ]);

/** An entry of a subject's trail. */
const auditRowOf = (
  e: {
    seq: number | string;
    leaf_hash: Uint8Array;
    at: string;
    actor: string;
    role: string;
    purpose: string;
    request_id: string | null;
  },
  subjectId: number,
  action: string,
  detail: string | null,
): AuditRow => ({
  seq: Number(e.seq),
  at: e.at,
  actor: e.actor,
  role: e.role,
  purpose: e.purpose,
  subjectId,
  action,
  detail,
  requestId: e.request_id,
  leafHash: Buffer.from(e.leaf_hash).toString('hex'),
});

/** Turns a unique-constraint violation from either driver into the `conflict` error. */
export const isUniqueViolation = (e: unknown): boolean => {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
};

export const toSubject = (r: Database['subjects'] & { id: number }): SubjectRow => ({
  id: Number(r.id),
  kind: r.kind as SubjectKind,
  identifier: r.identifier,
  name: r.name,
  birthDate: r.birth_date,
  sex: r.sex as SubjectRow['sex'],
  legalRepId: r.legal_rep_id == null ? null : Number(r.legal_rep_id),
  createdAt: r.created_at,
});

/** Inserts one audit context (who, role, purpose, request, time) and the entries written under it. */
/**
 * Writes audit entries with one context row per distinct (actor, role, purpose, request) and a
 * handful of multi-row statements, however many actions were group-committed together.
 */
const insertAudit = async (db: Db, entries: AuditDraft[], at: string) => {
  const list = groupAuditEntries(entries);
  const contextIds: number[] = [];
  for (let i = 0; i < list.length; i += 500) {
    const rows = await db
      .insertInto('audit_contexts')
      .values(
        list.slice(i, i + 500).map(([c]) => ({
          at,
          actor: c!.actor,
          role: c!.role,
          purpose: c!.purpose,
          request_id: c!.requestId,
        })),
      )
      .returning('id')
      .execute();
    // Ids are handed out in the order the rows are written, whatever order RETURNING lists them.
    contextIds.push(...rows.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  const logRows: Insertable<Database['audit_log']>[] = [];
  list.forEach((group, g) => {
    for (const e of group)
      logRows.push({
        context_id: contextIds[g]!,
        subject_id: e.subjectId,
        action: e.action,
        detail: e.detail,
        leaf_hash: auditLeafHash(e, at, e.subjectId, e.action, e.detail),
      });
  });
  for (let i = 0; i < logRows.length; i += 1000)
    await db
      .insertInto('audit_log')
      .values(logRows.slice(i, i + 1000))
      .execute();
};

const scoringRecords = (db: Db) =>
  db
    .selectFrom('records')
    .select([
      'id',
      'subject_id',
      'type',
      'occurred_at',
      'decided_at',
      'recorded_at',
      'amount',
      'evidence',
      'status',
    ]);

const toScoringRecord = (r: {
  id: number;
  subject_id: number;
  type: string;
  occurred_at: string;
  decided_at: string | null;
  recorded_at: string;
  amount: number | null;
  evidence: string | null;
  status: string;
}): ScoringRecordRow => ({
  id: Number(r.id),
  subjectId: Number(r.subject_id),
  type: r.type,
  occurredAt: r.occurred_at,
  decidedAt: r.decided_at,
  recordedAt: r.recorded_at,
  amount: r.amount == null ? null : Number(r.amount),
  evidence: r.evidence,
  status: r.status as RecordStatus,
});

/**
 * Notes that what checks read (list entries, scores) changed for these subjects, in the caller's
 * transaction. The `checks_generation` upsert comes first: its row lock queues concurrent writers,
 * so change rows are numbered in commit order and a reader never skips one that commits late.
 * Past FULL_CHANGE subjects (a full rescoring) one row says "everything" and replaces the feed.
 */
const FULL_CHANGE = 5000;
export const noteCheckChanges = async (tx: Db, subjectIds: readonly number[]) => {
  await queries.setMeta(tx, 'checks_generation', randomUUID());
  const ids = [...new Set(subjectIds)];
  if (ids.length > FULL_CHANGE) {
    await tx.deleteFrom('check_changes').execute();
    await tx.insertInto('check_changes').values({ subject_id: null }).execute();
    return;
  }
  for (let i = 0; i < ids.length; i += 1000)
    await tx
      .insertInto('check_changes')
      .values(ids.slice(i, i + 1000).map((subject_id) => ({ subject_id })))
      .execute();
};

const toToken = (r: Selectable<Database['api_tokens']>): TokenRow => ({
  id: Number(r.id),
  role: r.role,
  principal: r.principal,
  ref: r.ref,
  label: r.label,
  scope: JSON.parse(r.scope) as string[],
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export const queries = {
  async getMeta(db: Db, key: string) {
    const r = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  },

  async setMeta(db: Db, key: string, value: string) {
    await db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  },

  async savePolicy(db: Db, doc: PolicyDoc, at: string) {
    const r = await db
      .insertInto('policies')
      .values({ ...doc, loaded_at: at })
      .onConflict((oc) => oc.columns(['kind', 'version']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  async findPolicy(db: Db, kind: string, version: string): Promise<PolicyDoc | undefined> {
    return db
      .selectFrom('policies')
      .select(['version', 'kind', 'label', 'content'])
      .where('kind', '=', kind)
      .where('version', '=', version)
      .executeTakeFirst();
  },

  async appendAudit(db: Db, entries: AuditDraft[], at: string) {
    if (entries.length === 0) return;
    if (db.isTransaction) await insertAudit(db, entries, at);
    else await (db as Kysely<Database>).transaction().execute((tx) => insertAudit(tx, entries, at));
  },

  async insertSource(db: Kysely<Database>, s: NewSource, at: string, audit: AuditDraft): Promise<SourceRow> {
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('sources')
          .values({
            code: s.code,
            kind: s.kind,
            name: s.name,
            legal_basis: s.legalBasis,
            credential_hash: s.credentialHash,
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        if (s.types.length > 0) {
          await tx
            .insertInto('source_types')
            .values(s.types.map((t) => ({ source_id: id, type_code: t })))
            .execute();
        }
        await queries.appendAudit(tx, [audit], at);
        return {
          id,
          code: s.code,
          kind: s.kind,
          name: s.name,
          legalBasis: s.legalBasis,
          types: [...s.types],
          createdAt: at,
        };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CredenceError('conflict', `a source with code "${s.code}" already exists`);
      throw e;
    }
  },

  async findSource(db: Db, by: 'code' | 'credential_hash', value: string): Promise<SourceRow | undefined> {
    const r = await db.selectFrom('sources').selectAll().where(by, '=', value).executeTakeFirst();
    if (!r) return undefined;
    const types = await db
      .selectFrom('source_types')
      .select('type_code')
      .where('source_id', '=', r.id)
      .orderBy('type_code')
      .execute();
    return {
      id: Number(r.id),
      code: r.code,
      kind: r.kind,
      name: r.name,
      legalBasis: r.legal_basis,
      types: types.map((t) => t.type_code),
      createdAt: r.created_at,
    };
  },

  async listSources(db: Db): Promise<SourceRow[]> {
    const rows = await db.selectFrom('sources').selectAll().orderBy('code').execute();
    const types = await db.selectFrom('source_types').selectAll().orderBy('type_code').execute();
    return rows.map((r) => ({
      id: Number(r.id),
      code: r.code,
      kind: r.kind,
      name: r.name,
      legalBasis: r.legal_basis,
      types: types.filter((t) => Number(t.source_id) === Number(r.id)).map((t) => t.type_code),
      createdAt: r.created_at,
    }));
  },

  async insertToken(db: Kysely<Database>, t: NewToken, at: string, audit: AuditDraft): Promise<TokenRow> {
    return db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('api_tokens')
        .values({
          token_hash: t.tokenHash,
          role: t.role,
          principal: t.principal,
          ref: t.ref,
          label: t.label,
          scope: JSON.stringify(t.scope),
          created_at: at,
          revoked_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await queries.appendAudit(tx, [audit], at);
      return {
        id: Number(row.id),
        role: t.role,
        principal: t.principal,
        ref: t.ref,
        label: t.label,
        scope: [...t.scope],
        createdAt: at,
        revokedAt: null,
      };
    });
  },

  async findTokenByHash(db: Db, hash: string): Promise<TokenRow | undefined> {
    const r = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return r ? toToken(r) : undefined;
  },

  async listTokens(db: Db): Promise<TokenRow[]> {
    const rows = await db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').execute();
    return rows.map(toToken);
  },

  async revokeToken(
    db: Kysely<Database>,
    id: number,
    at: string,
    audit: AuditDraft,
  ): Promise<TokenRow | undefined> {
    return db.transaction().execute(async (tx) => {
      const done = await tx
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) > 0) await queries.appendAudit(tx, [audit], at);
      const r = await tx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toToken(r) : undefined;
    });
  },

  async findSubject(db: Db, by: 'identifier' | 'id', value: string | number) {
    const r = await db
      .selectFrom('subjects')
      .selectAll()
      .where(by, '=', value as never)
      .executeTakeFirst();
    return r ? toSubject(r as never) : undefined;
  },

  async listSubjectsByIdentifiers(db: Db, identifiers: string[]) {
    const out: SubjectRow[] = [];
    for (let i = 0; i < identifiers.length; i += 500) {
      const rows = await db
        .selectFrom('subjects')
        .selectAll()
        .where('identifier', 'in', identifiers.slice(i, i + 500))
        .execute();
      for (const r of rows) out.push(toSubject(r as never));
    }
    return out;
  },

  async listLicences(db: Db, subjectId: number): Promise<LicenceRow[]> {
    const rows = await db
      .selectFrom('licences')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('kind')
      .orderBy('number')
      .execute();
    return rows.map((r) => ({ subjectId: Number(r.subject_id), kind: r.kind, number: r.number }));
  },

  async countSubjects(db: Db): Promise<Record<SubjectKind, number>> {
    const rows = await db
      .selectFrom('subjects')
      .select((eb) => ['kind', eb.fn.countAll<number>().as('n')])
      .groupBy('kind')
      .execute();
    const out: Record<SubjectKind, number> = { person: 0, organization: 0, public_body: 0 };
    for (const r of rows) out[r.kind as SubjectKind] = Number(r.n);
    return out;
  },

  async listRecordsForSubject(db: Db, subjectId: number): Promise<RecordRow[]> {
    const rows = await db
      .selectFrom('records')
      .innerJoin('sources', 'sources.id', 'records.source_id')
      .selectAll('records')
      .select('sources.code as source_code')
      .where('records.subject_id', '=', subjectId)
      .orderBy('records.occurred_at')
      .orderBy('records.id')
      .execute();
    return rows.map((r) => ({
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
    }));
  },

  async scanRecordsForScoring(
    db: Db,
    chunkSize: number,
    onChunk: (rows: ScoringRecordRow[]) => void | Promise<void>,
  ): Promise<void> {
    let after = 0;
    for (;;) {
      const rows = await scoringRecords(db).where('id', '>', after).orderBy('id').limit(chunkSize).execute();
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1]!.id);
      await onChunk(rows.map(toScoringRecord));
      if (rows.length < chunkSize) return;
    }
  },

  async listRecordsForScoring(db: Db, subjectIds: number[]): Promise<ScoringRecordRow[]> {
    const out: ScoringRecordRow[] = [];
    for (let i = 0; i < subjectIds.length; i += 500) {
      const rows = await scoringRecords(db)
        .where('subject_id', 'in', subjectIds.slice(i, i + 500))
        .orderBy('id')
        .execute();
      for (const r of rows) out.push(toScoringRecord(r));
    }
    return out.sort((a, b) => a.id - b.id);
  },

  async listSubjectsForScoring(
    db: Db,
    filter?: { ids?: number[]; legalRepIds?: number[] },
  ): Promise<ScoringSubjectRow[]> {
    const base = () => db.selectFrom('subjects').select(['id', 'kind', 'legal_rep_id', 'birth_date']);
    const rows: { id: number; kind: string; legal_rep_id: number | null; birth_date: string | null }[] = [];
    // Not push(...rows): a million arguments overflow the stack.
    if (!filter) for (const r of await base().orderBy('id').execute()) rows.push(r);
    else {
      for (const [col, ids] of [
        ['id', filter.ids ?? []],
        ['legal_rep_id', filter.legalRepIds ?? []],
      ] as const) {
        for (let i = 0; i < ids.length; i += 500)
          rows.push(
            ...(await base()
              .where(col, 'in', ids.slice(i, i + 500))
              .execute()),
          );
      }
    }
    const seen = new Set<number>();
    return rows
      .filter((r) => !seen.has(Number(r.id)) && seen.add(Number(r.id)))
      .map((r) => ({
        id: Number(r.id),
        kind: r.kind as SubjectKind,
        legalRepId: r.legal_rep_id == null ? null : Number(r.legal_rep_id),
        birthDate: r.birth_date,
      }))
      .sort((a, b) => a.id - b.id);
  },

  async saveScores(db: Kysely<Database>, rows: ScoreRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.transaction().execute(async (tx) => {
      await noteCheckChanges(
        tx,
        rows.map((r) => r.subjectId),
      );
      for (let i = 0; i < rows.length; i += 1000) {
        await tx
          .insertInto('scores')
          .values(
            rows.slice(i, i + 1000).map((r) => ({
              subject_id: r.subjectId,
              policy_version: r.policyVersion,
              as_of: r.asOf,
              score: r.score,
              grade: r.grade,
              domains: r.domains,
              key_factors: r.keyFactors,
              computed_at: r.computedAt,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['subject_id', 'policy_version', 'as_of']).doUpdateSet((eb) => ({
              score: eb.ref('excluded.score'),
              grade: eb.ref('excluded.grade'),
              domains: eb.ref('excluded.domains'),
              key_factors: eb.ref('excluded.key_factors'),
              computed_at: eb.ref('excluded.computed_at'),
            })),
          )
          .execute();
      }
    });
  },

  async listScores(db: Db, subjectId: number, policyVersion?: string): Promise<ScoreRow[]> {
    let q = db.selectFrom('scores').selectAll().where('subject_id', '=', subjectId);
    if (policyVersion) q = q.where('policy_version', '=', policyVersion);
    const rows = await q.orderBy('as_of', 'desc').orderBy('computed_at', 'desc').execute();
    return rows.map((r) => ({
      subjectId: Number(r.subject_id),
      policyVersion: r.policy_version,
      asOf: r.as_of,
      score: Number(r.score),
      grade: r.grade,
      domains: r.domains,
      keyFactors: r.key_factors,
      computedAt: r.computed_at,
    }));
  },

  async replaceListEntries(
    db: Kysely<Database>,
    subjectIds: number[],
    entries: ListEntryRow[],
  ): Promise<void> {
    await db.transaction().execute(async (tx) => {
      await noteCheckChanges(tx, subjectIds);
      for (let i = 0; i < subjectIds.length; i += 500) {
        await tx
          .deleteFrom('list_entries')
          .where('subject_id', 'in', subjectIds.slice(i, i + 500))
          .execute();
      }
      for (let i = 0; i < entries.length; i += 500) {
        await tx
          .insertInto('list_entries')
          .values(
            entries.slice(i, i + 500).map((e) => ({
              subject_id: e.subjectId,
              list_code: e.listCode,
              status: e.status,
              from_date: e.from,
              until_date: e.until,
              reason_code: e.reasonCode,
              reason_records: JSON.stringify(e.reasonRecords),
              note: e.note,
              entry: e.entry,
              policy_version: e.policyVersion,
              computed_at: e.computedAt,
            })),
          )
          .execute();
      }
    });
  },

  async listCheckSubjects(
    db: Db,
    by:
      | { ids: number[] }
      | { identifiers: string[] }
      | { legalRepIds: number[] }
      | { afterId: number; limit: number },
  ): Promise<CheckSubjectRow[]> {
    const q = () =>
      db
        .selectFrom('subjects')
        .select((eb) => [
          'subjects.id',
          'subjects.identifier',
          'subjects.kind',
          'subjects.legal_rep_id',
          eb
            .selectFrom('scores')
            .select('scores.grade')
            .whereRef('scores.subject_id', '=', 'subjects.id')
            .orderBy('scores.as_of', 'desc')
            .orderBy('scores.computed_at', 'desc')
            .limit(1)
            .as('grade'),
        ]);
    const rows: {
      id: number;
      identifier: string;
      kind: string;
      legal_rep_id: number | null;
      grade: string | null;
    }[] = [];
    if ('afterId' in by) {
      rows.push(
        ...(await q().where('subjects.id', '>', by.afterId).orderBy('subjects.id').limit(by.limit).execute()),
      );
    } else {
      const [col, values] =
        'ids' in by
          ? (['subjects.id', by.ids] as const)
          : 'identifiers' in by
            ? (['subjects.identifier', by.identifiers] as const)
            : (['subjects.legal_rep_id', by.legalRepIds] as const);
      for (let i = 0; i < values.length; i += 500)
        rows.push(
          ...(await q()
            .where(col, 'in', values.slice(i, i + 500) as number[])
            .execute()),
        );
    }
    return rows.map((r) => ({
      id: Number(r.id),
      identifier: r.identifier,
      kind: r.kind as SubjectKind,
      legalRepId: r.legal_rep_id == null ? null : Number(r.legal_rep_id),
      grade: r.grade ?? null,
    }));
  },

  async readCheckChanges(db: Db, afterSeq: number, limit: number): Promise<CheckChange[]> {
    const rows = await db
      .selectFrom('check_changes')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      subjectId: r.subject_id == null ? null : Number(r.subject_id),
    }));
  },

  async lastCheckChange(db: Db): Promise<number> {
    const r = await db
      .selectFrom('check_changes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return r?.seq == null ? 0 : Number(r.seq);
  },

  async listListEntries(db: Db, subjectIds?: number[]): Promise<ListEntryRow[]> {
    const q = () => db.selectFrom('list_entries').selectAll();
    const rows = [];
    if (!subjectIds) rows.push(...(await q().orderBy('subject_id').orderBy('from_date').execute()));
    else {
      for (let i = 0; i < subjectIds.length; i += 500) {
        rows.push(
          ...(await q()
            .where('subject_id', 'in', subjectIds.slice(i, i + 500))
            .orderBy('subject_id')
            .orderBy('from_date')
            .execute()),
        );
      }
    }
    return rows.map((r) => ({
      subjectId: Number(r.subject_id),
      listCode: r.list_code,
      status: r.status as ListEntryRow['status'],
      from: r.from_date,
      until: r.until_date,
      reasonCode: r.reason_code,
      reasonRecords: JSON.parse(r.reason_records) as number[],
      note: r.note,
      entry: r.entry,
      policyVersion: r.policy_version,
      computedAt: r.computed_at,
    }));
  },

  async addNotifications(
    db: Kysely<Database>,
    rows: NewNotification[],
    at: string,
  ): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    return db.transaction().execute(async (tx) => {
      const out: NotificationRow[] = [];
      for (const n of rows) {
        const inserted = await tx
          .insertInto('notifications')
          .values({
            subject_id: n.subjectId,
            kind: n.kind,
            list_code: n.listCode,
            effective: n.effective,
            message: n.message,
            created_at: at,
            read_at: null,
          })
          .onConflict((oc) => oc.columns(['subject_id', 'kind', 'list_code', 'effective']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) continue;
        const id = Number(inserted.id);
        await tx
          .insertInto('outbox')
          .values({
            notification_id: id,
            channel: 'subject',
            payload: JSON.stringify({ ...n, id }),
            created_at: at,
            sent_at: null,
          })
          .execute();
        out.push({ ...n, id, createdAt: at, readAt: null });
      }
      return out;
    });
  },

  async listNotifications(db: Db, subjectId: number): Promise<NotificationRow[]> {
    const rows = await db
      .selectFrom('notifications')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('effective', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      subjectId: Number(r.subject_id),
      kind: r.kind,
      listCode: r.list_code,
      effective: r.effective,
      message: r.message,
      createdAt: r.created_at,
      readAt: r.read_at,
    }));
  },

  async count(db: Db, table: 'records' | 'audit_log'): Promise<number> {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /**
   * A subject's audit trail, newest first: entries naming it (reads, its creation) and the batch
   * entries of the actions that wrote its records (shown as touching this subject).
   */
  async insertCheckGroup(tx: Db, actor: AuditActor, rows: CheckLogDraft[], at: string): Promise<void> {
    // Taking this row's lock first queues the writers of the check log, so its sequence numbers
    // are committed in order and indexing up to the highest one committed never skips a row.
    await queries.setMeta(tx, 'check_log_writer', at);
    const ctx = await tx
      .insertInto('audit_contexts')
      .values({
        at,
        actor: actor.actor,
        role: actor.role,
        purpose: actor.purpose,
        request_id: actor.requestId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const group = checkGroupRecord(rows);
    const entry = await tx
      .insertInto('audit_log')
      .values({
        context_id: Number(ctx.id),
        subject_id: null,
        action: CHECK_ACTION,
        detail: group.detail,
        leaf_hash: auditLeafHash(actor, at, null, CHECK_ACTION, group.detail),
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('check_groups')
      .values({
        audit_seq: Number(entry.seq),
        count: rows.length,
        checks: group.checks,
        subject_ids: group.subjectIds,
      })
      .execute();
  },

  /**
   * Indexes by subject the check groups logged since the last time, whole groups up to about
   * `limit` checks; returns how many checks it covered. Concurrent runs are harmless. (PostgreSQL;
   * SQLite runs the same with its own JSON functions, see sqlite/audit-writer.ts.)
   */
  async indexCheckLog(db: Kysely<Database>, limit: number): Promise<number> {
    return db.transaction().execute(async (tx) => {
      const through = Number((await queries.getMeta(tx, CHECKS_INDEXED_THROUGH)) ?? 0);
      const slice = checkIndexSlice(
        await tx
          .selectFrom('check_groups')
          .select(['audit_seq', 'count'])
          .where('audit_seq', '>', through)
          .orderBy('audit_seq')
          .limit(CHECK_GROUPS_PER_SLICE)
          .execute(),
        limit,
      );
      if (!slice) return 0;
      const chain = checkChainSql(
        'postgres',
        `select e.value::bigint as subject_id, g.audit_seq, (e.ord - 1)::integer as pos
         from check_groups g cross join lateral jsonb_array_elements_text(g.subject_ids) with ordinality as e(value, ord)
         where g.audit_seq > ${through} and g.audit_seq <= ${slice.upTo} and e.value is not null`,
        `audit_seq > ${through} and audit_seq <= ${slice.upTo}`,
      );
      await sql.raw(chain.link).execute(tx);
      await sql.raw(chain.heads).execute(tx);
      await queries.setMeta(tx, CHECKS_INDEXED_THROUGH, String(slice.upTo));
      return slice.checks;
    });
  },

  async listCheckLog(db: Db, auditSeq: number): Promise<CheckLogDraft[]> {
    const row = await db
      .selectFrom('check_groups')
      .select('checks')
      .where('audit_seq', '=', auditSeq)
      .executeTakeFirst();
    return row ? checkGroupRows(row.checks).map(checkFromRow) : [];
  },

  /** The checks of one subject, newest first: the indexed ones and the log's tail not indexed yet. */
  async listChecksForSubject(
    db: Db,
    backend: Backend,
    subjectId: number,
    limit: number,
  ): Promise<AuditRow[]> {
    const through = Number((await queries.getMeta(db, CHECKS_INDEXED_THROUGH)) ?? 0);
    // Never a scan of the log: the groups of the tail not indexed yet by sequence number (their
    // JSON read in SQL), then, if the tail did not fill the page, the subject's chain from its head.
    type Found = { audit_seq: number | string; pos: number; c: string | CheckGroupRow };
    const sqlite = backend === 'sqlite';
    const tail = sqlite
      ? sql<Found>`
          select g.audit_seq, j.key as pos, json_extract(g.checks, '$[' || j.key || ']') as c
          from check_groups g, json_each(g.subject_ids) j
          where g.audit_seq > ${through} and j.value = ${subjectId}
          order by g.audit_seq desc, j.key desc limit ${limit}`
      : sql<Found>`
          select g.audit_seq, (e.ord - 1)::integer as pos, g.checks -> (e.ord - 1)::integer as c
          from check_groups g cross join lateral jsonb_array_elements_text(g.subject_ids) with ordinality as e(value, ord)
          where g.audit_seq > ${through} and e.value = ${String(subjectId)}
          order by g.audit_seq desc, e.ord desc limit ${limit}`;
    const found = (await tail.execute(db)).rows;
    if (found.length < Math.trunc(limit)) {
      const check = sqlite ? `json_extract(g.checks, '$[' || c.pos || ']')` : 'g.checks -> c.pos';
      const rest = String(Math.trunc(limit) - found.length);
      const trail = checkChainTrailSql(check, String(Math.trunc(subjectId)), rest);
      const chained = await sql<Found>`${sql.raw(trail)} order by c.audit_seq desc, c.pos desc`.execute(db);
      found.push(...chained.rows);
    }
    if (found.length === 0) return [];
    const entries = await entriesWithContext(db)
      .where('audit_log.seq', 'in', [...new Set(found.map((f) => Number(f.audit_seq)))])
      .execute();
    const bySeq = new Map(entries.map((e) => [Number(e.seq), e]));
    return found.map((f) => {
      const e = bySeq.get(Number(f.audit_seq))!;
      const c = checkFromRow(typeof f.c === 'string' ? (JSON.parse(f.c) as CheckGroupRow) : f.c);
      return auditRowOf(e, subjectId, CHECK_ACTION, checkAuditDetail(c));
    });
  },

  async listAuditForSubject(db: Db, backend: Backend, subjectId: number, limit: number): Promise<AuditRow[]> {
    const trail = entriesWithContext(db)
      .select(['audit_log.subject_id', 'audit_log.action', 'audit_log.detail'])
      .orderBy('audit_log.seq', 'desc')
      .limit(limit);
    // Three indexed look-ups, merged: the subject's own entries, and the batch entries of the
    // actions that stored its records and created it (found by context, never by scanning the log).
    // A batch entry of one action, found by context: `<> CHECK_ACTION` lets SQLite use the partial
    // index on context (check groups are not in it).
    const batchEntries = (action: string) =>
      trail.where('audit_log.action', '=', action).where('audit_log.action', '<>', CHECK_ACTION);
    const [own, recordBatches, creation] = await Promise.all([
      trail.where('audit_log.subject_id', '=', subjectId).execute(),
      batchEntries('records.create')
        .where('audit_log.context_id', 'in', (eb) =>
          eb.selectFrom('records').select('records.context_id').where('records.subject_id', '=', subjectId),
        )
        .execute(),
      batchEntries('subjects.create')
        .where('audit_log.context_id', '=', (eb) =>
          eb.selectFrom('subjects').select('subjects.context_id').where('subjects.id', '=', subjectId),
        )
        .execute(),
    ]);
    const rows = [...own, ...recordBatches, ...creation];
    const checks = await queries.listChecksForSubject(db, backend, subjectId, limit);
    const entries = rows.map((r) =>
      auditRowOf(r, r.subject_id == null ? subjectId : Number(r.subject_id), r.action, r.detail),
    );
    return [...entries, ...checks].sort((a, b) => b.seq - a.seq).slice(0, limit);
  },

  async claimDueOutbox(db: Kysely<Database>, limit: number, now: string, leaseUntil: string) {
    return db.transaction().execute(async (tx) => {
      // The due test is repeated on the row being updated: under PostgreSQL's read committed, a
      // row another pass claimed meanwhile is re-checked after that pass commits, and skipped.
      const claimed = await tx
        .updateTable('outbox')
        .set({ next_attempt_at: leaseUntil })
        .where((eb) =>
          eb.and([
            eb(
              'id',
              'in',
              eb
                .selectFrom('outbox')
                .select('id')
                .where((w) => dueAt(w, now))
                .orderBy('id')
                .limit(limit),
            ),
            dueAt(eb, now),
          ]),
        )
        .returning('id')
        .execute();
      if (claimed.length === 0) return [];
      const rows = await outboxWithSubject(tx)
        .where(
          'outbox.id',
          'in',
          claimed.map((r) => Number(r.id)),
        )
        .orderBy('outbox.id')
        .execute();
      return rows.map(toOutboxRow);
    });
  },

  async listOutbox(db: Db, state: 'failed' | 'dead', limit: number): Promise<OutboxRow[]> {
    const q = outboxWithSubject(db).where('outbox.sent_at', 'is', null);
    const inState =
      state === 'dead'
        ? q.where('outbox.dead_at', 'is not', null)
        : q.where('outbox.dead_at', 'is', null).where('outbox.attempts', '>', 0);
    const rows = await inState.orderBy('outbox.id', 'desc').limit(limit).execute();
    return rows.map(toOutboxRow);
  },

  async markOutboxSent(db: Db, ids: number[], at: string): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await db
        .updateTable('outbox')
        .set({ sent_at: at, next_attempt_at: null })
        .where('id', 'in', ids.slice(i, i + 500))
        .where('sent_at', 'is', null)
        .execute();
    }
  },

  async markOutboxFailed(db: Kysely<Database>, failures: OutboxFailure[], at: string): Promise<void> {
    if (failures.length === 0) return;
    await db.transaction().execute(async (tx) => {
      for (const f of failures) {
        await tx
          .updateTable('outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: f.error,
            next_attempt_at: f.nextAttemptAt,
            dead_at: f.nextAttemptAt === null ? at : null,
          }))
          .where('id', '=', f.id)
          .where('sent_at', 'is', null)
          .execute();
      }
    });
  },

  async requeueDeadOutbox(
    db: Kysely<Database>,
    ids: number[] | 'all',
    at: string,
    audit: AuditDraft,
  ): Promise<number[]> {
    if (ids !== 'all' && ids.length === 0) return [];
    return db.transaction().execute(async (tx) => {
      let q = tx
        .updateTable('outbox')
        .set({ dead_at: null, attempts: 0, next_attempt_at: at })
        .where('sent_at', 'is', null)
        .where('dead_at', 'is not', null);
      if (ids !== 'all') q = q.where('id', 'in', ids);
      const moved = (await q.returning('id').execute()).map((r) => Number(r.id)).sort((a, b) => a - b);
      if (moved.length > 0)
        await queries.appendAudit(tx, [{ ...audit, detail: JSON.stringify({ requeued: moved }) }], at);
      return moved;
    });
  },

  async countOutboxByState(db: Db): Promise<OutboxCounts> {
    const n = (cond: ReturnType<typeof sql>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;
    const r = await db
      .selectFrom('outbox')
      .select([
        n(sql`sent_at is not null`).as('sent'),
        n(sql`sent_at is null and dead_at is not null`).as('dead'),
        n(sql`sent_at is null and dead_at is null and attempts > 0`).as('failed'),
        n(sql`sent_at is null and dead_at is null and attempts = 0`).as('queued'),
      ])
      .executeTakeFirstOrThrow();
    // sum() over no rows is null; PostgreSQL returns it as a numeric string.
    return {
      queued: Number(r.queued ?? 0),
      sent: Number(r.sent ?? 0),
      failed: Number(r.failed ?? 0),
      dead: Number(r.dead ?? 0),
    };
  },

  async countOutboxPending(db: Db): Promise<number> {
    const r = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sent_at', 'is', null)
      .where('dead_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};

const outboxWithSubject = (db: Db) =>
  db
    .selectFrom('outbox')
    .innerJoin('notifications', 'notifications.id', 'outbox.notification_id')
    .innerJoin('subjects', 'subjects.id', 'notifications.subject_id')
    .selectAll('outbox')
    .select(['subjects.id as subject_id', 'subjects.identifier']);

const toOutboxRow = (
  r: Awaited<ReturnType<ReturnType<typeof outboxWithSubject>['executeTakeFirstOrThrow']>>,
): OutboxRow => ({
  id: Number(r.id),
  notificationId: Number(r.notification_id),
  channel: r.channel,
  subjectId: Number(r.subject_id),
  subjectIdentifier: r.identifier,
  payload: r.payload,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  attempts: Number(r.attempts),
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  deadAt: r.dead_at,
});

/** An outbox row is due at `now` when undelivered, alive, and never tried or its next attempt reached. */
const dueAt = (eb: ExpressionBuilder<Database, 'outbox'>, now: string) =>
  eb.and([
    eb('sent_at', 'is', null),
    eb('dead_at', 'is', null),
    eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
  ]);
