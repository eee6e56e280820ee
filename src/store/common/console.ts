/**
 * The console dashboard's counts for both backends (see ../console.ts): each one GROUP BY or
 * conditional count in SQL, returning totals only.
 */
import { type Kysely, sql } from 'kysely';
import type { ConsoleStore } from '../console.ts';
import type { Database } from '../schema.ts';
import type { SubjectKind } from '../types.ts';
import { CLOCK as OBJECTION_CLOCK, OPEN as OBJECTION_OPEN } from './objections.ts';
import { CLOCK as REPAIR_CLOCK, OPEN as REPAIR_OPEN } from './repairs.ts';

const n = (v: number | string | bigint | null | undefined) => Number(v ?? 0);

export const consoleStore = (db: Kysely<Database>): ConsoleStore => ({
  async gradeCounts() {
    // A subject's grade is its latest score's (as checks read it, common/checks.ts): the row with no
    // later as-of, nor a later computation of the same as-of. One pass: a subject without any score
    // joins none and counts under a null grade.
    const rows = await db
      .selectFrom('subjects as s')
      .leftJoin('scores as sc', (join) =>
        join.onRef('sc.subject_id', '=', 's.id').on(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('scores as t')
                .select(sql.lit(1).as('one'))
                .whereRef('t.subject_id', '=', 'sc.subject_id')
                .where((eb) =>
                  eb.or([
                    eb('t.as_of', '>', eb.ref('sc.as_of')),
                    eb.and([
                      eb('t.as_of', '=', eb.ref('sc.as_of')),
                      eb('t.computed_at', '>', eb.ref('sc.computed_at')),
                    ]),
                  ]),
                ),
            ),
          ),
        ),
      )
      .select(['s.kind', 'sc.grade', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(['s.kind', 'sc.grade'])
      .execute();
    return rows.map((r) => ({ kind: r.kind as SubjectKind, grade: r.grade ?? null, count: n(r.n) }));
  },

  async ingestCounts(since) {
    const day = sql<string>`substr(r.recorded_at, 1, 10)`;
    const rows = await db
      .selectFrom('records as r')
      .innerJoin('sources as s', 's.id', 'r.source_id')
      .where('r.recorded_at', '>=', since)
      .select([day.as('day'), 's.kind', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy([day, 's.kind'])
      .orderBy('day')
      .orderBy('s.kind')
      .execute();
    return rows.map((r) => ({ day: r.day, sourceKind: r.kind, count: n(r.n) }));
  },

  async listSizes(days) {
    if (days.length === 0) return [];
    // One pass over the entries, one conditional count per day. An entry cured in its grace period
    // spans its warning but never took effect (lists/entries.ts); an excluded one is empty (from = until).
    const rows = await db
      .selectFrom('list_entries as e')
      .where('e.reason_code', '<>', 'CURED_IN_GRACE')
      .select((eb) => [
        'e.list_code',
        ...days.map((d, i) =>
          eb.fn
            .count<number | string>(
              sql`case when e.from_date <= ${d} and (e.until_date is null or e.until_date > ${d}) then 1 end`,
            )
            .as(`d${i}`),
        ),
      ])
      .groupBy('e.list_code')
      .orderBy('e.list_code')
      .execute();
    const out: { day: string; list: string; count: number }[] = [];
    for (const [i, day] of days.entries())
      for (const r of rows) {
        const count = n((r as Record<string, number | string>)[`d${i}`]);
        if (count > 0) out.push({ day, list: r.list_code, count });
      }
    return out;
  },

  async objectionCounts(today) {
    const r = await db
      .selectFrom('objections as o')
      .where(OBJECTION_OPEN, '=', 0)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('open'),
        eb.fn.count<number | string>(sql`case when ${OBJECTION_CLOCK} < ${today} then 1 end`).as('overdue'),
      ])
      .executeTakeFirstOrThrow();
    return { open: n(r.open), overdue: n(r.overdue) };
  },

  async repairCounts(today) {
    const r = await db
      .selectFrom('repairs as a')
      .where(REPAIR_OPEN, '=', 0)
      .select((eb) => [
        eb.fn.countAll<number | string>().as('open'),
        eb.fn.count<number | string>(sql`case when ${REPAIR_CLOCK} < ${today} then 1 end`).as('overdue'),
      ])
      .executeTakeFirstOrThrow();
    return { open: n(r.open), overdue: n(r.overdue) };
  },

  async pendingHolds(limit) {
    const [count, oldest] = await Promise.all([
      db
        .selectFrom('rating_holds')
        .where('status', '=', 'pending')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('rating_holds')
        .where('status', '=', 'pending')
        .select('id')
        .orderBy('id')
        .limit(limit)
        .execute(),
    ]);
    return { count: n(count.n), oldestIds: oldest.map((r) => Number(r.id)) };
  },

  async inspectionProgress(today) {
    // Overdue as supervision/inspections.ts shows an inspection: no outcome, and past its due day.
    const rows = await db
      .selectFrom('inspections as i')
      .select((eb) => [
        'i.plan_id',
        eb.fn.countAll<number | string>().as('targets'),
        eb.fn.count<number | string>('i.outcome').as('done'),
        eb.fn
          .count<number | string>(sql`case when i.outcome is null and i.due_day < ${today} then 1 end`)
          .as('overdue'),
      ])
      .groupBy('i.plan_id')
      .orderBy('i.plan_id')
      .execute();
    return rows.map((r) => ({
      planId: Number(r.plan_id),
      targets: n(r.targets),
      done: n(r.done),
      overdue: n(r.overdue),
    }));
  },
});
