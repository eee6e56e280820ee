/**
 * The two statements a busy API node runs on every turn of its event loop — appending the
 * group-committed audit entries and reading the check change feed — as prepared better-sqlite3
 * statements, without building SQL per call.
 */
import type Database from 'better-sqlite3';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { type AuditBatch, groupAuditEntries, groupChecks } from '../common/audit-groups.ts';
import { CHECK_ACTION, checkGroupDetail } from '../common/check-log.ts';
import type { CheckChange } from '../types.ts';

export const makeAuditWriter = (raw: Database.Database) => {
  const insContext = raw.prepare(
    'insert into audit_contexts (at, actor, role, purpose, request_id) values (?, ?, ?, ?, ?)',
  );
  const insLog = raw.prepare(
    'insert into audit_log (context_id, subject_id, action, detail, leaf_hash) values (?, ?, ?, ?, ?)',
  );
  // Checks are written up to CHECK_ROWS rows per statement, one prepared statement per row count.
  const CHECK_ROWS = 100;
  const insChecks: Database.Statement[] = [];
  const insertChecks = (n: number) => {
    let st = insChecks[n];
    if (!st) {
      st = raw.prepare(
        `insert into check_log (audit_seq, subject_id, subject, measure, applies, reason_code, check_id) values ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      );
      insChecks[n] = st;
    }
    return st;
  };
  const params: unknown[] = [];
  const indexedThrough = raw.prepare("select value from meta where key = 'check_log_indexed_through'");
  const lastCheck = raw.prepare('select max(seq) as seq from check_log');
  const indexChecks = raw.prepare(
    'insert into check_log_subjects (subject_id, check_seq) select subject_id, seq from check_log where seq > ? and seq <= ? and subject_id is not null on conflict do nothing',
  );
  const setIndexedThrough = raw.prepare(
    "insert into meta (key, value) values ('check_log_indexed_through', ?) on conflict (key) do update set value = excluded.value",
  );
  const indexSlice = raw.transaction((limit: number): number => {
    const through = Number((indexedThrough.get() as { value: string } | undefined)?.value ?? 0);
    const upTo = Math.min(Number((lastCheck.get() as { seq: number | null }).seq ?? 0), through + limit);
    if (upTo <= through) return 0;
    indexChecks.run(through, upTo);
    setIndexedThrough.run(String(upTo));
    return upTo - through;
  });
  const changes = raw.prepare('select seq, subject_id from check_changes where seq > ? order by seq limit ?');
  const write = raw.transaction((batches: readonly AuditBatch[]) => {
    for (const { entries, at } of batches) {
      for (const group of groupAuditEntries(entries)) {
        const c = group[0]!;
        const contextId = insContext.run(at, c.actor, c.role, c.purpose, c.requestId).lastInsertRowid;
        for (const e of group)
          insLog.run(
            contextId,
            e.subjectId,
            e.action,
            e.detail,
            auditLeafHash(e, at, e.subjectId, e.action, e.detail),
          );
      }
    }
    for (const { actor, at, rows } of groupChecks(batches)) {
      const contextId = insContext.run(
        at,
        actor.actor,
        actor.role,
        actor.purpose,
        actor.requestId,
      ).lastInsertRowid;
      const detail = checkGroupDetail(rows);
      const auditSeq = insLog.run(
        contextId,
        null,
        CHECK_ACTION,
        detail,
        auditLeafHash(actor, at, null, CHECK_ACTION, detail),
      ).lastInsertRowid;
      for (let i = 0; i < rows.length; ) {
        const n = Math.min(rows.length - i, CHECK_ROWS);
        params.length = 0;
        for (let j = i; j < i + n; j++) {
          const c = rows[j]!;
          params.push(
            auditSeq,
            c.subjectId,
            c.subjectId === null ? c.subject : null,
            c.measure,
            c.applies ? 1 : 0,
            c.reasonCode,
            c.checkId,
          );
        }
        insertChecks(n).run(params);
        i += n;
      }
    }
  });
  return {
    write: (batches: readonly AuditBatch[]) => write(batches),
    indexChecks: (limit: number) => indexSlice.immediate(limit),
    readChanges: (afterSeq: number, limit: number): CheckChange[] =>
      (changes.all(afterSeq, limit) as { seq: number; subject_id: number | null }[]).map((r) => ({
        seq: r.seq,
        subjectId: r.subject_id,
      })),
  };
};
