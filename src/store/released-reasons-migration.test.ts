/**
 * Migration 0029 on a database already at 0028, on both backends: each rating released before gets
 * the reasons of the released holds it is in (an objection's release clears none the engine holds
 * for; a removed or open rating none), and a release decided after it adds its hold's reason.
 */
import { describe, expect, it } from 'vitest';
import {
  insertCourtSource,
  migrateTo,
  courtRecord as rec,
  storeRating,
  unmigratedStores,
} from '../../test/store-fixtures.ts';
import type { KyselyStore } from './common/kysely-store.ts';

const backends = unmigratedStores('mig29');

const AT = '2026-03-02T08:00:00.000Z';
const actor = { actor: 'source:court-a', role: 'source', purpose: 'ingest', requestId: null };
const BIND = { mayBind: true, whoMay: 'a registration authority' };
const PEOPLE = ['360426199101010071', '11010519491231002X', '110101199003077777'];
/** The engine's bits (HOLD_BIT, src/ratings/findings.ts). */
const BURST = 1;
const RING = 2;
const DUPLICATE = 8;

for (const b of backends) {
  describe.skipIf(Boolean(b.skip))(`released reasons (0029) on ${b.name}`, () => {
    it('gives each released rating the reasons of the released holds it is in', async () => {
      const store = (await b.open()) as KyselyStore;
      try {
        const db = await migrateTo(store, b.name, '0028_check_keys');
        const sourceId = await insertCourtSource(store, AT, actor);
        const out = (await store.writeRecordBatch(
          sourceId,
          PEOPLE.map((p, i) => rec(`r-${i}`, p)),
          AT,
          actor,
          BIND,
        )) as { subjectId: number }[];
        const [rated, raterA, raterB] = out.map((o) => o.subjectId) as [number, number, number];
        const ids: number[] = [];
        for (let k = 0; k < 6; k++)
          ids.push(
            (
              await storeRating(store, {
                sourceId,
                ratedId: rated,
                raterId: k % 2 ? raterA : raterB,
                token: k + 1,
                at: AT,
              })
            ).id,
          );
        const [burstOnly, burstAndDuplicate, objected, removed, open, ringThenPending] = ids as [
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        /** A hold over these ratings, decided as the schema of 0028 decided it (state 1 released, 2 confirmed). */
        const hold = async (
          reason: string,
          ratingIds: number[],
          status: 'pending' | 'released' | 'confirmed',
        ) => {
          const id = await store.ratings.insertHold(
            {
              reason,
              key: `${reason}:${ratingIds[0]}`,
              ratedId: rated,
              windowFrom: AT,
              windowTo: AT,
              detail: {},
              hides: reason !== 'objection',
              createdAt: AT,
            },
            ratingIds,
            [],
          );
          if (status === 'pending') return id;
          await db.updateTable('rating_holds').set({ status, decided_at: AT }).where('id', '=', id).execute();
          if (status === 'confirmed')
            await db.updateTable('ratings').set({ state: 2, held: 0 }).where('id', 'in', ratingIds).execute();
          else {
            await db
              .updateTable('ratings')
              .set({ state: 1 })
              .where('id', 'in', ratingIds)
              .where('state', '=', 0)
              .execute();
            await db.updateTable('ratings').set({ held: 0 }).where('id', 'in', ratingIds).execute();
          }
          return id;
        };
        await hold('burst', [burstOnly, burstAndDuplicate, removed], 'released');
        await hold('duplicate', [burstAndDuplicate], 'released');
        await hold('objection', [objected], 'released');
        await hold('ring', [removed], 'confirmed');
        await hold('ring', [open], 'pending');
        await hold('ring', [ringThenPending], 'released');
        const pending = await hold('duplicate', [ringThenPending], 'pending');

        await store.migrate();

        const after = new Map(
          (await store.ratings.listAllRatings(0, 100)).map((r) => [
            r.id,
            [r.state, r.releasedReasons, r.held],
          ]),
        );
        expect(ids.map((id) => after.get(id))).toEqual([
          [1, BURST, false],
          [1, BURST | DUPLICATE, false],
          [1, 0, false],
          [2, 0, false],
          [0, 0, true],
          [1, RING, true],
        ]);
        // Detection at submission reads them too.
        const read = await store.ratings.listRatingsForDetection([rated], AT);
        expect(read.find((r) => r.id === burstAndDuplicate)?.releasedReasons).toBe(BURST | DUPLICATE);

        // Released after the migration: the hold's reason is added, the rating counts again.
        await store.ratings.decideHold(
          pending,
          {
            status: 'released',
            by: 'operator:test',
            reason: 'the same form text',
            at: AT,
            clears: DUPLICATE,
          },
          [],
        );
        const [decided] = (await store.ratings.listAllRatings(0, 100)).filter(
          (r) => r.id === ringThenPending,
        );
        expect([decided?.state, decided?.releasedReasons, decided?.held]).toEqual([
          1,
          RING | DUPLICATE,
          false,
        ]);
      } finally {
        await store.close();
      }
    });
  });
}
