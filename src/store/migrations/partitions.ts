/**
 * Migration 0022 (PostgreSQL only; nothing on SQLite): the per-subject tables are partitioned by a
 * hash of the subject key, so that a query naming the subject reads one partition, and the layout
 * is the one a distributed PostgreSQL (Citus) takes with the subject key as distribution column.
 *
 * Partitioned by `hash (subject_id)`, into `SUBJECT_PARTITIONS` partitions each:
 * records, scores, list_entries, subject_due, notifications, objections and repairs; and
 * subject_bindings by `hash (organization_id)`, the subject whose representatives they are. They
 * carry the subject key and grow with the population (records with the 80 billion of them).
 *
 * Left whole: `subjects` itself, the directory every subject key comes from. Its `identifier` is
 * unique and every per-subject table points at its `id`; partitioned by id, the identifier's
 * uniqueness would need a second table written with every new subject and every look-up by
 * identifier (each ingested line, each check) would probe every partition. Also whole: the audit
 * log and the check log (one append order, one Merkle tree), catalogue, policies, sources, relying
 * parties, tokens, meta, rate limits. Not yet partitioned: record_versions (keyed by record id, it
 * has no subject key column), ratings and interactions (a rater and a rated subject each),
 * inspections (organizations drawn per plan, a few a year) and licences (a directory like
 * subjects: (kind, number) is unique across subjects).
 *
 * What partitioning changed, since every unique constraint of a partitioned table must contain
 * its partition key:
 * - `records`: its key is (id, subject_id); the idempotency key (source_id, source_record_id),
 *   unique across subjects, moves to `record_keys`, partitioned by hash of source_record_id (a
 *   source sending one record id for two subjects is still one record, told apart by content as
 *   before). The batch write claims keys there first (record-batch.ts). `records_source_key`
 *   stays as a plain index for the reads by source key.
 * - `notifications`, `objections`, `repairs`: keyed by (id, subject_id); `subject_bindings` by
 *   (id, organization_id).
 * - Objections and repairs point at their record by (subject_id, record_id), a composite foreign
 *   key: the record is the subject's own, so "one open application per record" is the same
 *   constraint as per (subject_id, record_id), which a partitioned table can hold.
 * - Foreign keys from tables without the subject key to a partitioned table are dropped, their
 *   integrity kept by the write path, which inserts the referencing row in the transaction that
 *   read or wrote the row referred to, and no row of these tables is ever deleted:
 *   record_versions → records and inspections → records (written by a record's revision and an
 *   inspection's outcome), outbox → notifications, objection_attachments → objections,
 *   repair_attachments → repairs.
 *
 * Generated ids continue: each table keeps its sequence (owned by the new table).
 */
import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { Backend } from '../types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists (Kysely's documented pattern)
type AnyDb = Kysely<any>;

/**
 * A power of two, so that one partition can later be split in two (modulus 32, remainders r and
 * r + 16) without touching the others; 16 keeps planning and locking of the queries that read all
 * partitions (full rescoring, queues) cheap on one node. More is Citus's shard count, not this.
 */
export const SUBJECT_PARTITIONS = 16;

interface Partitioned {
  table: string;
  /** The partition key (columns). */
  key: string;
  /** Constraints and indexes, created on the partitioned table after its rows are in. */
  after: string[];
  /** The generated id whose sequence moves over. */
  serial?: string;
}

