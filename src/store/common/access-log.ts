/**
 * A subject's access log for both backends (see ../access-log.ts): its audit entries other than
 * checks, paged by sequence number, its checks, paged by (group, position), each with its leaf
 * index, and whether a leaf of the tree is on its trail. Every look-up goes through an index: the
 * partial index on `audit_log.subject_id`, the one on `context_id` (by the contexts of the
 * subject's records and creation), the check log's tail by sequence number, the subject's check
 * chain from its head or from a cursor on it (migrations 0007, 0010) and `leaf_index` (0015).
 */
import { type Kysely, sql } from 'kysely';
import type { AccessEntry, AccessLogStore, CheckAccess, CheckCursor } from '../access-log.ts';
import type { CheckGroupRow, Database } from '../schema.ts';
import type { Backend } from '../types.ts';
import { entriesWithContext } from './audit.ts';
import { CHECK_ACTION, CHECKS_INDEXED_THROUGH, checkChainTrailSql, checkFromRow } from './check-log.ts';
import { queries } from './queries.ts';

type Found = { audit_seq: number | string; pos: number | string; c: string | CheckGroupRow };

/** Ids per `in (...)` list. */
const CHUNK = 500;

/** A leaf index as the driver returns it (PostgreSQL's bigint as text); null until sequenced. */
const leafIndexOf = (v: number | string | null): number | null => (v === null ? null : Number(v));

