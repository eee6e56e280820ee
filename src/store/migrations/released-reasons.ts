/**
 * Migration 0029: a release clears a rating of its hold's reason only (`ratings.released_reasons`).
 *
 * An operator who releases a held window judges one reason ("this burst was a genuine event"); the
 * released ratings were until now immune to every later detector, so raters released as a burst
 * could go on to form a ring, or post one comment as a campaign, and never be held for it. Each
 * rating now keeps the detection reasons it was released from, as the ratings engine's bits
 * (HOLD_BIT in src/ratings/findings.ts), written by the decision in its transaction and read by
 * the sweep's one scan; it is held again only for another reason. A column on `ratings` (on
 * PostgreSQL, added to every partition of 0023's partitioned table; a constant default, so no
 * rewrite).
 *
 * Ratings released before get the reasons of the released holds they are in. Releases of an
 * objection or of a source's volume clear no detection reason (0).
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

/** HOLD_BIT as it stands at this migration (a migration keeps the values of its day). */
const BITS_0029: Readonly<Record<string, number>> = {
  burst: 1,
  ring: 2,
  connected: 4,
  duplicate: 8,
  rate_limit: 16,
};

export const releasedReasons = (): Migration => ({
  async up(db: AnyDb) {
    await db.schema
      .alterTable('ratings')
      .addColumn('released_reasons', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // One statement per reason, its bit or-ed in (SQLite has no bit_or aggregate to gather them).
    for (const [reason, bit] of Object.entries(BITS_0029))
      await sql`update ratings set released_reasons = released_reasons | ${sql.lit(bit)}
        where state = 1 and id in (
          select it.rating_id from rating_hold_items it
          join rating_holds h on h.id = it.hold_id
          where h.status = 'released' and h.reason = ${reason})`.execute(db);
  },
});
