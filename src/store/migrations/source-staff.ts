/**
 * Migration 0027: what a source is and who serves under it (issue 16: a source may vouch only for
 * what it serves; its staff rating it are connected raters).
 *
 * - `sources` takes `organization_id` (the organization or public body the source is, by its
 *   USCC; null: none declared) and `daily_service_volume` (the services it declares a day, against
 *   which over-issuing of interaction tokens is flagged; null: the ratings policy's default).
 * - `source_staff` is a source's roster: the persons who serve under it (a licensed professional
 *   named by licence, kept with the licence's kind and number as given, or a person by resident
 *   ID) with the post held, each from a day until a day no longer (null: open-ended), as
 *   bindings count their days. An entry is never deleted: removing someone ends the entry on a
 *   day, and an entry ended on its first day never held (a mistaken one), so what a token or a
 *   rating was judged against stays on file.
 *
 * Not partitioned on PostgreSQL, and why: the roster belongs to its source (a whole table, a
 * reference table on Citus), it is written rarely, by operators, never by a batch of records, and
 * it is small beside the per-subject tables (a few tens of bytes a row: the 30 million staff of
 * every hospital and school in China would be a few gigabytes with their indexes). Its hot reads
 * name persons — whether the professional a token names serves under the source, and which
 * sources a turn of ratings' raters and rated persons serve under, an `in (…)` list that on a
 * table hashed by person reaches every one of the 16 partitions (ARCHITECTURE "Lists of
 * subjects") — and an operator's listing names the source, which hashing by person would spread
 * over all of them. So it stays whole, like `licences`; on Citus it is distributed by
 * `subject_id`, co-located with the subjects as `licences` is, and only the listing by source
 * reaches every shard.
 */
import type { Kysely, Migration } from 'kysely';
import type { Backend } from '../types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

export const sourceStaff = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const pg = backend === 'postgres';
    const ref = pg ? 'bigint' : 'integer';
    await db.schema
      .alterTable('sources')
      .addColumn('organization_id', ref, (c) => c.references('subjects.id'))
      .execute();
    await db.schema.alterTable('sources').addColumn('daily_service_volume', 'integer').execute();
    await db.schema
      .createTable('source_staff')
      .addColumn('id', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
      .addColumn('source_id', ref, (c) => c.notNull().references('sources.id'))
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('licence_kind', 'text')
      .addColumn('licence_number', 'text')
      /** The post held, as the operator wrote it (screened for protected categories). */
      .addColumn('position', 'text')
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      /** When the entry was last ended (its `valid_until` set); null: never. */
      .addColumn('ended_at', 'text')
      .execute();
    await db.schema
      .createIndex('source_staff_source')
      .on('source_staff')
      .columns(['source_id', 'subject_id'])
      .execute();
    await db.schema.createIndex('source_staff_subject').on('source_staff').column('subject_id').execute();
  },
});
