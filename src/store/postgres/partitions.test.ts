/**
 * Migrations 0022 and 0023 on PostgreSQL: the per-subject tables (record versions, ratings and
 * inspections since 0023) are partitioned by a hash of the subject key, the statements the store
 * issues for one subject read one partition of each (their plans are read, not timed), the shared
 * tables are left whole, and what was stored before the migrations is all there after them, with
 * ids and idempotency going on as before.
 */
import { type CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTestDatabase, testPostgresSkipReason } from '../../../test/pg-server.ts';
import {
  insertCourtSource,
  migrateTo,
  courtRecord as rec,
  storePlan,
  storeRating,
} from '../../../test/store-fixtures.ts';
import { bindingQueries } from '../common/bindings.ts';
import { inspectionStore } from '../common/inspections.ts';
import { listQueries } from '../common/lists.ts';
import { objectionStore } from '../common/objections.ts';
import { ratingStore } from '../common/ratings.ts';
import { recordQueries } from '../common/records.ts';
import { repairStore } from '../common/repairs.ts';
import { scoringQueries } from '../common/scoring.ts';
import { hashPartitionOf } from '../common/subject-chunks.ts';
import { subjectQueries } from '../common/subjects.ts';
import { trailQueries } from '../common/trail.ts';
import { PARTITIONED, PARTITIONED_0023, SUBJECT_PARTITIONS } from '../migrations/partitions.ts';
import type { NewRating, RatingRow } from '../ratings.ts';
import type { Database } from '../schema.ts';
import { openPostgresStore, type PostgresStore } from './index.ts';

const skip = testPostgresSkipReason();
const AT = '2026-03-02T08:00:00.000Z';
const BEFORE = '2026-03-01T00:00:00.000Z';
const actor = { actor: 'source:court-a', role: 'source', purpose: 'ingest', requestId: null };
const BIND = { mayBind: true, whoMay: 'a registration authority' };

/** Resident ID numbers, distinct enough to land in different partitions. */
const PEOPLE = ['360426199101010071', '11010519491231002X', '110101199003077777', '440106198001010013'];

/** Each subject rated once by the next one, through the store's own writes (an interaction served, then redeemed). */
const rateEach = async (store: PostgresStore, sourceId: number, ids: number[], token = 0) => {
  const ratingIds: number[] = [];
  for (const [i, ratedId] of ids.entries())
    ratingIds.push(
      (
        await storeRating(store, {
          sourceId,
          ratedId,
          raterId: ids[(i + 1) % ids.length]!,
          token: token + i + 1,
          at: AT,
        })
      ).id,
    );
  return ratingIds;
};

/** A rating as written, from one as read. */
const ratingOf = (r: RatingRow): NewRating => ({
  interactionId: r.interactionId,
  ratedId: r.ratedId,
  raterId: r.raterId,
  sourceId: r.sourceId,
  professionalism: r.professionalism,
  honesty: r.honesty,
  comment: null,
  commentStatus: 'none',
  commentBands: null,
  connected: false,
  submittedAt: r.submittedAt,
});

type Plan = { 'Relation Name'?: string; Plans?: Plan[] };
/** The partitions of partitioned tables a plan reads, by table. */
const partitionsRead = (plan: Plan, out = new Map<string, Set<string>>()) => {
  const m = /^(.+)_p(\d+)$/.exec(plan['Relation Name'] ?? '');
  if (m) {
    const set = out.get(m[1]!) ?? new Set<string>();
    set.add(m[2]!);
    out.set(m[1]!, set);
  }
  for (const p of plan.Plans ?? []) partitionsRead(p, out);
  return out;
};

