/**
 * Migration 0028: a check is found by its ID, and its answer names its basis (product rule 5).
 *
 * A check ID carries the key of the group it is logged in (`checkIdOf` in common/check-log.ts), and
 * the group keeps that key here, indexed: one value a group, written in the insert the group
 * already is, so the check log's write per check does not grow, and explaining a check
 * (`GET /v1/checks/{check_id}`) reads one group instead of scanning the log. The versions of the
 * measures and lists policies a group was answered under go in its audit entry's detail (once a
 * group, committed to by the log's tree). Groups logged before keep a null key: their random
 * UUIDs are not found this way.
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

export const checkKeys = (): Migration => ({
  async up(db: AnyDb) {
    await db.schema.alterTable('check_groups').addColumn('check_key', 'text').execute();
    await db.schema
      .createIndex('check_groups_key')
      .on('check_groups')
      .column('check_key')
      .where(sql.ref('check_key'), 'is not', null)
      .execute();
  },
});
