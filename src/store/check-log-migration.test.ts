/**
 * Migration 0008 packs the check log by group: checks logged before it keep their order, their
 * digests still verify, and a subject's trail shows them as before, on both backends.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertAuditEntry, migrateTo, unmigratedStores } from '../../test/store-fixtures.ts';
import { checkGroupVerifies, checkLinesDetail } from './common/check-log.ts';
import type { KyselyStore } from './common/kysely-store.ts';
import type { CheckLogDraft } from './types.ts';

const backends = unmigratedStores('mig');

const AT = '2026-02-01T09:00:00.000Z';
const actor = { actor: 'relying_party:rail', role: 'relying_party', purpose: 'ticket sale', requestId: null };

for (const b of backends) {
  describe.skipIf(Boolean(b.skip))(`check log packed by group on ${b.name}`, () => {
    it('carries the checks logged before over, in order, verifiable and found by subject', async () => {
      const store = (await b.open()) as KyselyStore;
      const db = await migrateTo(store, b.name, '0007_partial_audit_indexes');

      const subject = await db
        .insertInto('subjects')
        .values({ kind: 'person', identifier: '360426199101010071', name: '张伟', created_at: AT })
        .returning('id')
        .executeTakeFirstOrThrow();
      const sid = Number(subject.id);
      // Two groups as the old log kept them, one row per check; the first one indexed already.
      const groups: CheckLogDraft[][] = [0, 1].map((g) =>
        Array.from({ length: 3 }, (_, i) => ({
          checkId: `00000000-0000-4000-8000-0000000000${g}${i}`,
          subjectId: i === 2 ? null : sid,
          subject: i === 2 ? '110101199003077777' : '',
          measure: 'restrict.high_speed_rail',
          applies: i === 0,
          reasonCode: i === 0 ? 'LISTED_COURT_DEFAULTER' : 'NOT_LISTED',
        })),
      );
      const seqs: number[] = [];
      for (const rows of groups) {
        const seq = await insertAuditEntry(db, actor, AT, 'measure.check', checkLinesDetail(rows));
        seqs.push(seq);
        for (const c of rows)
          await db
            .insertInto('check_log')
            .values({
              audit_seq: seq,
              subject_id: c.subjectId,
              subject: c.subjectId === null ? c.subject : null,
              measure: c.measure,
              applies: c.applies ? 1 : 0,
              reason_code: c.reasonCode,
              check_id: c.checkId,
            })
            .execute();
      }
      await sql`insert into check_log_subjects (subject_id, check_seq)
        select subject_id, seq from check_log where audit_seq = ${seqs[0]} and subject_id is not null`.execute(
        db,
      );
      const first = await db
        .selectFrom('check_log')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('audit_seq', '=', seqs[0]!)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('meta')
        .values({ key: 'check_log_indexed_through', value: String(first.seq) })
        .execute();

      await store.migrate();
      for (const [g, rows] of groups.entries()) {
        const stored = await store.listCheckLog(seqs[g]!);
        expect(stored).toEqual(rows);
        // The digest their entries committed to (over content lines, then) still verifies.
        expect(checkGroupVerifies(checkLinesDetail(rows), stored)).toBe(true);
      }
      const trail = (await store.listAuditForSubject(sid, 50)).filter((t) => t.action === 'measure.check');
      expect(trail.map((t) => JSON.parse(t.detail!).check_id)).toEqual(
        ['000000000011', '000000000010', '000000000001', '000000000000'].map(
          (s) => `00000000-0000-4000-8000-${s}`,
        ),
      );
      // Nothing left to index: the migration indexed what it carried over.
      expect(await store.indexCheckLog()).toBe(0);
      await store.close();
    });
  });
}