/** The tables partitioned by subject key, in the order they are rebuilt. */
export const PARTITIONED: readonly Partitioned[] = [
  {
    table: 'records',
    key: 'subject_id',
    serial: 'id',
    after: [
      'alter table records add constraint records_pkey primary key (id, subject_id)',
      'create index records_subject on records (subject_id)',
      'create index records_source_key on records (source_id, source_record_id)',
      'alter table records add foreign key (subject_id) references subjects (id)',
      'alter table records add foreign key (source_id) references sources (id)',
      'alter table records add foreign key (context_id) references audit_contexts (id)',
    ],
  },
  {
    table: 'scores',
    key: 'subject_id',
    after: [
      'alter table scores add constraint scores_pk primary key (subject_id, policy_version, as_of)',
      'alter table scores add foreign key (subject_id) references subjects (id)',
    ],
  },
  {
    table: 'list_entries',
    key: 'subject_id',
    after: [
      'alter table list_entries add constraint list_entries_pk primary key (subject_id, list_code, from_date)',
      'create index list_entries_list on list_entries (list_code, status)',
      'alter table list_entries add foreign key (subject_id) references subjects (id)',
    ],
  },
  {
    table: 'subject_due',
    key: 'subject_id',
    after: [
      'alter table subject_due add constraint subject_due_pkey primary key (subject_id)',
      'create index subject_due_day on subject_due (due_day)',
      'alter table subject_due add foreign key (subject_id) references subjects (id)',
    ],
  },
  {
    table: 'notifications',
    key: 'subject_id',
    serial: 'id',
    after: [
      'alter table notifications add constraint notifications_pkey primary key (id, subject_id)',
      `alter table notifications add constraint notifications_once
         unique (subject_id, kind, list_code, effective)`,
      'alter table notifications add foreign key (subject_id) references subjects (id)',
    ],
  },
  {
    table: 'objections',
    key: 'subject_id',
    serial: 'id',
    after: [
      'alter table objections add constraint objections_pkey primary key (id, subject_id)',
      'create index objections_subject on objections (subject_id)',
      'create index objections_record on objections (record_id)',
      'create index objections_queue on objections (status, due_day)',
      `create unique index objections_open_record on objections (subject_id, record_id)
         where status in ('pending', 'appealed')`,
      'alter table objections add foreign key (subject_id) references subjects (id)',
    ],
  },
  {
    table: 'repairs',
    key: 'subject_id',
    serial: 'id',
    after: [
      'alter table repairs add constraint repairs_pkey primary key (id, subject_id)',
      'create index repairs_subject on repairs (subject_id)',
      'create index repairs_record on repairs (record_id)',
      'create index repairs_queue on repairs (status, feedback_due)',
      `create unique index repairs_open_record on repairs (subject_id, record_id)
         where status in ('pending', 'accepted')`,
      'alter table repairs add foreign key (subject_id) references subjects (id)',
    ],
  },
  {
    // An organization's representatives, written and read by organization (the person side,
    // "whom does this person represent", reads every partition's index on person_id).
    table: 'subject_bindings',
    key: 'organization_id',
    serial: 'id',
    after: [
      'alter table subject_bindings add constraint subject_bindings_pkey primary key (id, organization_id)',
      'create index subject_bindings_organization on subject_bindings (organization_id, role)',
      'create index subject_bindings_person on subject_bindings (person_id)',
      'alter table subject_bindings add foreign key (organization_id) references subjects (id)',
      'alter table subject_bindings add foreign key (person_id) references subjects (id)',
      'alter table subject_bindings add foreign key (source_id) references sources (id)',
      'alter table subject_bindings add foreign key (context_id) references audit_contexts (id)',
    ],
  },
];

/** Foreign keys into the partitioned tables, once they all stand. */
const CROSS_KEYS = [
  'alter table objections add foreign key (subject_id, record_id) references records (subject_id, id)',
  'alter table repairs add foreign key (subject_id, record_id) references records (subject_id, id)',
];

const partitionsOf = (table: string, key: string) =>
  Array.from(
    { length: SUBJECT_PARTITIONS },
    (_, r) =>
      `create table ${table}_p${r} partition of ${table} for values with (modulus ${SUBJECT_PARTITIONS}, remainder ${r})`,
  ).concat(`comment on table ${table} is 'partitioned by hash (${key}) (migration 0022)'`);

const run = async (db: AnyDb, statements: string[]) => {
  for (const s of statements) await sql.raw(s).execute(db);
};

/** Rebuilds one table as a partitioned one with the same columns and rows. */
const rebuild = async (db: AnyDb, t: Partitioned) => {
  const old = `${t.table}_unpartitioned`;
  const seq = t.serial
    ? (await sql<{ seq: string }>`select pg_get_serial_sequence(${t.table}, ${t.serial}) as seq`.execute(db))
        .rows[0]!.seq
    : undefined;
  await run(db, [
    `alter table ${t.table} rename to ${old}`,
    // Columns, types, not-null and defaults (the id's nextval of its sequence) as they were.
    `create table ${t.table} (like ${old} including defaults) partition by hash (${t.key})`,
    ...partitionsOf(t.table, t.key),
    `insert into ${t.table} select * from ${old}`,
    ...(seq ? [`alter sequence ${seq} owned by none`] : []),
    // Cascade: the foreign keys into it go with it (the ones kept are made again below).
    `drop table ${old} cascade`,
    ...(seq ? [`alter sequence ${seq} owned by ${t.table}.${t.serial}`] : []),
    ...t.after,
    `analyze ${t.table}`,
  ]);
};

export const subjectPartitions = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    if (backend !== 'postgres') return;
    for (const t of PARTITIONED) await rebuild(db, t);
    // The idempotency key of records, unique across subjects, filled from the records kept.
    await run(db, [
      `create table record_keys (
         source_id bigint not null, source_record_id text not null, subject_id bigint not null,
         record_id bigint not null,
         constraint record_keys_pkey primary key (source_id, source_record_id))
       partition by hash (source_record_id)`,
      ...partitionsOf('record_keys', 'source_record_id'),
      `insert into record_keys (source_id, source_record_id, subject_id, record_id)
         select source_id, source_record_id, subject_id, id from records`,
      'analyze record_keys',
      ...CROSS_KEYS,
    ]);
  },
});