describe.skipIf(Boolean(skip))(`subject partitions on postgres${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let url: string;
  let store: PostgresStore;
  let subjectIds: number[] = [];
  const recordsOf = new Map<number, number[]>();
  let sourceId: number;

  beforeAll(async () => {
    url = await freshTestDatabase();
    store = await openPostgresStore(url);
    await store.migrate();
    sourceId = await insertCourtSource(store, AT, actor);
    const out = await store.writeRecordBatch(
      sourceId,
      PEOPLE.flatMap((p, i) => [rec(`a-${i}`, p), rec(`b-${i}`, p)]),
      AT,
      actor,
      BIND,
    );
    const stored = out as { subjectId: number; recordId: number }[];
    subjectIds = [...new Set(stored.map((o) => o.subjectId))];
    for (const o of stored) recordsOf.set(o.subjectId, [...(recordsOf.get(o.subjectId) ?? []), o.recordId]);
    // Each subject's first record revised (an earlier version kept) and rated by the next subject.
    await store.reviseRecords(
      subjectIds.map((id) => ({
        recordId: recordsOf.get(id)![0]!,
        change: 'dispute',
        status: 'disputed',
        reason: 'objected',
      })),
      AT,
      actor,
    );
    await rateEach(store, sourceId, subjectIds);
    // And drawn for inspection, one plan for all (the store does not ask what kind they are).
    await storePlan(
      store,
      subjectIds.map((subjectId, i) => ({ subjectId, target: PEOPLE[i]! })),
      AT,
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it('partitions the per-subject tables by subject key and leaves catalogue, policies, sources and the logs whole', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const parted = await client.query<{ table: string; key: string; partitions: number }>(
        `select c.relname as table, pg_get_partkeydef(c.oid) as key,
           (select count(*)::int from pg_inherits i where i.inhparent = c.oid) as partitions
         from pg_partitioned_table p join pg_class c on c.oid = p.partrelid order by 1`,
      );
      expect(parted.rows).toEqual(
        [
          ...[...PARTITIONED, ...PARTITIONED_0023].map((t) => ({ table: t.table, key: `HASH (${t.key})` })),
          { table: 'record_keys', key: 'HASH (source_record_id)' },
        ]
          .map((t) => ({ ...t, partitions: SUBJECT_PARTITIONS }))
          .sort((a, b) => a.table.localeCompare(b.table)),
      );
      const whole = ['policies', 'sources', 'source_types', 'subjects', 'audit_log', 'check_groups', 'meta'];
      const inherited = await client.query(
        `select c.relname from pg_inherits i join pg_class c on c.oid in (i.inhparent, i.inhrelid)
         where c.relname = any($1)`,
        [whole],
      );
      expect(inherited.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('groups subject keys by the partition PostgreSQL puts them in', async () => {
    const keys = [
      ...Array.from({ length: 5000 }, (_, i) => i),
      2 ** 31,
      2 ** 32 + 5,
      2 ** 40 + 123,
      Number.MAX_SAFE_INTEGER,
      -1,
      -(2 ** 33),
    ];
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const wrong = await client.query(
        `select count(*)::int as n from unnest($1::bigint[], $2::int[]) u(k, r)
         where not satisfies_hash_partition('records'::regclass, ${SUBJECT_PARTITIONS}, r, k)`,
        [keys.map(String), keys.map((k) => hashPartitionOf(k))],
      );
      expect(wrong.rows[0]!.n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('finds records by source key through record_keys, partition by partition, as the plain look-up does', async () => {
    const keys = PEOPLE.flatMap((_, i) => [`a-${i}`, `b-${i}`]);
    const found = await store.findRecordsBySourceKeys(sourceId, [...keys, 'a-0', 'never-sent']);
    const plain = await Promise.all(keys.map((k) => store.findRecordBySourceKey(sourceId, k)));
    const byKey = (a: { sourceRecordId: string }, b: { sourceRecordId: string }) =>
      a.sourceRecordId.localeCompare(b.sourceRecordId);
    expect(found.sort(byKey)).toEqual(plain.map((r) => r!).sort(byKey));
    expect(new Set(found.map((r) => r.subjectId)).size).toBe(PEOPLE.length);
    expect(await store.findRecordsBySourceKeys(sourceId + 1000, keys)).toEqual([]);
  });

  it('reads one partition for the statements that name a subject', async () => {
    const issued: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    // The store's own query code, through a handle that keeps every statement it sends.
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (e) => {
        if (e.level === 'query') issued.push(e.query);
      },
    });
    try {
      const reads: [string, (id: number) => Promise<unknown>][] = [
        ['records', (id) => subjectQueries.listRecordsForSubject(db, id)],
        ['records for scoring', (id) => scoringQueries.listRecordsForScoring(db, [id])],
        ['score', (id) => scoringQueries.listScores(db, id)],
        ['list entries', (id) => listQueries.listListEntries(db, [id])],
        ['notifications', (id) => listQueries.listNotifications(db, id)],
        ['trail', (id) => trailQueries.listAuditForSubject(db, 'postgres', id, 50)],
        ['objections', (id) => objectionStore(db).listObjections({ subjectId: id, limit: 20 })],
        ['repairs', (id) => repairStore(db).listRepairs({ subjectId: id, limit: 20 })],
        ['bindings', (id) => bindingQueries.listBindings(db, { organizationIds: [id] })],
        ['record versions', (id) => recordQueries.listRecordVersions(db, recordsOf.get(id)!, id)],
        ['versions known after', (id) => recordQueries.listVersionsKnownAfter(db, BEFORE, [id])],
        ['ratings of', (id) => ratingStore(db).listRatingsOf(id)],
        ['ratings for detection', (id) => ratingStore(db).listRatingsForDetection([id], '2026-01-01')],
        ['inspections', (id) => inspectionStore(db).listInspections({ subjectId: id })],
        // Several subjects at once: chunked by partition, each statement reads one.
        ['records for scoring, all', () => scoringQueries.listRecordsForScoring(db, subjectIds)],
        ['list entries, all', () => listQueries.listListEntries(db, subjectIds)],
        ['current bindings, all', () => bindingQueries.currentBindings(db, subjectIds)],
        ['versions known after, all', () => recordQueries.listVersionsKnownAfter(db, BEFORE, subjectIds)],
      ];
      const seen = new Map<string, Map<string, number>>();
      for (const [what, read] of reads) {
        for (const id of subjectIds) {
          issued.length = 0;
          await read(id);
          let tables = 0;
          for (const q of issued) {
            const plan = (
              await pool.query<{ 'QUERY PLAN': [{ Plan: Plan }] }>(
                `explain (format json) ${q.sql}`,
                q.parameters as unknown[],
              )
            ).rows[0]!['QUERY PLAN'][0].Plan;
            for (const [table, parts] of partitionsRead(plan)) {
              expect({ what, table, partitions: parts.size }).toEqual({ what, table, partitions: 1 });
              tables++;
              const byTable = seen.get(table) ?? new Map<string, number>();
              byTable.set([...parts][0]!, id);
              seen.set(table, byTable);
            }
          }
          // Each read goes through at least one partitioned table.
          expect({ what, tables: tables > 0 }).toEqual({ what, tables: true });
        }
      }
      // Different subjects are in different partitions: the pruning follows the key.
      for (const table of ['records', 'record_versions', 'ratings', 'inspections'])
        expect({ table, partitions: seen.get(table)!.size > 1 }).toEqual({ table, partitions: true });
    } finally {
      await db.destroy();
    }
  });

  it("reads a subject's own versions, ratings and inspections, versions by subject or by record id alone", async () => {
    for (const id of subjectIds) {
      const mine = await store.listRecordVersions(recordsOf.get(id)!, id);
      expect(mine.map((v) => [v.recordId, v.subjectId, v.version, v.change])).toEqual([
        [recordsOf.get(id)![0], id, 1, 'dispute'],
      ]);
      expect(await store.listRecordVersions(recordsOf.get(id)!)).toEqual(mine);
      expect(await store.listVersionsKnownAfter(BEFORE, [id])).toEqual(mine);
      expect((await store.ratings.listRatingsOf(id)).map((r) => [r.ratedId, r.honesty])).toEqual([[id, 5]]);
      expect((await store.inspections.listInspections({ subjectId: id })).map((i) => i.subjectId)).toEqual([
        id,
      ]);
    }
    expect((await store.listVersionsKnownAfter(BEFORE, subjectIds)).length).toBe(subjectIds.length);
  });
});

describe.skipIf(Boolean(skip))(`migration 0022-0023 on postgres${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('keeps what was stored before: records, versions, scores, lists, notifications, ratings; ids go on', async () => {
    const store = await openPostgresStore(await freshTestDatabase());
    try {
      const db = await migrateTo(store, 'postgres', '0021_rate_limits');
      const sourceId = await insertCourtSource(store, AT, actor);
      // Records as the schema of 0021 took them (today's write path claims keys 0022 adds).
      const [p0, p1] = (await store.registerSubjects(
        PEOPLE.slice(0, 2).map((p) => rec('', p).subject),
        AT,
        actor,
      )) as { subjectId: number }[];
      const context = await db
        .insertInto('audit_contexts')
        .values({ at: AT, actor: actor.actor, role: actor.role, purpose: actor.purpose })
        .returning('id')
        .executeTakeFirstOrThrow();
      const before: { subjectId: number; recordId: number }[] = [];
      for (const [key, subjectId] of [
        ['old-1', p0!.subjectId],
        ['old-2', p1!.subjectId],
        ['old-3', p0!.subjectId],
      ] as const) {
        const r = rec(key, '');
        const row = await db
          .insertInto('records')
          .values({
            source_id: sourceId,
            source_record_id: key,
            type: r.type,
            subject_id: subjectId,
            occurred_at: r.occurredAt,
            decided_at: r.decidedAt,
            recorded_at: AT,
            amount: r.amount,
            evidence: r.evidence,
            status: 'active',
            context_id: context.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        before.push({ subjectId, recordId: Number(row.id) });
      }
      const [a, b] = before;
      await store.saveScores([
        {
          subjectId: a!.subjectId,
          policyVersion: 'v1',
          asOf: '2026-03-01',
          score: 920,
          grade: 'B',
          domains: '{}',
          keyFactors: '[]',
          computedAt: AT,
        },
      ]);
      await store.replaceListEntries(
        [b!.subjectId],
        [
          {
            subjectId: b!.subjectId,
            listCode: 'court_defaulters',
            status: 'active',
            from: '2026-03-01',
            until: null,
            reasonCode: 'R1',
            reasonRecords: [b!.recordId],
            note: '',
            entry: '{}',
            policyVersion: 'v1',
            computedAt: AT,
          },
        ],
      );
      const notified = await store.addNotifications(
        [
          {
            subjectId: b!.subjectId,
            kind: 'listed',
            listCode: 'court_defaulters',
            effective: '2026-03-01',
            message: 'listed',
          },
        ],
        AT,
      );
      // Earlier versions as the schema of 0021 took them (no subject column), one per subject.
      const versionIds: number[] = [];
      for (const o of [a!, b!]) {
        const v = await db
          .insertInto('record_versions')
          .values({
            record_id: o.recordId,
            version: 1,
            type: rec('', '').type,
            occurred_at: '2025-06-01',
            status: 'active',
            known_from: AT,
            known_until: '2026-03-02T09:00:00.000Z',
            change: 'dispute',
            reason: 'objected',
            context_id: context.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        versionIds.push(Number(v.id));
        await db
          .updateTable('records')
          .set({ version: 2, revised_at: '2026-03-02T09:00:00.000Z' })
          .where('id', '=', o.recordId)
          .execute();
      }
      const ratingIds = await rateEach(store, sourceId, [a!.subjectId, b!.subjectId]);
      const ratingsBefore = await Promise.all([a!, b!].map((o) => store.ratings.listRatingsOf(o.subjectId)));
      expect(ratingsBefore.map((r) => r.map((x) => x.id))).toEqual(ratingIds.map((id) => [id]));
      const records = await store.listRecordsForSubject(a!.subjectId);
      expect((await sql`select partrelid from pg_partitioned_table`.execute(db)).rows).toEqual([]);

      await store.migrate();

      expect(await store.listRecordsForSubject(a!.subjectId)).toEqual(records);
      expect((await store.listScores(a!.subjectId)).map((s) => s.score)).toEqual([920]);
      expect((await store.listListEntries([b!.subjectId])).map((e) => e.reasonRecords)).toEqual([
        [b!.recordId],
      ]);
      expect(await store.listNotifications(b!.subjectId)).toEqual(notified);
      // Each version with its record's subject, read by subject or by record id alone.
      for (const o of [a!, b!]) {
        const [v] = await store.listRecordVersions([o.recordId], o.subjectId);
        expect(v).toMatchObject({
          recordId: o.recordId,
          subjectId: o.subjectId,
          version: 1,
          change: 'dispute',
        });
        expect(await store.listRecordVersions([o.recordId])).toEqual([v]);
      }
      expect(await Promise.all([a!, b!].map((o) => store.ratings.listRatingsOf(o.subjectId)))).toEqual(
        ratingsBefore,
      );
      // A revision after them writes the next version, its id after the last; a rating too; an
      // interaction redeemed before stays redeemed.
      await store.reviseRecords(
        [{ recordId: a!.recordId, change: 'correct', status: 'active', reason: 'amount' }],
        '2026-03-03T08:00:00.000Z',
        actor,
      );
      const after = await store.listRecordVersions([a!.recordId], a!.subjectId);
      expect(after.map((v) => [v.version, v.subjectId])).toEqual([
        [1, a!.subjectId],
        [2, a!.subjectId],
      ]);
      const newest = await db
        .selectFrom('record_versions')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirstOrThrow();
      expect(Number(newest.id)).toBeGreaterThan(Math.max(...versionIds));
      const [again1] = await rateEach(store, sourceId, [b!.subjectId], 9);
      expect(again1).toBeGreaterThan(Math.max(...ratingIds));
      await expect(
        store.ratings.insertRating(
          { ...ratingOf(ratingsBefore[0]![0]!), submittedAt: '2026-03-03T08:00:00.000Z' },
          [],
          [],
        ),
      ).rejects.toMatchObject({ code: 'conflict' });
      // A record sent again is still a duplicate; a new one gets the next id.
      const again = await store.writeRecordBatch(
        sourceId,
        [rec('old-1', PEOPLE[0]!), rec('new-1', PEOPLE[0]!)],
        AT,
        actor,
        BIND,
      );
      expect(again[0]).toEqual({ status: 'duplicate' });
      const maxBefore = Math.max(...before.map((o) => o.recordId));
      expect(again[1]).toMatchObject({ status: 'stored', subjectId: a!.subjectId });
      expect((again[1] as { recordId: number }).recordId).toBeGreaterThan(maxBefore);
      expect((await store.listRecordsForSubject(a!.subjectId)).map((r) => r.sourceRecordId)).toEqual([
        'old-1',
        'old-3',
        'new-1',
      ]);
      // The same record id from the same source for another subject is one record still.
      const other = await store.writeRecordBatch(sourceId, [rec('old-2', PEOPLE[2]!)], AT, actor, BIND);
      expect(other[0]).toEqual({ status: 'duplicate' });
    } finally {
      await store.close();
    }
  });
});
