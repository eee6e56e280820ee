/**
 * Scoring: records in the engine's form (all of them a chunk at a time, or a few subjects'), the
 * subjects to score, and the scores kept per subject, policy version and as-of date.
 */
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type {
  ChangeWatch,
  RecordStatus,
  ScoreRow,
  ScoringRecordRow,
  ScoringSubjectRow,
  SubjectKind,
} from '../types.ts';
import { checkChangesInTurn, checkQueries, noteCheckChanges } from './checks.ts';
import { subjectChunks } from './subject-chunks.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The fingerprint of a subject with no records. */
export const EMPTY_FINGERPRINT = '0:0:0';

/** The fingerprint of one subject's records as read (see `recordFingerprints`). */
export const recordsFingerprint = (rows: readonly { id: number; version?: number }[]): string => {
  let last = 0;
  let versions = 0;
  for (const r of rows) {
    if (r.id > last) last = r.id;
    versions += r.version ?? 0;
  }
  return rows.length === 0 ? EMPTY_FINGERPRINT : `${rows.length}:${last}:${versions}`;
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

export const scoringQueries = {
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
    for (const chunk of subjectChunks(db, subjectIds)) {
      const rows = await scoringRecords(db)
        .select('version')
        .where('subject_id', 'in', chunk)
        .orderBy('id')
        .execute();
      for (const r of rows) out.push({ ...toScoringRecord(r), version: Number(r.version) });
    }
    return out.sort((a, b) => a.id - b.id);
  },

  /**
   * Each subject's records as a fingerprint (`recordsFingerprint` of what `listRecordsForScoring`
   * returns): how many, the last id, the sum of versions. A new record or any revision changes it.
   */
  async recordFingerprints(db: Db, subjectIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const chunk of subjectChunks(db, subjectIds)) {
      const rows = await db
        .selectFrom('records')
        .select((eb) => [
          'subject_id',
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.max('id').as('last'),
          eb.fn.sum<number | string>('version').as('versions'),
        ])
        .where('subject_id', 'in', chunk)
        .groupBy('subject_id')
        .execute();
      for (const r of rows)
        out.set(Number(r.subject_id), `${Number(r.n)}:${Number(r.last)}:${Number(r.versions)}`);
    }
    for (const id of subjectIds) if (!out.has(id)) out.set(id, EMPTY_FINGERPRINT);
    return out;
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
    await db.transaction().execute((tx) => scoringQueries.writeScores(tx, rows));
  },

  /**
   * The full rescoring's write (`Store.saveScoresUnchanged`). Any write of a subject's score,
   * entries or bindings, and any revision of its records, appends a feed row in its transaction,
   * numbered in commit order; a subject named since the computation's read may hold a score made
   * from newer records than it read, so it is left as stored. A record only inserted since brings
   * its refresh, whose write, after this one, wins.
   */
  async saveScoresUnchanged(db: Kysely<Database>, rows: ScoreRow[], watch: ChangeWatch): Promise<number[]> {
    if (rows.length === 0) return [];
    const seen = await db.transaction().execute(async (tx) => {
      if (tx.getExecutor().adapter instanceof PostgresAdapter) {
        // The subjects' rows before the feed's row, as a refresh takes them (for update, in id
        // order; lists.ts): the foreign key of a new score takes this lock anyway, and taken after
        // the feed's row it waits on a refresh that waits on us. Key share: records and bindings
        // written beside do not wait.
        const ids = rows.map((r) => r.subjectId).sort((a, b) => a - b);
        await sql`select id from subjects where id = any(${ids}::bigint[]) order by id for key share`.execute(
          tx,
        );
      }
      // No writer of the feed commits between this read and this write (SQLite: the writer lock).
      const changes = await checkChangesInTurn(tx, watch.after);
      const changed = new Set<number>();
      let everything = watch.everything;
      for (const c of changes)
        if (c.subjectId === null) everything = true;
        else changed.add(c.subjectId);
      // A row saying "everything" replaced the feed (its per-subject rows before it are gone): of
      // those subjects, the ones whose score was written since the computation began are known by
      // it; a revision whose refresh is still to come writes after this, and wins.
      const newer = everything ? await scoredSince(tx, rows, watch.since) : new Set<number>();
      const stale = (id: number) => watch.changed.has(id) || changed.has(id) || newer.has(id);
      const skipped = rows.filter((r) => stale(r.subjectId)).map((r) => r.subjectId);
      await scoringQueries.writeScores(
        tx,
        skipped.length === 0 ? rows : rows.filter((r) => !stale(r.subjectId)),
      );
      // Past this write's own rows: the next chunk reads only what others write after it.
      return { changed, everything, skipped, after: await checkQueries.lastCheckChange(tx) };
    });
    for (const id of seen.changed) watch.changed.add(id);
    watch.everything = seen.everything;
    watch.after = Math.max(watch.after, seen.after);
    return seen.skipped;
  },

  /** `saveScores` inside a transaction the caller holds. */
  async writeScores(tx: Transaction<Database>, rows: ScoreRow[]): Promise<void> {
    if (rows.length === 0) return;
    await noteCheckChanges(
      tx,
      rows.map((r) => r.subjectId),
    );
    if (tx.getExecutor().adapter instanceof PostgresAdapter) {
      // One statement per 5,000 rows with the columns as arrays (8 parameters, not 8 a row).
      for (let i = 0; i < rows.length; i += 5000) {
        const c = rows.slice(i, i + 5000);
        await sql`
          insert into scores (subject_id, policy_version, as_of, score, grade, domains, key_factors, computed_at)
          select * from unnest(${c.map((r) => r.subjectId)}::bigint[], ${c.map((r) => r.policyVersion)}::text[],
            ${c.map((r) => r.asOf)}::text[], ${c.map((r) => r.score)}::integer[], ${c.map((r) => r.grade)}::text[],
            ${c.map((r) => r.domains)}::text[], ${c.map((r) => r.keyFactors)}::text[],
            ${c.map((r) => r.computedAt)}::text[])
          on conflict (subject_id, policy_version, as_of) do update set score = excluded.score,
            grade = excluded.grade, domains = excluded.domains, key_factors = excluded.key_factors,
            computed_at = excluded.computed_at`.execute(tx);
      }
      return;
    }
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
  },

  /**
   * Each person's bindings as a fingerprint: how many, the last id, how many closed, withdrawn,
   * disputed and suspended. Any binding written or decided on changes it.
   */
  async bindingFingerprints(db: Db, personIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < personIds.length; i += 500) {
      const chunk = personIds.slice(i, i + 500);
      const rows = await db
        .selectFrom('subject_bindings')
        .select((eb) => [
          'person_id',
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.max('id').as('last'),
          eb.fn.count<number | string>('valid_until').as('closed'),
          eb.fn.count<number | string>('withdrawn_at').as('withdrawn'),
          eb.fn.count<number | string>('disputed_by').as('disputed'),
          eb.fn.sum<number | string>('suspended').as('suspended'),
        ])
        .where('person_id', 'in', chunk)
        .groupBy('person_id')
        .execute();
      for (const r of rows)
        out.set(
          Number(r.person_id),
          [r.n, r.last, r.closed, r.withdrawn, r.disputed, r.suspended].map((x) => Number(x ?? 0)).join(':'),
        );
    }
    for (const id of personIds) if (!out.has(id)) out.set(id, EMPTY_FINGERPRINT);
    return out;
  },

  /** When each subject's scores were last computed (any policy version); absent: never. */
  async lastScoredAt(db: Db, subjectIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (const chunk of subjectChunks(db, subjectIds)) {
      const rows = await db
        .selectFrom('scores')
        .select((eb) => ['subject_id', eb.fn.max('computed_at').as('at')])
        .where('subject_id', 'in', chunk)
        .groupBy('subject_id')
        .execute();
      for (const r of rows) out.set(Number(r.subject_id), String(r.at));
    }
    return out;
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
};

/** Of these rows' subjects, those holding a score of the rows' policy version written at or after `since`. */
const scoredSince = async (tx: Transaction<Database>, rows: readonly ScoreRow[], since: string) => {
  const out = new Set<number>();
  const ids = [...new Set(rows.map((r) => r.subjectId))];
  for (let i = 0; i < ids.length; i += 1000) {
    const found = await tx
      .selectFrom('scores')
      .select('subject_id')
      .where('subject_id', 'in', ids.slice(i, i + 1000))
      .where('policy_version', '=', rows[0]!.policyVersion)
      .where('computed_at', '>=', since)
      .execute();
    for (const r of found) out.add(Number(r.subject_id));
  }
  return out;
};
