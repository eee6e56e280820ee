/**
 * Migration 0025: which version of each policy was in force from when (`policy_periods`).
 *
 * `policies` keeps each version's text once, with the instant it was first loaded; it cannot say
 * that a version came back, nor which was in force on a given day. A listing's term is the one in
 * force when it was decided (a longer term, or a list entered by a new kind of record, is not
 * applied to decisions made before it: src/lists/terms-in-force.ts), so the platform appends a
 * period each time it opens with a version other than the last in force. Existing stores start
 * with one period per version known, from its first load.
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

export const policyPeriods = (): Migration => ({
  async up(db: AnyDb) {
    await db.schema
      .createTable('policy_periods')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_at', 'text', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_periods_pk', ['kind', 'from_at'])
      .execute();
    await sql`insert into policy_periods (kind, from_at, version)
              select kind, min(loaded_at), version from policies group by kind, version`.execute(db);
  },
});
