/**
 * Migration 0009 renumbers nothing: the audit log and its contexts keep every row, number and leaf
 * hash, new entries continue after the last one, and every reference still holds, on both backends
 * (on SQLite the tables are rebuilt without AUTOINCREMENT; on PostgreSQL nothing changes).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertAuditEntry, logChecks, migrateTo, unmigratedStores } from '../../test/store-fixtures.ts';
import { checkGroupJson, checkLinesDetail } from './common/check-log.ts';
import type { KyselyStore } from './common/kysely-store.ts';
import type { CheckLogDraft } from './types.ts';

const backends = unmigratedStores('mig9');

const AT = '2026-03-01T09:00:00.000Z';
const operator = { actor: 'operator:ops', role: 'operator', purpose: 'set-up', requestId: 'r-1' };
const rail = { actor: 'relying_party:rail', role: 'relying_party', purpose: 'ticket sale', requestId: null };
const checks = (n: number, from: number): CheckLogDraft[] =>
  Array.from({ length: n }, (_, i) => ({
    checkId: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`,
    subjectId: null,
    subject: '110101199003077777',
    measure: 'restrict.high_speed_rail',
    applies: false,
    reasonCode: 'UNKNOWN_SUBJECT',
  }));

for (const b of backends) {
  describe.skipIf(Boolean(b.skip))(`audit rows numbered without AUTOINCREMENT on ${b.name}`, () => {
    it('keeps every entry, number and leaf, and goes on numbering after the last', async () => {
      const store = (await b.open()) as KyselyStore;
      const db = await migrateTo(store, b.name, '0008_check_groups');

      // Entries as the schema before kept them (the store's statements are for the latest one).
      const entry = (who: typeof operator | typeof rail, action: string, detail: string) =>
        insertAuditEntry(db, who, AT, action, detail);
      await entry(operator, 'sources.add', '{"code":"court-1"}');
      await entry(operator, 'tokens.issue', '{"role":"auditor"}');
      const first = checks(3, 0);
      const groupSeq = await entry(rail, 'measure.check', checkLinesDetail(first));
      const packed = checkGroupJson(first);
      await db
        .insertInto('check_groups')
        .values({ audit_seq: groupSeq, count: 3, checks: packed.checks, subject_ids: packed.subjectIds })
        .execute();
      const rows = () =>
        db
          .selectFrom('audit_log')
          .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
          .select(['seq', 'context_id', 'action', 'detail', 'leaf_hash', 'actor', 'purpose', 'request_id'])
          .orderBy('seq')
          .execute();
      const before = await rows();
      expect(before).toHaveLength(3);
      const lastSeq = Number(before[2]!.seq);
      const lastContext = Math.max(...before.map((r) => Number(r.context_id)));

      await store.migrate();
      const after = await rows();
      expect(after.map((r) => ({ ...r, seq: Number(r.seq), context_id: Number(r.context_id) }))).toEqual(
        before.map((r) => ({ ...r, seq: Number(r.seq), context_id: Number(r.context_id) })),
      );
      expect(await store.listCheckLog(lastSeq)).toEqual(checks(3, 0));

      await logChecks(store, { actor: rail, at: AT, rows: checks(2, 3) });
      const next = await db
        .selectFrom('audit_log')
        .select(['seq', 'context_id'])
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(Number(next.seq)).toBe(lastSeq + 1);
      expect(Number(next.context_id)).toBe(lastContext + 1);
      expect(await store.listCheckLog(Number(next.seq))).toEqual(checks(2, 3));

      if (b.name === 'sqlite') {
        const ddl = await sql<{ sql: string }>`select sql from sqlite_master
          where name in ('audit_log', 'audit_contexts', 'audit_subject', 'audit_context')`.execute(db);
        expect(ddl.rows).toHaveLength(4);
        for (const r of ddl.rows) expect(r.sql.toLowerCase()).not.toContain('autoincrement');
        expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);
        expect(
          (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db)).rows[0]!.foreign_keys,
        ).toBe(1);
        // The references to the rebuilt tables hold: a check group naming no entry is refused.
        await expect(
          sql`insert into check_groups (audit_seq, count, checks, subject_ids) values (${lastSeq + 100}, 0, '[]', '[]')`.execute(
            db,
          ),
        ).rejects.toThrow(/FOREIGN KEY/);
      }
      await store.close();
    });
  });
}
