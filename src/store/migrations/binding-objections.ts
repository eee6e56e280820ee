/**
 * Migration 0024: a person may object to a binding that names it (product rule 6: a person wrongly
 * recorded as an organization's legal representative is restricted through that binding, so the
 * binding must be contestable like a record).
 *
 * - `objections` takes either a record or a binding: `record_id` becomes nullable, `binding_id`
 *   and `binding_organization_id` (the binding's organization: the partition key of
 *   `subject_bindings` on PostgreSQL, and the second trail each step is audited on) are added, and
 *   a check keeps exactly one of record and binding. One open objection per binding is a unique
 *   index over the open ones, as for records. SQLite cannot drop a NOT NULL, so the table is
 *   rebuilt (foreign keys off, checked by `foreign_key_check` before the commit, as 0009 does);
 *   on PostgreSQL (partitioned by 0022) it is altered in place, the binding referenced by
 *   (binding_id, binding_organization_id), the key of the partitioned `subject_bindings`.
 * - `subject_bindings` keeps a removed binding with `withdrawn_at` and `withdrawn_reason` (never
 *   deleted; every read of bindings in force or for linkage skips it), and while an objection to
 *   it is open `disputed_by` (the objection's id) and `suspended` (1 when, by the due-process
 *   policy at filing, it does not bind meanwhile).
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { Backend } from '../types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

const OPEN = `status in ('pending', 'appealed')`;

export const bindingObjections = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    for (const [column, type] of [
      ['withdrawn_at', 'text'],
      ['withdrawn_reason', 'text'],
      ['disputed_by', ref],
    ] as const)
      await db.schema.alterTable('subject_bindings').addColumn(column, type).execute();
    await db.schema
      .alterTable('subject_bindings')
      .addColumn('suspended', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    if (backend === 'postgres') {
      for (const s of [
        'alter table objections alter column record_id drop not null',
        'alter table objections add column binding_id bigint',
        'alter table objections add column binding_organization_id bigint',
        `alter table objections add constraint objections_one_subject_of_dispute
               check ((record_id is null) <> (binding_id is null))`,
        `alter table objections add foreign key (binding_id, binding_organization_id)
               references subject_bindings (id, organization_id)`,
        'create index objections_binding on objections (binding_id) where binding_id is not null',
        `create unique index objections_open_binding on objections (subject_id, binding_id)
               where binding_id is not null and ${OPEN}`,
      ])
        await sql.raw(s).execute(db);
      return;
    }
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await sql`begin immediate`.execute(db);
      try {
        await sql`create table objections_new (
          id integer primary key,
          record_id integer references records (id),
          subject_id integer not null references subjects (id),
          reason text not null, evidence text, status text not null,
          counts_while_pending integer not null, filed_at text not null, due_day text not null,
          source_notice_due text not null, source_notified_at text,
          outcome text, reasons text, decided_at text, decided_by text,
          appeal_reason text, appealed_at text, appeal_due text, appeal_outcome text,
          appeal_reasons text, appeal_decided_at text, appeal_decided_by text,
          binding_id integer references subject_bindings (id),
          binding_organization_id integer references subjects (id),
          check ((record_id is null) <> (binding_id is null)))`.execute(db);
        const columns = sql.raw(
          `id, record_id, subject_id, reason, evidence, status, counts_while_pending, filed_at, due_day,
           source_notice_due, source_notified_at, outcome, reasons, decided_at, decided_by,
           appeal_reason, appealed_at, appeal_due, appeal_outcome, appeal_reasons, appeal_decided_at,
           appeal_decided_by`,
        );
        await sql`insert into objections_new (${columns}) select ${columns} from objections`.execute(db);
        await sql`drop table objections`.execute(db);
        await sql`alter table objections_new rename to objections`.execute(db);
        for (const s of [
          'create index objections_subject on objections (subject_id)',
          'create index objections_record on objections (record_id)',
          'create index objections_queue on objections (status, due_day)',
          `create unique index objections_open_record on objections (record_id) where ${OPEN}`,
          'create index objections_binding on objections (binding_id) where binding_id is not null',
          `create unique index objections_open_binding on objections (binding_id)
             where binding_id is not null and ${OPEN}`,
        ])
          await sql.raw(s).execute(db);
        const broken = await sql`pragma foreign_key_check`.execute(db);
        if (broken.rows.length > 0)
          throw new Error(`rebuilding the objections broke ${broken.rows.length} references`);
        await sql`commit`.execute(db);
      } catch (e) {
        await sql`rollback`.execute(db);
        throw e;
      }
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  },
});
