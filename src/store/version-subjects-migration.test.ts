/**
 * Migration 0023 on a database already at 0022: every earlier version of a record gets its
 * record's subject (SQLite rebuilds the table, PostgreSQL partitions it by that subject), ratings
 * and inspections are all kept (partitioned by subject on PostgreSQL), and revisions and ratings
 * written after it go on from the last ids, on both backends.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  insertCourtSource,
  migrateTo,
  courtRecord as rec,
  storePlan,
  storeRating,
  unmigratedStores,
} from '../../test/store-fixtures.ts';
import type { KyselyStore } from './common/kysely-store.ts';

const backends = unmigratedStores('mig23');

const AT = '2026-03-02T08:00:00.000Z';
const actor = { actor: 'source:court-a', role: 'source', purpose: 'ingest', requestId: null };
const BIND = { mayBind: true, whoMay: 'a registration authority' };
const PEOPLE = ['360426199101010071', '11010519491231002X', '110101199003077777'];

const rate = (store: KyselyStore, sourceId: number, ratedId: number, raterId: number, token: number) =>
  storeRating(store, { sourceId, ratedId, raterId, token, at: AT });

for (const b of backends) {
  describe.skipIf(Boolean(b.skip))(`record versions with their subject (0023) on ${b.name}`, () => {
    it('gives every earlier version its subject, keeps every rating and inspection, and ids go on', async () => {
      const store = (await b.open()) as KyselyStore;
      try {
        const db = await migrateTo(store, b.name, '0022_subject_partitions');
        const sourceId = await insertCourtSource(store, AT, actor);
        const out = (await store.writeRecordBatch(
          sourceId,
          PEOPLE.map((p, i) => rec(`r-${i}`, p)),
          AT,
          actor,
          BIND,
        )) as { subjectId: number; recordId: number }[];
        // Versions as the schema of 0022 took them (no subject column): revised twice each.
        const versionIds: number[] = [];
        for (const o of out) {
          for (const [version, until] of [
            [1, '2026-03-02T09:00:00.000Z'],
            [2, '2026-03-02T10:00:00.000Z'],
          ] as const) {
            const v = await db
              .insertInto('record_versions')
              .values({
                record_id: o.recordId,
                version,
                type: 'court.contract_lawsuit_lost',
                occurred_at: '2025-06-01',
                status: 'active',
                known_from: AT,
                known_until: until,
                change: 'correct',
                reason: `revision ${version}`,
              })
              .returning('id')
              .executeTakeFirstOrThrow();
            versionIds.push(Number(v.id));
          }
          await db
            .updateTable('records')
            .set({ version: 3, revised_at: '2026-03-02T10:00:00.000Z' })
            .where('id', '=', o.recordId)
            .execute();
        }
        const ids = out.map((o) => o.subjectId);
        const rated = [
          await rate(store, sourceId, ids[0]!, ids[1]!, 1),
          await rate(store, sourceId, ids[1]!, ids[2]!, 2),
        ];
        const ratingsBefore = await Promise.all(ids.map((id) => store.ratings.listRatingsOf(id)));
        const planId = await storePlan(
          store,
          ids.map((subjectId, i) => ({ subjectId, target: PEOPLE[i]! })),
          AT,
        );
        const inspectionsBefore = await store.inspections.listInspections({ planId });
        expect(inspectionsBefore).toHaveLength(ids.length);

        await store.migrate();

        for (const o of out) {
          const mine = await store.listRecordVersions([o.recordId], o.subjectId);
          expect(mine.map((v) => [v.subjectId, v.version, v.reason])).toEqual([
            [o.subjectId, 1, 'revision 1'],
            [o.subjectId, 2, 'revision 2'],
          ]);
          expect(await store.listRecordVersions([o.recordId])).toEqual(mine);
        }
        const all = await store.listRecordVersions(out.map((o) => o.recordId));
        expect(all).toHaveLength(versionIds.length);
        expect(await store.listVersionsKnownAfter(AT, ids)).toEqual(all);
        expect(await Promise.all(ids.map((id) => store.ratings.listRatingsOf(id)))).toEqual(ratingsBefore);
        expect(await store.inspections.listInspections({ planId })).toEqual(inspectionsBefore);

        // Written after: the next version of a record, with the next id; a rating with the next id;
        // an interaction rated before is still rated.
        await store.reviseRecords(
          [{ recordId: out[0]!.recordId, change: 'withdraw', status: 'withdrawn', reason: 'sent in error' }],
          '2026-03-03T08:00:00.000Z',
          actor,
        );
        const [, , third] = await store.listRecordVersions([out[0]!.recordId], out[0]!.subjectId);
        expect(third).toMatchObject({ subjectId: out[0]!.subjectId, version: 3, change: 'withdraw' });
        const newest = await db
          .selectFrom('record_versions')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow();
        expect(Number(newest.id)).toBeGreaterThan(Math.max(...versionIds));
        const next = await rate(store, sourceId, ids[2]!, ids[0]!, 3);
        expect(next.id).toBeGreaterThan(Math.max(...rated.map((r) => r.id)));
        await expect(store.ratings.insertRating(rated[0]!.rating, [], [])).rejects.toMatchObject({
          code: 'conflict',
        });

        if (b.name === 'sqlite') {
          expect((await sql`pragma foreign_key_check`.execute(db)).rows).toEqual([]);
          // The subject is required: a version without one is refused.
          await expect(
            sql`insert into record_versions (record_id, version, type, occurred_at, status, known_from,
              known_until, change) values (${out[0]!.recordId}, 9, 't', '2025-06-01', 'active', ${AT}, ${AT}, 'correct')`.execute(
              db,
            ),
          ).rejects.toThrow(/NOT NULL/);
        }
      } finally {
        await store.close();
      }
    });
  });
}