export const accessLogStore = (db: Kysely<Database>, backend: () => Backend): AccessLogStore => ({
  async listAccesses(subjectId, { beforeSeq, limit }): Promise<AccessEntry[]> {
    const n = Math.max(1, Math.trunc(limit));
    const page = () => {
      let q = entriesWithContext(db)
        .select(['audit_log.action', 'audit_log.detail'])
        .orderBy('audit_log.seq', 'desc')
        .limit(n);
      if (beforeSeq !== undefined) q = q.where('audit_log.seq', '<', beforeSeq);
      return q;
    };
    // A batch entry of one action, found by context: `<> CHECK_ACTION` lets SQLite use the partial
    // index on context (check groups are not in it), as the subject's trail does.
    const batch = (action: string) =>
      page().where('audit_log.action', '=', action).where('audit_log.action', '<>', CHECK_ACTION);
    const [own, written, created] = await Promise.all([
      page().where('audit_log.subject_id', '=', subjectId).execute(),
      batch('records.create')
        .where('audit_log.context_id', 'in', (eb) =>
          eb.selectFrom('records').select('records.context_id').where('records.subject_id', '=', subjectId),
        )
        .execute(),
      batch('subjects.create')
        .where('audit_log.context_id', '=', (eb) =>
          eb.selectFrom('subjects').select('subjects.context_id').where('subjects.id', '=', subjectId),
        )
        .execute(),
    ]);
    const seen = new Set<number>();
    const out: AccessEntry[] = [];
    for (const r of [...own, ...written, ...created]) {
      const seq = Number(r.seq);
      if (seen.has(seq)) continue;
      seen.add(seq);
      out.push({
        seq,
        leafIndex: leafIndexOf(r.leaf_index),
        at: r.at,
        actor: r.actor,
        role: r.role,
        purpose: r.purpose,
        action: r.action,
        detail: r.detail,
      });
    }
    return out.sort((a, b) => b.seq - a.seq).slice(0, n);
  },

  async listChecks(subjectId, { before, limit }): Promise<CheckAccess[]> {
    const n = Math.max(1, Math.trunc(limit));
    const sqlite = backend() === 'sqlite';
    const through = Number((await queries.getMeta(db, CHECKS_INDEXED_THROUGH)) ?? 0);
    const found: Found[] = [];
    const inTail = before === undefined || before.seq > through;
    if (inTail) {
      // The groups not indexed yet, by sequence number (their JSON read in SQL), after the cursor.
      const b = before ?? { seq: Number.MAX_SAFE_INTEGER, pos: 0 };
      const tail = sqlite
        ? sql<Found>`
            select g.audit_seq, j.key as pos, json_extract(g.checks, '$[' || j.key || ']') as c
            from check_groups g, json_each(g.subject_ids) j
            where g.audit_seq > ${through} and g.audit_seq <= ${b.seq} and j.value = ${subjectId}
              and (g.audit_seq < ${b.seq} or j.key < ${b.pos})
            order by g.audit_seq desc, j.key desc limit ${n}`
        : sql<Found>`
            select g.audit_seq, (e.ord - 1)::integer as pos, g.checks -> (e.ord - 1)::integer as c
            from check_groups g cross join lateral jsonb_array_elements_text(g.subject_ids) with ordinality as e(value, ord)
            where g.audit_seq > ${through} and g.audit_seq <= ${b.seq} and e.value = ${String(subjectId)}
              and (g.audit_seq < ${b.seq} or (e.ord - 1) < ${b.pos})
            order by g.audit_seq desc, e.ord desc limit ${n}`;
      found.push(...(await tail.execute(db)).rows);
    }
    if (found.length < n) {
      const check = sqlite ? `json_extract(g.checks, '$[' || c.pos || ']')` : 'g.checks -> c.pos';
      const rest = String(n - found.length);
      const subject = String(Math.trunc(subjectId));
      // From the subject's head, or from the check before the cursor on its chain (only a link of
      // this subject's chain: a cursor naming another subject's check leads nowhere).
      const trail = inTail
        ? checkChainTrailSql(check, subject, rest)
        : chainFromSql(check, subject, rest, before as CheckCursor);
      const chained = await sql<Found>`${sql.raw(trail)} order by c.audit_seq desc, c.pos desc`.execute(db);
      // Groups indexed since `through` was read are on the chain now and were read in the tail
      // above (which reads by sequence, whatever is indexed): each check is counted once.
      for (const r of chained.rows) if (!inTail || Number(r.audit_seq) <= through) found.push(r);
    }
    if (found.length === 0) return [];
    const seqs = [...new Set(found.map((f) => Number(f.audit_seq)))];
    const bySeq = new Map<
      number,
      { leaf_index: number | string | null; at: string; actor: string; role: string; purpose: string }
    >();
    for (let i = 0; i < seqs.length; i += CHUNK)
      for (const e of await entriesWithContext(db)
        .where('audit_log.seq', 'in', seqs.slice(i, i + CHUNK))
        .execute())
        bySeq.set(Number(e.seq), e);
    return found.map((f) => {
      const e = bySeq.get(Number(f.audit_seq))!;
      const c = checkFromRow(typeof f.c === 'string' ? (JSON.parse(f.c) as CheckGroupRow) : f.c);
      return {
        seq: Number(f.audit_seq),
        leafIndex: leafIndexOf(e.leaf_index),
        pos: Number(f.pos),
        checkId: c.checkId,
        at: e.at,
        actor: e.actor,
        role: e.role,
        purpose: e.purpose,
        measure: c.measure,
        applies: c.applies,
      };
    });
  },

  async leafOnTrail(subjectId, leafIndex): Promise<boolean> {
    if (!Number.isSafeInteger(subjectId) || !Number.isSafeInteger(leafIndex) || leafIndex < 0) return false;
    // The entry by the unique partial index on leaf_index, then one look-up by key for the link
    // that puts it on the trail: as listAccesses finds batches (records by subject, the subject by
    // id) and as listChecks finds check groups (the group by its entry, its subject ids in SQL).
    const e = await db
      .selectFrom('audit_log')
      .select(['seq', 'context_id', 'subject_id', 'action'])
      .where('leaf_index', '=', leafIndex)
      .executeTakeFirst();
    if (!e) return false;
    if (e.subject_id !== null && Number(e.subject_id) === subjectId) return true;
    const found = async (q: { executeTakeFirst(): Promise<unknown> }) =>
      (await q.executeTakeFirst()) !== undefined;
    switch (e.action) {
      case 'records.create':
        return found(
          db
            .selectFrom('records')
            .select('id')
            .where('subject_id', '=', subjectId)
            .where('context_id', '=', e.context_id)
            .limit(1),
        );
      case 'subjects.create':
        return found(
          db
            .selectFrom('subjects')
            .select('id')
            .where('id', '=', subjectId)
            .where('context_id', '=', e.context_id),
        );
      case CHECK_ACTION: {
        const names =
          backend() === 'sqlite'
            ? sql`exists (select 1 from json_each(g.subject_ids) j where j.value = ${subjectId})`
            : sql`g.subject_ids @> cast(${JSON.stringify([subjectId])} as jsonb)`;
        const r =
          await sql`select 1 as x from check_groups g where g.audit_seq = ${e.seq} and ${names}`.execute(db);
        return r.rows.length > 0;
      }
      default:
        return false;
    }
  },
});

/** A subject's chained checks before `from` (a link of its chain), newest first, at most `limit`. */
const chainFromSql = (check: string, subject: string, limit: string, from: CheckCursor) => `
  with recursive c (audit_seq, pos, prev_seq, prev_pos, n) as (
    select k.audit_seq, k.pos, k.prev_seq, k.prev_pos, 1
    from check_chain s join check_chain k on k.audit_seq = s.prev_seq and k.pos = s.prev_pos
    where s.audit_seq = ${Math.trunc(from.seq)} and s.pos = ${Math.trunc(from.pos)} and s.subject_id = ${subject}
    union all
    select k.audit_seq, k.pos, k.prev_seq, k.prev_pos, c.n + 1
    from c join check_chain k on k.audit_seq = c.prev_seq and k.pos = c.prev_pos
    where c.n < ${limit})
  select c.audit_seq, c.pos, ${check} as c
  from c join check_groups g on g.audit_seq = c.audit_seq`;
