/**
 * A turn of checks on PostgreSQL in one round trip: one statement reads the change feed after the
 * turn's position and, when it is empty, logs the turn's checks — every group's audit context,
 * audit entry and check group, from column arrays — and commits (a single statement is its own
 * transaction). The checks were answered beforehand as if the feed were empty; when it is not,
 * nothing is written and the changes come back, so the turn is answered again with them (or the
 * caller catches up first). The statement's snapshot is taken after the checks were answered, so an
 * answer logged reflects every change committed before the statement began; one committed while it
 * runs is seen by the next turn.
 *
 * Where the time went before (a transaction of `begin`, the feed read, then four statements per
 * group and `commit`: seven round trips for one group, each turn waiting for the one before) is
 * in ARCHITECTURE.md.
 */
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { groupCheckLog } from '../common/audit-groups.ts';
import { CHECK_ACTION, checkGroupRecord } from '../common/check-log.ts';
import type { CheckChange, CheckLogBatch, CheckTurn } from '../types.ts';

/**
 * The turn's one statement, with the parameters `logTurn` gives it: the feed after $1 (at most $2
 * changes), and the groups logged unless $3 (`force`) is false and the feed is not empty. The
 * groups come as column arrays ($6–$13 and $17, the key of their check IDs; one element a group)
 * and their checks as two JSON arrays ($15, $16: one JSON text each, parsed once by the server;
 * as text[] elements they would be escaped into an array literal and parsed twice). The meta row
 * `check_log_writer` is upserted first (the groups' keys are drawn only from its row, so after its lock): it queues the check
 * log's writers, so their sequence numbers commit in order and indexing up to the highest committed
 * never skips a group. The keys are drawn with `nextval` in the groups' order (a materialized CTE,
 * evaluated once), not matched back from `returning`, whose order PostgreSQL does not promise.
 * Foreign keys are checked at the end of the statement, when all three inserts are done.
 */
const CHECK_TURN_SQL = `
  with ch as (
    select seq, subject_id from check_changes where seq > $1 order by seq limit $2),
  go as (select 1 as one where $3::boolean or not exists (select 1 from ch)),
  w as (
    insert into meta (key, value) select 'check_log_writer', $4::text from go where $5::integer > 0
    on conflict (key) do update set value = excluded.value
    returning 1 as one),
  g as materialized (
    select nextval(pg_get_serial_sequence('audit_contexts', 'id')) as ctx,
      nextval(pg_get_serial_sequence('audit_log', 'seq')) as seq, t.*
    from w cross join unnest($6::text[], $7::text[], $8::text[], $9::text[],
      $10::text[], $11::text[], $12::bytea[], $13::integer[], $17::text[]) with ordinality
      as t(at, actor, role, purpose, request_id, detail, leaf_hash, count, check_key, o)
    order by t.o),
  c as (
    insert into audit_contexts (id, at, actor, role, purpose, request_id)
    select ctx, at, actor, role, purpose, request_id from g),
  l as (
    insert into audit_log (seq, context_id, subject_id, action, detail, leaf_hash)
    select seq, ctx, null, $14, detail, leaf_hash from g),
  k as (
    insert into check_groups (audit_seq, count, checks, subject_ids, check_key)
    select seq, count, $15::jsonb -> (o - 1)::integer, $16::jsonb -> (o - 1)::integer, check_key from g)
  select seq, subject_id from ch order by seq`;

/**
 * Runs a statement as a named prepared statement: parsed and planned once per connection rather
 * than on every turn (on this machine a turn then takes about half the time: ARCHITECTURE.md).
 */
export type RunPrepared = <R>(name: string, text: string, values: unknown[]) => Promise<{ rows: R[] }>;

/** The feed after `afterSeq`, and `batches` logged unless `force` is false and the feed is not empty. */
const logTurn = async (
  run: RunPrepared,
  afterSeq: number,
  limit: number,
  batches: readonly CheckLogBatch[],
  force: boolean,
): Promise<CheckChange[]> => {
  const groups = groupCheckLog(batches);
  const at: string[] = [];
  const actor: string[] = [];
  const role: string[] = [];
  const purpose: string[] = [];
  const requestId: (string | null)[] = [];
  const detail: string[] = [];
  const leaf: Buffer[] = [];
  const count: number[] = [];
  const checks: string[] = [];
  const subjectIds: string[] = [];
  const checkKey: (string | null)[] = [];
  for (const g of groups) {
    const record = checkGroupRecord(g.rows, g.policies);
    at.push(g.at);
    actor.push(g.actor.actor);
    role.push(g.actor.role);
    purpose.push(g.actor.purpose);
    requestId.push(g.actor.requestId);
    detail.push(record.detail);
    leaf.push(auditLeafHash(g.actor, g.at, null, CHECK_ACTION, record.detail));
    count.push(g.rows.length);
    checks.push(record.checks);
    subjectIds.push(record.subjectIds);
    checkKey.push(g.checkKey);
  }
  const { rows } = await run<{ seq: number | string; subject_id: number | string | null }>(
    'credence_check_turn',
    CHECK_TURN_SQL,
    [
      afterSeq,
      limit,
      force,
      at[0] ?? '',
      groups.length,
      at,
      actor,
      role,
      purpose,
      requestId,
      detail,
      leaf,
      count,
      CHECK_ACTION,
      `[${checks.join(',')}]`,
      `[${subjectIds.join(',')}]`,
      checkKey,
    ],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    subjectId: r.subject_id == null ? null : Number(r.subject_id),
  }));
};

/**
 * `Store.checkTurn` on PostgreSQL: the turn answered first as of no change (one round trip when
 * the feed holds none, as it does between writes), then, if the feed held some, answered with
 * them; written by a second statement only when the turn answers regardless (see CheckTurn).
 */
export const checkTurn = async (
  run: RunPrepared,
  afterSeq: number,
  limit: number,
  turn: CheckTurn,
): Promise<boolean> => {
  const optimistic = turn([]);
  if (!optimistic) return false;
  const changes = await logTurn(run, afterSeq, limit, optimistic, false);
  if (changes.length === 0) return true;
  const batches = turn(changes);
  if (!batches) return false;
  await logTurn(run, afterSeq, limit, batches, true);
  return true;
};
