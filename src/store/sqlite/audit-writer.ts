/**
 * The two statements a busy API node runs on every turn of its event loop — appending the
 * group-committed audit entries and reading the check change feed — as prepared better-sqlite3
 * statements, without building SQL per call.
 */
import type Database from 'better-sqlite3';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { groupAuditEntries } from '../common/audit-groups.ts';
import type { AuditDraft, CheckChange } from '../types.ts';

export interface AuditBatch {
  entries: AuditDraft[];
  at: string;
}

export const makeAuditWriter = (raw: Database.Database) => {
  const insContext = raw.prepare(
    'insert into audit_contexts (at, actor, role, purpose, request_id) values (?, ?, ?, ?, ?)',
  );
  const insLog = raw.prepare(
    'insert into audit_log (context_id, subject_id, action, detail, leaf_hash) values (?, ?, ?, ?, ?)',
  );
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
  });
  return {
    write: (batches: readonly AuditBatch[]) => write(batches),
    readChanges: (afterSeq: number, limit: number): CheckChange[] =>
      (changes.all(afterSeq, limit) as { seq: number; subject_id: number | null }[]).map((r) => ({
        seq: r.seq,
        subjectId: r.subject_id,
      })),
  };
};
