/**
 * Schema migrations, shared by both backends. The only dialect difference is the type of
 * generated keys; everything else is plain SQL types both speak.
 */
import type {
  ColumnDefinitionBuilder,
  CreateTableBuilder,
  Kysely,
  Migration,
  MigrationProvider,
} from 'kysely';
import { sql } from 'kysely';
import type { Backend } from '../types.ts';
import { bindingObjections } from './binding-objections.ts';
import { bindingVersions } from './binding-versions.ts';
import { checkKeys } from './check-keys.ts';
import { lookupIndex } from './lookup.ts';
import { outboxSuperseded } from './outbox-superseded.ts';
import { moreSubjectPartitions, subjectPartitions } from './partitions.ts';
import { policyPeriods } from './policy-periods.ts';
import { releasedReasons } from './released-reasons.ts';
import { sourceStaff } from './source-staff.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

const foundation = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const serial = backend === 'postgres' ? 'bigserial' : 'integer';
    const id =
      (name: string) =>
      <T extends string>(t: CreateTableBuilder<T, never>) =>
        t.addColumn(name, serial, (c: ColumnDefinitionBuilder) =>
          backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        );
    // Integers that hold generated keys: bigint on PostgreSQL (parsed back to number in the driver setup).
    const ref = backend === 'postgres' ? 'bigint' : 'integer';

    await db.schema
      .createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('policies')
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('loaded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('policies_pk', ['kind', 'version'])
      .execute();

    await id('id')(db.schema.createTable('subjects'))
      .addColumn('kind', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('identifier', 'text', (c: ColumnDefinitionBuilder) => c.notNull().unique())
      .addColumn('name', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('birth_date', 'text')
      .addColumn('sex', 'text')
      .addColumn('legal_rep_id', ref, (c: ColumnDefinitionBuilder) => c.references('subjects.id'))
      .addColumn('created_at', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .execute();

    await db.schema
      .createTable('licences')
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('licences_pk', ['kind', 'number'])
      .execute();
    await db.schema.createIndex('licences_subject').on('licences').column('subject_id').execute();

    await id('id')(db.schema.createTable('sources'))
      .addColumn('code', 'text', (c: ColumnDefinitionBuilder) => c.notNull().unique())
      .addColumn('kind', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('name', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('legal_basis', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('credential_hash', 'text', (c: ColumnDefinitionBuilder) => c.notNull().unique())
      .addColumn('created_at', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .execute();

    await db.schema
      .createTable('source_types')
      .addColumn('source_id', ref, (c) => c.notNull().references('sources.id'))
      .addColumn('type_code', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('source_types_pk', ['source_id', 'type_code'])
      .execute();

    // Audit: who, role, purpose, request and time are shared by every entry one action writes
    // (a batch of thousands of records), so they are stored once per action in audit_contexts.
    await id('id')(db.schema.createTable('audit_contexts'))
      .addColumn('at', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('actor', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('role', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('purpose', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('request_id', 'text')
      .execute();
    await id('id')(db.schema.createTable('records'))
      .addColumn('source_id', ref, (c: ColumnDefinitionBuilder) => c.notNull().references('sources.id'))
      .addColumn('source_record_id', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('type', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('subject_id', ref, (c: ColumnDefinitionBuilder) => c.notNull().references('subjects.id'))
      .addColumn('occurred_at', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('disclosed_at', 'text')
      .addColumn('recorded_at', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('amount', 'double precision')
      .addColumn('evidence', 'text')
      .addColumn('note', 'text')
      .addColumn('status', 'text', (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('active'))
      // The audited action that wrote the record: its audit entry commits to the batch's content.
      .addColumn('context_id', ref, (c: ColumnDefinitionBuilder) =>
        c.notNull().references('audit_contexts.id'),
      )
      .addUniqueConstraint('records_source_key', ['source_id', 'source_record_id'])
      .execute();
    await db.schema.createIndex('records_subject').on('records').column('subject_id').execute();

    await id('id')(db.schema.createTable('api_tokens'))
      .addColumn('token_hash', 'text', (c: ColumnDefinitionBuilder) => c.notNull().unique())
      .addColumn('role', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('principal', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('ref', 'text')
      .addColumn('label', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('scope', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('created_at', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await id('seq')(db.schema.createTable('audit_log'))
      .addColumn('context_id', ref, (c: ColumnDefinitionBuilder) =>
        c.notNull().references('audit_contexts.id'),
      )
      .addColumn('subject_id', ref)
      .addColumn('action', 'text', (c: ColumnDefinitionBuilder) => c.notNull())
      .addColumn('detail', 'text')
      // RFC 6962 leaf hash, 32 raw bytes.
      .addColumn('leaf_hash', backend === 'postgres' ? 'bytea' : 'blob', (c: ColumnDefinitionBuilder) =>
        c.notNull(),
      )
      .execute();
    await db.schema.createIndex('audit_subject').on('audit_log').column('subject_id').execute();
    // Records arrive in bulk from many sources; an explicit marker helps operators see the schema age.
    await sql`insert into meta (key, value) values ('schema_created', 'foundation')`.execute(db);
  },
});

/** Scores: per subject, policy version and as-of date, with what explains them (product rule 5). */
const scores = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('scores')
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('grade', 'text', (c) => c.notNull())
      .addColumn('domains', 'text', (c) => c.notNull())
      .addColumn('key_factors', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scores_pk', ['subject_id', 'policy_version', 'as_of'])
      .execute();
  },
});

/** Relying parties and the measures granted to them; list entries; notifications and their outbox. */
const lists = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const serial = backend === 'postgres' ? 'bigserial' : 'integer';
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    const pk = (c: ColumnDefinitionBuilder) =>
      backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
    // Who a person represents is asked on every check and every rescoring of a person.
    await db.schema.createIndex('subjects_legal_rep').on('subjects').column('legal_rep_id').execute();
    await db.schema
      .createTable('relying_parties')
      .addColumn('id', serial, pk)
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('relying_party_measures')
      .addColumn('relying_party_id', ref, (c) => c.notNull().references('relying_parties.id'))
      .addColumn('measure_code', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('relying_party_measures_pk', ['relying_party_id', 'measure_code'])
      .execute();
    await db.schema
      .createTable('list_entries')
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('list_code', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('until_date', 'text')
      .addColumn('reason_code', 'text', (c) => c.notNull())
      .addColumn('reason_records', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      // The whole entry as the lists engine gave it (grace notice, extension, deletion deadline).
      .addColumn('entry', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('list_entries_pk', ['subject_id', 'list_code', 'from_date'])
      .execute();
    await db.schema
      .createIndex('list_entries_list')
      .on('list_entries')
      .columns(['list_code', 'status'])
      .execute();
    await db.schema
      .createTable('notifications')
      .addColumn('id', serial, pk)
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('list_code', 'text')
      .addColumn('effective', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      // One notification per subject, kind, list and effective date: recomputing never repeats it.
      .addUniqueConstraint('notifications_once', ['subject_id', 'kind', 'list_code', 'effective'])
      .execute();
    await db.schema
      .createTable('outbox')
      .addColumn('id', serial, pk)
      .addColumn('notification_id', ref, (c) => c.notNull().references('notifications.id'))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
  },
});

/**
 * Delivery state of the outbox: attempts, last error, when to try again, and when it was given up
 * (kept, never deleted, so an operator sees what never reached the subject).
 */
const outboxDelivery = (): Migration => ({
  async up(db: AnyDb) {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    await db.schema
      .alterTable('outbox')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('outbox').addColumn('last_error', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('next_attempt_at', 'text').execute();
    await db.schema.alterTable('outbox').addColumn('dead_at', 'text').execute();
    // Partial index over the undelivered rows only, in id (oldest first) order: a delivery pass
    // reads the head of it and never walks the ever-growing history of sent rows.
    await db.schema
      .createIndex('outbox_due')
      .on('outbox')
      .columns(['id', 'next_attempt_at'])
      .where(sql.ref('sent_at'), 'is', null)
      .where(sql.ref('dead_at'), 'is', null)
      .execute();
  },
});

/**
 * The change feed checks are served from: one row per subject whose list entries or score changed,
 * written in the same transaction as the change (a row without a subject: everything changed). A
 * process answering checks from memory reads the rows after the last one it applied, so it sees
 * writes made by any process before its next answer.
 */
const checkChanges = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const serial = backend === 'postgres' ? 'bigserial' : 'integer';
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    const pk = (c: ColumnDefinitionBuilder) =>
      backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
    await db.schema
      .createTable('check_changes')
      .addColumn('seq', serial, pk)
      .addColumn('subject_id', ref)
      .execute();
    // The check log: every relying-party check, appended in the order committed. The checks one
    // relying party makes for one purpose and commits together share one audit_log entry whose leaf
    // commits to the SHA-256 of their content lines (as record batches do).
    await db.schema
      .createTable('check_log')
      // Never deleted from, so SQLite's plain rowid stays increasing without AUTOINCREMENT's
      // extra write per commit.
      .addColumn('seq', serial, (c) => c.primaryKey())
      // The audit entry that commits to this check (with the checks committed with it).
      .addColumn('audit_seq', ref, (c) => c.notNull().references('audit_log.seq'))
      .addColumn('subject_id', ref)
      // The identifier asked about, kept only when the platform does not know the subject.
      .addColumn('subject', 'text')
      .addColumn('measure', 'text', (c) => c.notNull())
      .addColumn('applies', 'integer', (c) => c.notNull())
      .addColumn('reason_code', 'text', (c) => c.notNull())
      .addColumn('check_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('check_log_audit').on('check_log').column('audit_seq').execute();
    // Who checked a subject is found through this index, filled in bulk behind the log (an index
    // maintained row by row would rewrite a random page of it for every check); the rows not
    // indexed yet are the log's tail, after meta `check_log_indexed_through`.
    let subjects = db.schema
      .createTable('check_log_subjects')
      .addColumn('subject_id', ref, (c) => c.notNull())
      .addColumn('check_seq', ref, (c) => c.notNull())
      .addPrimaryKeyConstraint('check_log_subjects_pk', ['subject_id', 'check_seq']);
    if (backend === 'sqlite') subjects = subjects.modifyEnd(sql`without rowid`);
    await subjects.execute();
  },
});

/**
 * Subjects a transaction creates are audited by one `subjects.create` entry (as records are by one
 * `records.create` entry), found from the subject through the context it was created in; audit
 * entries are looked up by context through an index, so a subject's trail never scans the log.
 */
const subjectContext = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .alterTable('subjects')
      .addColumn('context_id', ref, (c) => c.references('audit_contexts.id'))
      .execute();
    await db.schema.createIndex('audit_context').on('audit_log').column('context_id').execute();
  },
});

/**
 * Audit indexes without the entries they never serve: entries naming no subject (batches, check
 * groups) are not in the subject index, and check groups, never looked up by context, are not in
 * the context index. A commit of checks writes two index pages fewer (7.7 → 5.7 WAL frames).
 * Queries by context name the action they want (`action <> 'measure.check'` is implied).
 */
const partialAuditIndexes = (): Migration => ({
  async up(db: AnyDb) {
    await db.schema.dropIndex('audit_subject').execute();
    await db.schema
      .createIndex('audit_subject')
      .on('audit_log')
      .column('subject_id')
      .where(sql.ref('subject_id'), 'is not', null)
      .execute();
    await db.schema.dropIndex('audit_context').execute();
    await db.schema
      .createIndex('audit_context')
      .on('audit_log')
      .column('context_id')
      .where(sql.ref('action'), '<>', 'measure.check')
      .execute();
  },
});

/**
 * The check log packed by group: the checks committed together under one audit entry are one row,
 * keyed by that entry, holding them as a JSON array of [check ID, subject id, identifier (when the
 * subject is unknown), measure, applies (1/0), reason code] in order, and the subject ids alone
 * (null for an unknown subject) as a JSON array by position. A group of a thousand checks is one
 * insert instead of a thousand. The subject index points at (group, position) and is filled behind
 * the log from the array of subject ids, in SQL. Existing rows and their index are carried over.
 */
const checkGroups = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    if (backend === 'sqlite') {
      await sql`create table check_groups (
        audit_seq integer primary key references audit_log (seq),
        count integer not null,
        checks text not null,
        subject_ids text not null)`.execute(db);
      // Grouped through the index on audit_seq, so each group's rows come in log order.
      await sql`insert into check_groups (audit_seq, count, checks, subject_ids)
        select audit_seq, count(*),
          json_group_array(json_array(check_id, subject_id, subject, measure, applies, reason_code)),
          json_group_array(subject_id)
        from check_log indexed by check_log_audit group by audit_seq`.execute(db);
      await sql`create table check_subjects (
        subject_id integer not null, audit_seq integer not null, pos integer not null,
        primary key (subject_id, audit_seq, pos)) without rowid`.execute(db);
      await sql`insert into check_subjects (subject_id, audit_seq, pos)
        select j.value, g.audit_seq, j.key from check_groups g, json_each(g.subject_ids) j
        where j.type = 'integer'`.execute(db);
    } else {
      await sql`create table check_groups (
        audit_seq bigint primary key references audit_log (seq),
        count integer not null,
        checks jsonb not null,
        subject_ids jsonb not null)`.execute(db);
      await sql`insert into check_groups (audit_seq, count, checks, subject_ids)
        select audit_seq, count(*),
          jsonb_agg(jsonb_build_array(check_id, subject_id, subject, measure, applies, reason_code) order by seq),
          jsonb_agg(subject_id order by seq)
        from check_log group by audit_seq`.execute(db);
      await sql`create table check_subjects (
        subject_id bigint not null, audit_seq bigint not null, pos integer not null,
        primary key (subject_id, audit_seq, pos))`.execute(db);
      await sql`insert into check_subjects (subject_id, audit_seq, pos)
        select e.value::bigint, g.audit_seq, (e.ord - 1)::integer
        from check_groups g cross join lateral jsonb_array_elements_text(g.subject_ids) with ordinality as e(value, ord)
        where e.value is not null`.execute(db);
    }
    await sql`insert into meta (key, value)
      select 'check_groups_indexed_through', cast(coalesce(max(audit_seq), 0) as text) from check_groups`.execute(
      db,
    );
    await sql`delete from meta where key = 'check_log_indexed_through'`.execute(db);
    await db.schema.dropTable('check_log_subjects').execute();
    await db.schema.dropTable('check_log').execute();
  },
});

/**
 * SQLite: the audit log and its contexts number their rows by plain rowid instead of AUTOINCREMENT.
 * Neither ever deletes a row (the log is append-only), so the next number is the same; but
 * AUTOINCREMENT updates its sequence table on every insert, one more page in each commit. A commit
 * of 20 checks went from ≈ 74 to ≈ 56 KB written and from ≈ 127–148 to ≈ 105 µs (micro-benchmark,
 * alternated). Each table is rebuilt with foreign keys off, in one transaction checked by
 * `foreign_key_check` before it commits. PostgreSQL's identity columns need nothing.
 */
const plainAuditRowids = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    if (backend !== 'sqlite') return;
    await sql`pragma foreign_keys = off`.execute(db);
    try {
      await sql`begin immediate`.execute(db);
      try {
        await sql`create table audit_contexts_new (
          id integer primary key, at text not null, actor text not null, role text not null,
          purpose text not null, request_id text)`.execute(db);
        await sql`insert into audit_contexts_new (id, at, actor, role, purpose, request_id)
          select id, at, actor, role, purpose, request_id from audit_contexts`.execute(db);
        await sql`drop table audit_contexts`.execute(db);
        await sql`alter table audit_contexts_new rename to audit_contexts`.execute(db);
        await sql`create table audit_log_new (
          seq integer primary key, context_id integer not null references audit_contexts (id),
          subject_id integer, action text not null, detail text, leaf_hash blob not null)`.execute(db);
        await sql`insert into audit_log_new (seq, context_id, subject_id, action, detail, leaf_hash)
          select seq, context_id, subject_id, action, detail, leaf_hash from audit_log`.execute(db);
        await sql`drop table audit_log`.execute(db);
        await sql`alter table audit_log_new rename to audit_log`.execute(db);
        await sql`create index audit_subject on audit_log (subject_id) where subject_id is not null`.execute(
          db,
        );
        await sql`create index audit_context on audit_log (context_id) where action <> 'measure.check'`.execute(
          db,
        );
        const broken = await sql`pragma foreign_key_check`.execute(db);
        if (broken.rows.length > 0)
          throw new Error(`rebuilding the audit log broke ${broken.rows.length} references`);
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

/**
 * The check log's subject index becomes a chain per subject (see `checkChainSql`): each indexed
 * check points at the subject's check before it, and each subject's latest is its head. Built
 * from the subject-ordered index it replaces, which is then dropped.
 */
const checkChain = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const big = backend === 'postgres' ? sql.raw('bigint') : sql.raw('integer');
    const withoutRowid = backend === 'sqlite' ? sql.raw('without rowid') : sql.raw('');
    await sql`create table check_chain (
      audit_seq ${big} not null, pos integer not null, subject_id ${big} not null,
      prev_seq ${big}, prev_pos integer,
      primary key (audit_seq, pos)) ${withoutRowid}`.execute(db);
    await sql`create table check_heads (
      subject_id ${big} primary key, audit_seq ${big} not null, pos integer not null)`.execute(db);
    await sql`insert into check_chain (audit_seq, pos, subject_id, prev_seq, prev_pos)
      select audit_seq, pos, subject_id, lag(audit_seq) over o, lag(pos) over o
      from check_subjects window o as (partition by subject_id order by audit_seq, pos)`.execute(db);
    await sql`insert into check_heads (subject_id, audit_seq, pos)
      select subject_id, audit_seq, pos from (
        select subject_id, audit_seq, pos,
          row_number() over (partition by subject_id order by audit_seq desc, pos desc) as rn
        from check_subjects) l
      where rn = 1`.execute(db);
    await db.schema.dropTable('check_subjects').execute();
  },
});

/**
 * Who represents an organization or public body, kept with the days each binding held (never
 * overwritten): the legal representative, principal responsible persons and actual controller.
 * `valid_from` null: bound since before the platform knew (the first binding on file);
 * `valid_until` null: in force. `subjects.legal_rep_id` stays as the legal representative in force,
 * the one the hot paths read. Existing representatives become open-ended first bindings.
 */
const subjectBindings = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    const serial = backend === 'postgres' ? 'bigserial' : 'integer';
    await db.schema
      .createTable('subject_bindings')
      .addColumn('id', serial, (c) => c.primaryKey())
      .addColumn('organization_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('person_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text')
      .addColumn('valid_until', 'text')
      .addColumn('source_id', ref, (c) => c.references('sources.id'))
      .addColumn('context_id', ref, (c) => c.references('audit_contexts.id'))
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subject_bindings_organization')
      .on('subject_bindings')
      .columns(['organization_id', 'role'])
      .execute();
    await db.schema
      .createIndex('subject_bindings_person')
      .on('subject_bindings')
      .column('person_id')
      .execute();
    await sql`insert into subject_bindings (organization_id, person_id, role, valid_from, valid_until, source_id, context_id, recorded_at)
      select id, legal_rep_id, 'legal_representative', null, null, null, context_id, created_at
      from subjects where legal_rep_id is not null order by id`.execute(db);
  },
});

/**
 * A relying party's purposes (the codes its checks may name) and its daily quota of checks.
 * Parties registered before have no purpose, so every check of theirs is refused until an operator
 * sets them, and the default quota of registration (`DEFAULT_DAILY_QUOTA` in measures).
 */
const relyingPartyPurposes = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .alterTable('relying_parties')
      .addColumn('daily_quota', 'integer', (c) => c.notNull().defaultTo(100_000))
      .execute();
    await db.schema
      .createTable('relying_party_purposes')
      .addColumn('relying_party_id', ref, (c) => c.notNull().references('relying_parties.id'))
      .addColumn('purpose_code', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('relying_party_purposes_pk', ['relying_party_id', 'purpose_code'])
      .execute();
  },
});

/**
 * The day each subject next changes without a new record (a grace period, a listing or a record's
 * window ending), so that `credence maintain` visits only the subjects due. No row: nothing due.
 * Seeded from the entries kept (pending → the day it takes effect; active → the day it ends); a
 * score's windows are added by the next computation of the subject or full rescoring.
 */
const subjectDue = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('subject_due')
      .addColumn('subject_id', ref, (c) => c.primaryKey().references('subjects.id'))
      .addColumn('due_day', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('subject_due_day').on('subject_due').column('due_day').execute();
    await sql`insert into subject_due (subject_id, due_day)
      select subject_id, min(case when status = 'pending' then from_date else until_date end)
      from list_entries where status = 'pending' or (status = 'active' and until_date is not null)
      group by subject_id`.execute(db);
  },
});

/**
 * Due process. A record keeps its id for life; every change to it (a source's correction or
 * withdrawal, an objection flagging it and its decision, a repair, archival) moves the content it
 * had into `record_versions` with the instants it was known (`known_from` ≤ t < `known_until`), so
 * a report as of an earlier moment still sees what was said then (bitemporal). `records.version`
 * counts the versions; `revised_at` is when the current one was written (null: never revised).
 * `objections` and `repairs` hold a subject's applications with their clocks.
 */
const dueProcess = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    const serial = backend === 'postgres' ? 'bigserial' : 'integer';
    await db.schema
      .alterTable('records')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.alterTable('records').addColumn('revised_at', 'text').execute();
    await db.schema
      .createTable('record_versions')
      .addColumn('id', serial, (c) => c.primaryKey())
      .addColumn('record_id', ref, (c) => c.notNull().references('records.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('disclosed_at', 'text')
      .addColumn('amount', 'double precision')
      .addColumn('evidence', 'text')
      .addColumn('note', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('known_from', 'text', (c) => c.notNull())
      .addColumn('known_until', 'text', (c) => c.notNull())
      .addColumn('change', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('context_id', ref, (c) => c.references('audit_contexts.id'))
      .execute();
    await db.schema
      .createIndex('record_versions_record')
      .on('record_versions')
      .columns(['record_id', 'version'])
      .unique()
      .execute();
    await db.schema
      .createIndex('record_versions_known_until')
      .on('record_versions')
      .column('known_until')
      .execute();
    await db.schema
      .createTable('objections')
      .addColumn('id', serial, (c) => c.primaryKey())
      .addColumn('record_id', ref, (c) => c.notNull().references('records.id'))
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('counts_while_pending', 'integer', (c) => c.notNull())
      .addColumn('filed_at', 'text', (c) => c.notNull())
      .addColumn('due_day', 'text', (c) => c.notNull())
      .addColumn('source_notice_due', 'text', (c) => c.notNull())
      .addColumn('source_notified_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('reasons', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('appeal_reason', 'text')
      .addColumn('appealed_at', 'text')
      .addColumn('appeal_due', 'text')
      .addColumn('appeal_outcome', 'text')
      .addColumn('appeal_reasons', 'text')
      .addColumn('appeal_decided_at', 'text')
      .addColumn('appeal_decided_by', 'text')
      .execute();
    await db.schema.createIndex('objections_subject').on('objections').column('subject_id').execute();
    await db.schema.createIndex('objections_record').on('objections').column('record_id').execute();
    await db.schema.createIndex('objections_queue').on('objections').columns(['status', 'due_day']).execute();
    // One open objection (pending or under appeal) per record: a second filing is a conflict.
    await db.schema
      .createIndex('objections_open_record')
      .on('objections')
      .column('record_id')
      .unique()
      .where(sql<boolean>`status in ('pending', 'appealed')`)
      .execute();
    // Attachments apart from the objection row, so that queues and lists never load their bytes.
    await db.schema
      .createTable('objection_attachments')
      .addColumn('id', serial, (c) => c.primaryKey())
      .addColumn('objection_id', ref, (c) => c.notNull().references('objections.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('content', backend === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('objection_attachments_objection')
      .on('objection_attachments')
      .column('objection_id')
      .execute();
    await db.schema
      .createTable('repairs')
      .addColumn('id', serial, (c) => c.primaryKey())
      .addColumn('record_id', ref, (c) => c.notNull().references('records.id'))
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('commitment', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addColumn('feedback_due', 'text', (c) => c.notNull())
      .addColumn('feedback', 'text')
      .addColumn('feedback_at', 'text')
      .addColumn('feedback_by', 'text')
      .addColumn('decision_due', 'text')
      .addColumn('outcome', 'text')
      .addColumn('reasons', 'text')
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('display_stop_due', 'text')
      .execute();
    await db.schema.createIndex('repairs_subject').on('repairs').column('subject_id').execute();
    await db.schema.createIndex('repairs_queue').on('repairs').columns(['status', 'feedback_due']).execute();
    await db.schema.createIndex('repairs_record').on('repairs').column('record_id').execute();
    // One open application (pending or accepted) per record: a second one is a conflict.
    await db.schema
      .createIndex('repairs_open_record')
      .on('repairs')
      .column('record_id')
      .unique()
      .where(sql.ref('status'), 'in', ['pending', 'accepted'])
      .execute();
    // Proof of performance apart from the application row, so that queues never load its bytes.
    await db.schema
      .createTable('repair_attachments')
      .addColumn('id', serial, (c) => c.primaryKey())
      .addColumn('repair_id', ref, (c) => c.notNull().references('repairs.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('content', backend === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('repair_attachments_repair')
      .on('repair_attachments')
      .column('repair_id')
      .execute();
  },
});

/**
 * The audit log's Merkle tree (RFC 6962). Entries get their leaf index after they commit: on
 * PostgreSQL a lower `seq` can commit after a higher one, so `seq` order cannot be the tree order.
 * The index is a nullable column of `audit_log` rather than a table of its own: the partial index
 * of entries without one (`audit_unsequenced`) is exactly the sequencer's queue, found without a
 * watermark that out-of-order commits would make unsafe, and the write paths insert as before
 * (null). `audit_tiles` keeps the root of every completed perfect subtree at the tile levels, so a
 * proof reads O(log n) rows; `audit_heads` the tree heads cut. The frontier lives in `meta`.
 */
const auditTree = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const big = backend === 'postgres' ? 'bigint' : 'integer';
    const bytes = backend === 'postgres' ? 'bytea' : 'blob';
    await db.schema.alterTable('audit_log').addColumn('leaf_index', big).execute();
    await db.schema
      .createIndex('audit_unsequenced')
      .on('audit_log')
      .column('seq')
      .where(sql.ref('leaf_index'), 'is', null)
      .execute();
    await db.schema
      .createIndex('audit_leaf_index')
      .on('audit_log')
      .column('leaf_index')
      .unique()
      .where(sql.ref('leaf_index'), 'is not', null)
      .execute();
    await db.schema
      .createTable('audit_tiles')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', big, (c) => c.notNull())
      .addColumn('hash', bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_tiles_pk', ['level', 'idx'])
      .execute();
    await db.schema
      .createTable('audit_heads')
      .addColumn('tree_size', big, (c) => c.primaryKey())
      .addColumn('root_hash', bytes, (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
  },
});

/**
 * Signed tree heads: each head keeps the C2SP checkpoint (signed note) that signs its size, root and
 * timestamp with the log's Ed25519 key, so a verifier needs the published key and nothing else.
 */
const signedHeads = (): Migration => ({
  async up(db: AnyDb) {
    await db.schema.alterTable('audit_heads').addColumn('checkpoint', 'text').execute();
  },
});

/**
 * Citizen ratings (issue 16): interactions whose tokens are kept hashed, one rating per interaction
 * (unique), windows held for review with the ratings in them (never deleted: a decision only marks
 * them), and the rated subject's public reply on the rating.
 */
const ratings = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const serial = backend === 'postgres' ? 'bigserial' : 'integer';
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    const bytes = backend === 'postgres' ? 'bytea' : 'blob';
    const pk = (c: ColumnDefinitionBuilder) =>
      backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
    await db.schema
      .createTable('interactions')
      .addColumn('id', serial, pk)
      .addColumn('token_hash', bytes, (c) => c.notNull().unique())
      .addColumn('source_id', ref, (c) => c.notNull().references('sources.id'))
      .addColumn('serving_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('service_date', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('redeemed_at', 'text')
      .execute();
    await db.schema
      .createIndex('interactions_source_issued')
      .on('interactions')
      .columns(['source_id', 'issued_at'])
      .execute();
    await db.schema
      .createTable('ratings')
      .addColumn('id', serial, pk)
      .addColumn('interaction_id', ref, (c) => c.notNull().unique().references('interactions.id'))
      .addColumn('rated_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('rater_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('source_id', ref, (c) => c.notNull().references('sources.id'))
      .addColumn('professionalism', 'integer', (c) => c.notNull())
      .addColumn('honesty', 'integer', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('comment_status', 'text', (c) => c.notNull())
      .addColumn('comment_bands', 'text')
      .addColumn('connected', 'integer', (c) => c.notNull())
      .addColumn('submitted_at', 'text', (c) => c.notNull())
      .addColumn('state', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reply', 'text')
      .addColumn('replied_at', 'text')
      .execute();
    await db.schema
      .createIndex('ratings_rated')
      .on('ratings')
      .columns(['rated_id', 'submitted_at'])
      .execute();
    await db.schema
      .createIndex('ratings_rater')
      .on('ratings')
      .columns(['rater_id', 'submitted_at'])
      .execute();
    await db.schema
      .createTable('rating_holds')
      .addColumn('id', serial, pk)
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('hold_key', 'text', (c) => c.notNull())
      .addColumn('rated_id', ref, (c) => c.references('subjects.id'))
      .addColumn('window_from', 'text', (c) => c.notNull())
      .addColumn('window_to', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('hides', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decision_reason', 'text')
      .execute();
    await db.schema
      .createIndex('rating_holds_pending')
      .on('rating_holds')
      .columns(['reason', 'hold_key'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
    await db.schema
      .createTable('rating_hold_items')
      .addColumn('hold_id', ref, (c) => c.notNull().references('rating_holds.id'))
      .addColumn('rating_id', ref, (c) => c.notNull().references('ratings.id'))
      .addPrimaryKeyConstraint('rating_hold_items_pk', ['hold_id', 'rating_id'])
      .execute();
    await db.schema
      .createIndex('rating_hold_items_rating')
      .on('rating_hold_items')
      .column('rating_id')
      .execute();
    // Each rater's weight as the last sweep computed it from its agreement with published aggregates.
    await db.schema
      .createTable('rater_weights')
      .addColumn('rater_id', ref, (c) => c.primaryKey().references('subjects.id'))
      .addColumn('weight', 'real', (c) => c.notNull())
      .addColumn('agreed', 'integer', (c) => c.notNull())
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .execute();
  },
});

/**
 * Risk-based random inspections (issue 17): regulators' rosters, plans kept with every input of
 * their draw so anyone can re-run it, and the inspections drawn with their outcomes.
 */
const inspections = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    const serial = backend === 'postgres' ? 'bigserial' : 'integer';
    const ref = backend === 'postgres' ? 'bigint' : 'integer';
    const pk = (c: ColumnDefinitionBuilder) =>
      backend === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
    await db.schema
      .createTable('inspectors')
      .addColumn('id', serial, pk)
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('regulator', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('conflicts', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('inspection_plans')
      .addColumn('id', serial, pk)
      .addColumn('regulator', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('policy_version', 'text', (c) => c.notNull())
      .addColumn('seed', 'text', (c) => c.notNull())
      .addColumn('seed_origin', 'text', (c) => c.notNull())
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addUniqueConstraint('inspection_plans_period', ['regulator', 'period'])
      .execute();
    await db.schema
      .createTable('inspections')
      .addColumn('id', serial, pk)
      .addColumn('plan_id', ref, (c) => c.notNull().references('inspection_plans.id'))
      .addColumn('subject_id', ref, (c) => c.notNull().references('subjects.id'))
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('class', 'text', (c) => c.notNull())
      .addColumn('inspectors', 'text', (c) => c.notNull())
      .addColumn('due_day', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('outcome_at', 'text')
      .addColumn('outcome_by', 'text')
      .addColumn('record_id', ref, (c) => c.references('records.id'))
      .addColumn('published_at', 'text')
      // Null: drawn; otherwise the complaint that made it (red-listed ones are inspected only so).
      .addColumn('complaint', 'text')
      .execute();
    await db.schema.createIndex('inspections_plan').on('inspections').column('plan_id').execute();
    await db.schema.createIndex('inspections_subject').on('inspections').column('subject_id').execute();
  },
});

/**
 * Credentials that die: API tokens expire (renewable), a source's credential can be revoked, and
 * `credentials_epoch` (in meta) counts every revocation, rotation and renewal, bumped in their
 * transaction, so each process can tell at once that a credential it keeps may have changed.
 * Tokens issued before carry no expiry: they get one 90 days from this migration (not from their
 * issue, which would cut off at upgrade every token older than 90 days with no warning). A token
 * standing for no one (no ref) had `role:label` as its principal, shared by every token with that
 * label: the token's id now ends it, so each actor in the audit log is one token. Scopes stored
 * before were never enforced and are cleared.
 */
const credentials = (): Migration => ({
  async up(db: AnyDb) {
    const expires = new Date(Date.now() + 90 * 86_400_000).toISOString();
    await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
    // Scopes were stored but never enforced: what they said meant nothing, and enforcing it now
    // would cut tokens off. Scopes given from now on are checked against the permission table.
    await db.updateTable('api_tokens').set({ expires_at: expires, scope: '[]' }).execute();
    await sql`update api_tokens set principal = principal || '#' || cast(id as text) where ref is null`.execute(
      db,
    );
    await db.schema.alterTable('sources').addColumn('revoked_at', 'text').execute();
    await db
      .insertInto('meta')
      .values({ key: 'credentials_epoch', value: '0' })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  },
});

/**
 * Request counters shared by the API processes of one store: per rate-limit key (a credential's
 * hash or an address, never a plaintext credential) and fixed window (its start, epoch ms).
 */
const rateLimits = (): Migration => ({
  async up(db: AnyDb) {
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
      .execute();
    await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_start').execute();
  },
});

export const migrationProvider = (backend: Backend): MigrationProvider => ({
  async getMigrations() {
    return {
      '0001_foundation': foundation(backend),
      '0002_scores': scores(backend),
      '0003_lists': lists(backend),
      '0004_outbox_delivery': outboxDelivery(),
      '0005_check_changes': checkChanges(backend),
      '0006_subject_context': subjectContext(backend),
      '0007_partial_audit_indexes': partialAuditIndexes(),
      '0008_check_groups': checkGroups(backend),
      '0009_plain_audit_rowids': plainAuditRowids(backend),
      '0010_check_chain': checkChain(backend),
      '0011_subject_bindings': subjectBindings(backend),
      '0012_relying_party_purposes': relyingPartyPurposes(backend),
      '0013_subject_due': subjectDue(backend),
      '0014_due_process': dueProcess(backend),
      '0015_audit_tree': auditTree(backend),
      '0016_signed_heads': signedHeads(),
      '0017_ratings': ratings(backend),
      '0018_inspections': inspections(backend),
      '0019_lookup': lookupIndex(backend),
      '0020_credentials': credentials(),
      '0021_rate_limits': rateLimits(),
      '0022_subject_partitions': subjectPartitions(backend),
      '0023_more_subject_partitions': moreSubjectPartitions(backend),
      '0024_binding_objections': bindingObjections(backend),
      '0025_policy_periods': policyPeriods(),
      '0026_binding_versions': bindingVersions(backend),
      '0027_source_staff': sourceStaff(backend),
      '0028_check_keys': checkKeys(),
      '0029_released_reasons': releasedReasons(),
      '0030_outbox_superseded': outboxSuperseded(),
    };
  },
});
