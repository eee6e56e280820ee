/**
 * Migration 0026: what was on file about a binding at an earlier instant (product rule 5: a report
 * can be recomputed as of any past date, as it was given then).
 *
 * `subject_bindings` keeps a binding's current state; an objection's filing (suspension), its
 * decision (removal, corrected days, release) and a registry change (a period closed) rewrite it.
 * Each such write first copies the row's prior state here with the instant it was replaced, in the
 * same transaction, as `record_versions` does for records: a read "as known at T" takes each
 * binding recorded by T in the state of its earliest version replaced after T (store/common/
 * bindings.ts `asKnownAt`).
 *
 * Not partitioned on PostgreSQL: it holds a row per change to a binding (rare: objections and
 * registry changes, not record batches), is only read for a past as-of by binding id and instant,
 * and no write of a batch touches it, so a partition per organization would buy no locality. It
 * keeps the binding's organization, so the binding is referenced by `subject_bindings`' full key.
 */
import type { Kysely, Migration } from 'kysely';
import type { Backend } from '../types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

export const bindingVersions = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const pg = backend === 'postgres';
    const ref = pg ? 'bigint' : 'integer';
    let t = db.schema
      .createTable('binding_versions')
      .addColumn('id', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
      .addColumn('binding_id', ref, (c) => c.notNull())
      .addColumn('organization_id', ref, (c) => c.notNull())
      .addColumn('valid_from', 'text')
      .addColumn('valid_until', 'text')
      .addColumn('suspended', 'integer', (c) => c.notNull())
      .addColumn('disputed_by', ref)
      .addColumn('withdrawn_at', 'text')
      .addColumn('withdrawn_reason', 'text')
      /** The instant this state stopped being the one on file. */
      .addColumn('replaced_at', 'text', (c) => c.notNull());
    t = pg
      ? t.addForeignKeyConstraint(
          'binding_versions_binding',
          ['binding_id', 'organization_id'],
          'subject_bindings',
          ['id', 'organization_id'],
        )
      : t.addForeignKeyConstraint('binding_versions_binding', ['binding_id'], 'subject_bindings', ['id']);
    await t.execute();
    await db.schema
      .createIndex('binding_versions_binding')
      .on('binding_versions')
      .columns(['binding_id', 'replaced_at'])
      .execute();
  },
});
