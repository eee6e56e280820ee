/**
 * Checks: the subjects a check reads, the change feed that keeps checks current, and the check log
 * (groups and their chains per subject).
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import type { CheckGroupRow, Database } from '../schema.ts';
import type {
  AuditRow,
  Backend,
  CheckChange,
  CheckLogDraft,
  CheckSubjectRow,
  LoggedCheck,
  SubjectKind,
} from '../types.ts';
import { auditRowOf, entriesWithContext } from './audit.ts';
import type { CheckLogGroup } from './audit-groups.ts';
import {
  CHECK_ACTION,
  CHECK_GROUPS_PER_SLICE,
  CHECKS_INDEXED_THROUGH,
  checkAuditDetail,
  checkChainSql,
  checkChainTrailSql,
  checkFromRow,
  checkGroupPolicies,
  checkGroupRecord,
  checkGroupRows,
  checkIndexSlice,
  checkKeyOf,
} from './check-log.ts';
import { queries } from './queries.ts';

type Db = Kysely<Database> | Transaction<Database>;
/**
 * Notes that what checks read (list entries, scores) changed for these subjects, in the caller's
 * transaction. The `checks_generation` upsert comes first: its row lock queues concurrent writers,
 * so change rows are numbered in commit order and a reader never skips one that commits late.
 * Past FULL_CHANGE subjects one row says "everything" and replaces the feed. The full rescoring
 * writes at most that many a transaction: a row of its own saying everything would leave its later
 * chunks unwritten, to be scored again one by one (`saveScoresUnchanged`).
 */
const FULL_CHANGE = 5000;
export const noteCheckChanges = async (tx: Db, subjectIds: readonly number[]) => {
  const ids = [...new Set(subjectIds)];
  if (ids.length > FULL_CHANGE) return noteEveryCheckChanged(tx);
  await queries.setMeta(tx, 'checks_generation', randomUUID());
  for (let i = 0; i < ids.length; i += 1000)
    await tx
      .insertInto('check_changes')
      .values(ids.slice(i, i + 1000).map((subject_id) => ({ subject_id })))
      .execute();
};

/**
 * Takes the feed's turn in the caller's transaction (the `checks_generation` row, as
 * `noteCheckChanges` takes it first), then reads the rows after `afterSeq`: every change committed
 * before the caller's, and none can commit between this read and the caller's commit.
 */
export const checkChangesInTurn = async (tx: Transaction<Database>, afterSeq: number) => {
  await queries.setMeta(tx, 'checks_generation', randomUUID());
  const out: CheckChange[] = [];
  for (let after = afterSeq; ; ) {
    const rows = await checkQueries.readCheckChanges(tx, after, 10_000);
    for (const r of rows) out.push(r);
    if (rows.length < 10_000) return out;
    after = rows[rows.length - 1]!.seq;
  }
};

/** Notes that everything checks read may have changed (one row: every index starts afresh). */
export const noteEveryCheckChanged = async (tx: Db) => {
  await queries.setMeta(tx, 'checks_generation', randomUUID());
  await tx.deleteFrom('check_changes').execute();
  await tx.insertInto('check_changes').values({ subject_id: null }).execute();
};

export const checkQueries = {
  async listCheckSubjects(
    db: Db,
    by: { ids: number[] } | { identifiers: string[] } | { afterId: number; limit: number },
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
        'ids' in by ? (['subjects.id', by.ids] as const) : (['subjects.identifier', by.identifiers] as const);
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

  /**
   * A subject's audit trail, newest first: entries naming it (reads, its creation) and the batch
   * entries of the actions that wrote its records (shown as touching this subject).
   */
  async insertCheckGroup(tx: Db, { actor, rows, at, checkKey, policies }: CheckLogGroup): Promise<void> {
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
    const group = checkGroupRecord(rows, policies);
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
        check_key: checkKey,
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

  /**
   * A check by its ID: its group by the key the ID carries (the index of migration 0028), then the
   * check among the group's rows, with the group's audit context and policy versions.
   */
  async findCheck(db: Db, checkId: string): Promise<LoggedCheck | undefined> {
    const key = checkKeyOf(checkId);
    if (key === undefined) return undefined;
    const groups = await db
      .selectFrom('check_groups')
      .innerJoin('audit_log', 'audit_log.seq', 'check_groups.audit_seq')
      .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
      .select([
        'check_groups.audit_seq',
        'check_groups.checks',
        'audit_log.detail',
        'audit_log.leaf_index',
        'audit_contexts.at',
        'audit_contexts.actor',
        'audit_contexts.role',
        'audit_contexts.purpose',
      ])
      .where('check_groups.check_key', '=', key)
      .execute();
    for (const g of groups) {
      const rows = checkGroupRows(g.checks);
      const pos = rows.findIndex((r) => r[0] === checkId);
      if (pos < 0) continue;
      return {
        ...checkFromRow(rows[pos]!),
        auditSeq: Number(g.audit_seq),
        pos,
        leafIndex: g.leaf_index === null ? null : Number(g.leaf_index),
        at: g.at,
        actor: g.actor,
        role: g.role,
        purpose: g.purpose,
        policies: checkGroupPolicies(g.detail),
      };
    }
    return undefined;
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
      const rest = Math.trunc(limit) - found.length;
      // Indexing may commit between the reads above and this one: a group it indexed meanwhile is
      // in the tail already and now on the chain too. At most the tail's number of them, so the
      // chain is read that much further and those past `through` are left out (never twice).
      const trail = checkChainTrailSql(check, String(Math.trunc(subjectId)), String(rest + found.length));
      const chained = await sql<Found>`${sql.raw(trail)} order by c.audit_seq desc, c.pos desc`.execute(db);
      found.push(...chained.rows.filter((r) => Number(r.audit_seq) <= through).slice(0, rest));
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
};
