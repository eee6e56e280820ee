/**
 * Request counters shared by the API processes of one store (the rate limiter in
 * src/api/rate-limit.ts): each process counts locally and adds its hits here about once a second,
 * one upsert per key, reading back the total every process has added in the same window.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { RateLimitHits } from '../types.ts';

/** Rows per statement: three parameters each, far under both backends' limits. */
const CHUNK = 500;

export const rateLimitQueries = {
  async addRateLimitHits(db: Kysely<Database>, hits: readonly RateLimitHits[]): Promise<RateLimitHits[]> {
    // In key order, so two processes adding the same keys lock their rows in the same order.
    const sorted = [...hits].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowStart - b.windowStart,
    );
    const totals: RateLimitHits[] = [];
    for (let i = 0; i < sorted.length; i += CHUNK) {
      const rows = await db
        .insertInto('rate_limits')
        .values(
          sorted.slice(i, i + CHUNK).map((h) => ({ key: h.key, window_start: h.windowStart, hits: h.hits })),
        )
        .onConflict((oc) =>
          oc
            .columns(['key', 'window_start'])
            .doUpdateSet((eb) => ({ hits: eb('rate_limits.hits', '+', eb.ref('excluded.hits')) })),
        )
        .returning(['key', 'window_start', 'hits'])
        .execute();
      for (const r of rows)
        totals.push({ key: r.key, windowStart: Number(r.window_start), hits: Number(r.hits) });
    }
    return totals;
  },

  async pruneRateLimits(db: Kysely<Database>, before: number): Promise<number> {
    const r = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
