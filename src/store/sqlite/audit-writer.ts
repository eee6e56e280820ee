/**
 * What a busy API node runs on every turn of its event loop — a turn of checks (the change feed
 * read and the checks logged in one transaction) and the group-committed audit entries — as
 * prepared better-sqlite3 statements, without building SQL per call.
 */
import type Database from 'better-sqlite3';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import { type AuditBatch, groupAuditEntries, groupCheckLog } from '../common/audit-groups.ts';
import {
  CHECK_ACTION,
  CHECK_GROUPS_PER_SLICE,
  CHECKS_INDEXED_THROUGH,
  checkChainSql,
  checkGroupRecord,
  checkIndexSlice,
} from '../common/check-log.ts';
import type { CheckChange, CheckTurn } from '../types.ts';

export const makeAuditWriter = (raw: Database.Database) => {
  const insContext = raw.prepare(
    'insert into audit_contexts (at, actor, role, purpose, request_id) values (?, ?, ?, ?, ?)',
  );
  const insLog = raw.prepare(
    'insert into audit_log (context_id, subject_id, action, detail, leaf_hash) values (?, ?, ?, ?, ?)',
  );
  const insGroup = raw.prepare(
    'insert into check_groups (audit_seq, count, checks, subject_ids, check_key) values (?, ?, ?, ?, ?)',
  );
  const indexedThrough = raw.prepare('select value from meta where key = ?').pluck();
  const groupsAfter = raw.prepare(
    `select audit_seq, count from check_groups where audit_seq > ? order by audit_seq limit ${CHECK_GROUPS_PER_SLICE}`,
  );
  const chain = checkChainSql(
    'sqlite',
    `select j.value as subject_id, g.audit_seq, j.key as pos from check_groups g, json_each(g.subject_ids) j
     where g.audit_seq > ? and g.audit_seq <= ? and j.type = 'integer'`,
    'audit_seq > ? and audit_seq <= ?',
  );
  const linkChecks = raw.prepare(chain.link);
  const moveHeads = raw.prepare(chain.heads);
  const setIndexedThrough = raw.prepare(
    'insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value',
  );
  const indexSlice = raw.transaction((limit: number): number => {
    const through = Number(indexedThrough.get(CHECKS_INDEXED_THROUGH) ?? 0);
    const slice = checkIndexSlice(groupsAfter.all(through) as { audit_seq: number; count: number }[], limit);
    if (!slice) return 0;
    linkChecks.run(through, slice.upTo);
    moveHeads.run(through, slice.upTo);
    setIndexedThrough.run(CHECKS_INDEXED_THROUGH, String(slice.upTo));
    return slice.checks;
  });
  const changes = raw.prepare('select seq, subject_id from check_changes where seq > ? order by seq limit ?');
  const writeEntries = (batches: readonly AuditBatch[]) => {
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
  };
  const writeChecks = (groups: ReturnType<typeof groupCheckLog>) => {
    for (const { actor, at, rows, checkKey, policies } of groups) {
      const contextId = insContext.run(
        at,
        actor.actor,
        actor.role,
        actor.purpose,
        actor.requestId,
      ).lastInsertRowid;
      const group = checkGroupRecord(rows, policies);
      const auditSeq = insLog.run(
        contextId,
        null,
        CHECK_ACTION,
        group.detail,
        auditLeafHash(actor, at, null, CHECK_ACTION, group.detail),
      ).lastInsertRowid;
      insGroup.run(auditSeq, rows.length, group.checks, group.subjectIds, checkKey);
    }
  };
  const write = raw.transaction((batches: readonly AuditBatch[]) => writeEntries(batches));
  const readChanges = (afterSeq: number, limit: number): CheckChange[] =>
    (changes.all(afterSeq, limit) as { seq: number; subject_id: number | null }[]).map((r) => ({
      seq: r.seq,
      subjectId: r.subject_id,
    }));
  /** Begun IMMEDIATE: the feed is read under the write lock, so nothing commits before the checks do. */
  const checkTurn = raw.transaction((afterSeq: number, limit: number, turn: CheckTurn) => {
    const logged = turn(readChanges(afterSeq, limit));
    if (!logged) return false;
    writeChecks(groupCheckLog(logged));
    return true;
  });
  return {
    write: (batches: readonly AuditBatch[]) => write(batches),
    indexChecks: (limit: number) => indexSlice.immediate(limit),
    readChanges,
    checkTurn: (afterSeq: number, limit: number, turn: CheckTurn): boolean =>
      checkTurn.immediate(afterSeq, limit, turn),
  };
};
