/**
 * Queries both backends share, written once against Kysely. Backends add only what must differ
 * (connection set-up and the bulk record write, which is the hot path).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { CredenceError } from '../../shared/errors.ts';
import type { Database } from '../schema.ts';
import type {
  AuditDraft,
  AuditRow,
  LicenceRow,
  ListEntryRow,
  NewNotification,
  NewSource,
  NewToken,
  NotificationRow,
  PolicyDoc,
  RecordRow,
  RecordStatus,
  RelyingPartyRow,
  ScoreRow,
  ScoringRecordRow,
  ScoringSubjectRow,
  SourceRow,
  SubjectKind,
  SubjectRow,
  TokenRow,
} from '../types.ts';

type Db = Kysely<Database> | Transaction<Database>;

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
const insertAudit = async (db: Db, entries: AuditDraft[], at: string) => {
  const groups = new Map<string, AuditDraft[]>();
  for (const e of entries) {
    const k = JSON.stringify([e.actor, e.role, e.purpose, e.requestId]);
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  for (const group of groups.values()) {
    const c = group[0]!;
    const ctx = await db
      .insertInto('audit_contexts')
      .values({ at, actor: c.actor, role: c.role, purpose: c.purpose, request_id: c.requestId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('audit_log')
      .values(
        group.map((e) => ({
          context_id: Number(ctx.id),
          subject_id: e.subjectId,
          action: e.action,
          detail: e.detail,
          leaf_hash: auditLeafHash(e, at, e.subjectId, e.action, e.detail),
        })),
      )
      .execute();
  }
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
 * A new token in meta `checks_generation` whenever what checks read (list entries, scores)
 * changes, in the same transaction: any process caching check inputs compares it to see changes
 * made by any other process.
 */
const bumpChecksGeneration = async (tx: Db) => {
  const value = randomUUID();
  await tx
    .insertInto('meta')
    .values({ key: 'checks_generation', value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
};

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
    if (!r) return undefined;
    return {
      id: Number(r.id),
      role: r.role,
      principal: r.principal,
      ref: r.ref,
      label: r.label,
      scope: JSON.parse(r.scope) as string[],
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    };
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
    if (!filter) rows.push(...(await base().orderBy('id').execute()));
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
      await bumpChecksGeneration(tx);
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

  async insertRelyingParty(
    db: Kysely<Database>,
    rp: Omit<RelyingPartyRow, 'id' | 'createdAt'>,
    at: string,
    audit: AuditDraft,
  ): Promise<RelyingPartyRow> {
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('relying_parties')
          .values({ code: rp.code, kind: rp.kind, name: rp.name, legal_basis: rp.legalBasis, created_at: at })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        if (rp.measures.length) {
          await tx
            .insertInto('relying_party_measures')
            .values(rp.measures.map((m) => ({ relying_party_id: id, measure_code: m })))
            .execute();
        }
        await queries.appendAudit(tx, [audit], at);
        return { ...rp, measures: [...rp.measures], id, createdAt: at };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CredenceError('conflict', `a relying party with code "${rp.code}" already exists`);
      throw e;
    }
  },

  async listRelyingParties(db: Db, code?: string): Promise<RelyingPartyRow[]> {
    let q = db.selectFrom('relying_parties').selectAll();
    if (code !== undefined) q = q.where('code', '=', code);
    const rows = await q.orderBy('code').execute();
    if (rows.length === 0) return [];
    const grants = await db
      .selectFrom('relying_party_measures')
      .selectAll()
      .where(
        'relying_party_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('measure_code')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      code: r.code,
      kind: r.kind,
      name: r.name,
      legalBasis: r.legal_basis,
      measures: grants.filter((g) => Number(g.relying_party_id) === Number(r.id)).map((g) => g.measure_code),
      createdAt: r.created_at,
    }));
  },

  async replaceListEntries(
    db: Kysely<Database>,
    subjectIds: number[],
    entries: ListEntryRow[],
  ): Promise<void> {
    await db.transaction().execute(async (tx) => {
      await bumpChecksGeneration(tx);
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

  async countOutbox(db: Db): Promise<{ queued: number; sent: number }> {
    const rows = await db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('sent_at').as('sent')])
      .executeTakeFirstOrThrow();
    return { queued: Number(rows.n) - Number(rows.sent), sent: Number(rows.sent) };
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
  async listAuditForSubject(db: Db, subjectId: number, limit: number): Promise<AuditRow[]> {
    const rows = await db
      .selectFrom('audit_log')
      .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
      .select([
        'audit_log.seq',
        'audit_log.subject_id',
        'audit_log.action',
        'audit_log.detail',
        'audit_log.leaf_hash',
        'audit_contexts.at',
        'audit_contexts.actor',
        'audit_contexts.role',
        'audit_contexts.purpose',
        'audit_contexts.request_id',
      ])
      .where((eb) =>
        eb.or([
          eb('audit_log.subject_id', '=', subjectId),
          eb.and([
            eb('audit_log.action', '=', 'records.create'),
            eb(
              'audit_log.context_id',
              'in',
              eb
                .selectFrom('records')
                .select('records.context_id')
                .where('records.subject_id', '=', subjectId),
            ),
          ]),
        ]),
      )
      .orderBy('audit_log.seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      role: r.role,
      purpose: r.purpose,
      subjectId: r.subject_id == null ? subjectId : Number(r.subject_id),
      action: r.action,
      detail: r.detail,
      requestId: r.request_id,
      leafHash: Buffer.from(r.leaf_hash).toString('hex'),
    }));
  },
};
