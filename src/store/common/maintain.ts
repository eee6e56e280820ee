/**
 * The maintenance calendar's queries (src/maintain): the first day each subject's score, grade or
 * list entries change without a new record, and the subjects due by a day, a page at a time.
 */
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { SubjectDue } from '../types.ts';
import { subjectChunks } from './subject-chunks.ts';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;

/** On PostgreSQL, rows a statement upserts through unnest() of two arrays (two parameters whatever the size). */
const PG_CHUNK = 20_000;

const upsert = async (db: Db, rows: { subjectId: number; dueDay: string }[], lower: boolean) => {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // One statement (and outside a transaction one commit) instead of one per 500 rows.
    for (let i = 0; i < rows.length; i += PG_CHUNK) {
      const c = rows.slice(i, i + PG_CHUNK);
      await sql`
        insert into subject_due (subject_id, due_day)
        select * from unnest(${c.map((r) => r.subjectId)}::bigint[], ${c.map((r) => r.dueDay)}::text[])
        on conflict (subject_id) do update set due_day = ${
          lower
            ? sql`case when excluded.due_day < subject_due.due_day then excluded.due_day else subject_due.due_day end`
            : sql`excluded.due_day`
        }`.execute(db);
    }
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('subject_due')
      .values(rows.slice(i, i + CHUNK).map((r) => ({ subject_id: r.subjectId, due_day: r.dueDay })))
      .onConflict((oc) =>
        oc.column('subject_id').doUpdateSet({
          // Lowering keeps the earlier of the two days: a day too early costs one recomputation
          // that finds nothing to change; a day too late would miss a transition.
          due_day: lower
            ? sql<string>`case when excluded.due_day < subject_due.due_day then excluded.due_day else subject_due.due_day end`
            : sql<string>`excluded.due_day`,
        }),
      )
      .execute();
  }
};

export const maintainQueries = {
  /** Sets each subject's due day; null: nothing due (its row goes). */
  async setDueDays(db: Db, rows: readonly SubjectDue[]): Promise<void> {
    if (rows.length === 0) return;
    const seen = new Map<number, string | null>();
    for (const r of rows) seen.set(r.subjectId, r.dueDay);
    const set = [...seen].flatMap(([subjectId, dueDay]) => (dueDay === null ? [] : [{ subjectId, dueDay }]));
    const none = [...seen].flatMap(([subjectId, dueDay]) => (dueDay === null ? [subjectId] : []));
    for (const chunk of subjectChunks(db, none))
      await db.deleteFrom('subject_due').where('subject_id', 'in', chunk).execute();
    await upsert(db, set, false);
  },

  /** Moves each subject's due day earlier to the day given (never later); a subject without one gets it. */
  async lowerDueDays(db: Db, rows: readonly { subjectId: number; dueDay: string }[]): Promise<void> {
    const by = new Map<number, string>();
    for (const r of rows) {
      const d = by.get(r.subjectId);
      if (d === undefined || r.dueDay < d) by.set(r.subjectId, r.dueDay);
    }
    await upsert(
      db,
      [...by].map(([subjectId, dueDay]) => ({ subjectId, dueDay })),
      true,
    );
  },

  async listDueDays(db: Db, subjectIds: readonly number[]): Promise<SubjectDue[]> {
    const out: SubjectDue[] = [];
    for (const chunk of subjectChunks(db, subjectIds)) {
      const rows = await db
        .selectFrom('subject_due')
        .select(['subject_id', 'due_day'])
        .where('subject_id', 'in', chunk)
        .execute();
      for (const r of rows) out.push({ subjectId: Number(r.subject_id), dueDay: r.due_day });
    }
    return out.sort((a, b) => a.subjectId - b.subjectId);
  },

  /** Subjects due on or before `through`, after `afterId`, in id order. */
  async listDueSubjects(db: Db, through: string, afterId: number, limit: number): Promise<number[]> {
    const rows = await db
      .selectFrom('subject_due')
      .select('subject_id')
      .where('due_day', '<=', through)
      .where('subject_id', '>', afterId)
      .orderBy('subject_id')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.subject_id));
  },

  /** Each subject's score and grade as of its latest day under this policy version. */
  async listLatestScores(
    db: Db,
    subjectIds: readonly number[],
    policyVersion: string,
  ): Promise<{ subjectId: number; asOf: string; score: number; grade: string }[]> {
    const out: { subjectId: number; asOf: string; score: number; grade: string }[] = [];
    for (const chunk of subjectChunks(db, subjectIds)) {
      const rows = await db
        .selectFrom('scores as s')
        .select(['s.subject_id', 's.as_of', 's.score', 's.grade'])
        .where('s.subject_id', 'in', chunk)
        .where('s.policy_version', '=', policyVersion)
        .where((eb) =>
          eb(
            's.as_of',
            '=',
            eb
              .selectFrom('scores as t')
              .select((e) => e.fn.max('t.as_of').as('m'))
              .whereRef('t.subject_id', '=', 's.subject_id')
              .where('t.policy_version', '=', policyVersion),
          ),
        )
        .execute();
      for (const r of rows)
        out.push({ subjectId: Number(r.subject_id), asOf: r.as_of, score: Number(r.score), grade: r.grade });
    }
    return out;
  },

  async countDueSubjects(db: Db, through: string): Promise<number> {
    const r = await db
      .selectFrom('subject_due')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('due_day', '<=', through)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
