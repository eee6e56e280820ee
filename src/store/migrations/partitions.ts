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
 * Migration 0023 (`PARTITIONED_0023`, below) does the same for three more: record_versions by
 * `hash (subject_id)`, a column 0023 adds on both backends (the record's subject), ratings by
 * `hash (rated_id)` (the rated subject, whose file they feed) and inspections by
 * `hash (subject_id)` (the inspected organization).
 *
 * Left whole: `subjects` itself, the directory every subject key comes from. Its `identifier` is
 * unique and every per-subject table points at its `id`; partitioned by id, the identifier's
 * uniqueness would need a second table written with every new subject and every look-up by
 * identifier (each ingested line, each check) would probe every partition. `licences`, a
 * directory like it: (kind, number) is unique across subjects and looked up by number. And
 * `interactions`: a rating token is redeemed by its hash, when the serving subject is not yet
 * known, so the look-up would probe every partition, and `token_hash` is unique across subjects.
 * Also whole: the audit log and the check log (one append order, one Merkle tree), catalogue,
 * policies, sources, relying parties, tokens, meta, rate limits, rating holds (a window of
 * ratings, possibly of several subjects) and inspection plans (a few a year per regulator).
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
 *   inspection's outcome; 0023 gives both the subject key and makes them composite keys again),
 *   outbox → notifications, objection_attachments → objections, repair_attachments → repairs,
 *   and (0023) rating_hold_items → ratings: a hold's items are written in the transaction that
 *   inserts the rating or reads the pending hold, and neither ratings nor hold items are ever
 *   deleted (a hold's decision marks ratings released or removed, store/common/ratings.ts).
 * - `ratings` (0023): keyed by (id, rated_id); one rating per interaction is unique
 *   (rated_id, interaction_id). Reads and updates by rating id alone (a reply, a hold's
 *   decision, the sweep's scan in id order) probe every partition's primary key.
 * - `inspections` (0023): keyed by (id, subject_id); the reads by plan, by inspector and by id
 *   probe every partition.
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

const partitionsOf = (table: string, key: string, migration = '0022') =>
  Array.from(
    { length: SUBJECT_PARTITIONS },
    (_, r) =>
      `create table ${table}_p${r} partition of ${table} for values with (modulus ${SUBJECT_PARTITIONS}, remainder ${r})`,
  ).concat(`comment on table ${table} is 'partitioned by hash (${key}) (migration ${migration})'`);

const run = async (db: AnyDb, statements: string[]) => {
  for (const s of statements) await sql.raw(s).execute(db);
};

/** Rebuilds one table as a partitioned one with the same columns and rows. */
const rebuild = async (db: AnyDb, t: Partitioned, migration = '0022') => {
  const old = `${t.table}_unpartitioned`;
  const seq = t.serial
    ? (await sql<{ seq: string }>`select pg_get_serial_sequence(${t.table}, ${t.serial}) as seq`.execute(db))
        .rows[0]!.seq
    : undefined;
  await run(db, [
    `alter table ${t.table} rename to ${old}`,
    // Columns, types, not-null and defaults (the id's nextval of its sequence) as they were.
    `create table ${t.table} (like ${old} including defaults) partition by hash (${t.key})`,
    ...partitionsOf(t.table, t.key, migration),
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

/**
 * The tables migration 0023 partitions, in the order they are rebuilt: apart from `PARTITIONED`,
 * so that 0022 does on a database what it always did and a database already past it gets these
 * from 0023 alone.
 */
export const PARTITIONED_0023: readonly Partitioned[] = [
  {
    // A record's earlier versions, by the subject of the record (the column 0023 adds). The
    // version number is unique per record, and a record has one subject: unique per
    // (subject_id, record_id) is the same constraint. The plain index on (record_id, version)
    // serves the reads by record id alone across subjects (an as-of report over many records),
    // which probe it in every partition.
    table: 'record_versions',
    key: 'subject_id',
    serial: 'id',
    after: [
      'alter table record_versions add constraint record_versions_pkey primary key (id, subject_id)',
      `alter table record_versions add constraint record_versions_once
         unique (subject_id, record_id, version)`,
      'create index record_versions_record on record_versions (record_id, version)',
      'create index record_versions_known_until on record_versions (known_until)',
      // The foreign key 0022 dropped, back as a composite one: the record is the subject's own.
      `alter table record_versions add foreign key (subject_id, record_id)
         references records (subject_id, id)`,
      'alter table record_versions add foreign key (context_id) references audit_contexts (id)',
    ],
  },
  {
    // A rated subject's ratings, the file its aggregate is computed from. One rating per
    // interaction: an interaction names one serving subject, the rated one, so unique per
    // (rated_id, interaction_id) is the same constraint (and the redemption, `redeemed_at is
    // null` updated in the rating's transaction, keeps it one before any constraint is reached;
    // no write relies on `on conflict` here).
    table: 'ratings',
    key: 'rated_id',
    serial: 'id',
    after: [
      'alter table ratings add constraint ratings_pkey primary key (id, rated_id)',
      'alter table ratings add constraint ratings_interaction unique (rated_id, interaction_id)',
      'create index ratings_rated on ratings (rated_id, submitted_at)',
      'create index ratings_rater on ratings (rater_id, submitted_at)',
      'alter table ratings add foreign key (interaction_id) references interactions (id)',
      'alter table ratings add foreign key (rated_id) references subjects (id)',
      'alter table ratings add foreign key (rater_id) references subjects (id)',
      'alter table ratings add foreign key (source_id) references sources (id)',
    ],
  },
  {
    // An organization's inspections, read by subject for its file; a plan's (a few a year) and an
    // inspector's read every partition.
    table: 'inspections',
    key: 'subject_id',
    serial: 'id',
    after: [
      'alter table inspections add constraint inspections_pkey primary key (id, subject_id)',
      'create index inspections_plan on inspections (plan_id)',
      'create index inspections_subject on inspections (subject_id)',
      'alter table inspections add foreign key (plan_id) references inspection_plans (id)',
      'alter table inspections add foreign key (subject_id) references subjects (id)',
      // The outcome's record is about the inspected organization (supervision/inspections.ts
      // ingests it under that subject's identifier): 0022's dropped key, back as a composite one.
      `alter table inspections add foreign key (subject_id, record_id)
         references records (subject_id, id)`,
    ],
  },
];

/**
 * SQLite's record_versions with the subject column: SQLite adds no not-null column without a
 * default, so the table is made again (nothing refers to it) and filled from the old one. A
 * version whose record were missing would fail the not-null, not be dropped.
 */
const VERSION_COLUMNS = `id, record_id, version, type, occurred_at, decided_at, disclosed_at, amount,
  evidence, note, status, known_from, known_until, change, reason, context_id`;

const sqliteVersionSubjects = async (db: AnyDb) => {
  await sql`begin immediate`.execute(db);
  try {
    await run(db, [
      `create table record_versions_new (
         id integer primary key, record_id integer not null references records (id),
         version integer not null, type text not null, occurred_at text not null,
         decided_at text, disclosed_at text, amount double precision, evidence text, note text,
         status text not null, known_from text not null, known_until text not null,
         change text not null, reason text, context_id integer references audit_contexts (id),
         subject_id integer not null references subjects (id))`,
      `insert into record_versions_new (${VERSION_COLUMNS}, subject_id)
         select ${VERSION_COLUMNS}, (select r.subject_id from records r where r.id = v.record_id)
         from record_versions v`,
      'drop table record_versions',
      'alter table record_versions_new rename to record_versions',
      'create unique index record_versions_record on record_versions (record_id, version)',
      'create index record_versions_known_until on record_versions (known_until)',
      'create index record_versions_subject on record_versions (subject_id)',
    ]);
    await sql`commit`.execute(db);
  } catch (e) {
    await sql`rollback`.execute(db);
    throw e;
  }
};

/**
 * Migration 0023: record_versions gets the subject key (`subject_id`, the subject of its record,
 * on both backends, so the store's code stays one), and on PostgreSQL record_versions, ratings
 * and inspections are partitioned by it (`PARTITIONED_0023`) as 0022 did the others.
 */
export const moreSubjectPartitions = (backend: Backend): Migration => ({
  async up(db: AnyDb) {
    if (backend === 'sqlite') return sqliteVersionSubjects(db);
    await run(db, [
      'alter table record_versions add column subject_id bigint',
      `update record_versions v set subject_id = r.subject_id from records r where r.id = v.record_id`,
      'alter table record_versions alter column subject_id set not null',
    ]);
    for (const t of PARTITIONED_0023) await rebuild(db, t, '0023');
  },
});
