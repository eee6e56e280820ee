import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, Kysely, SqliteDialect, SqliteDriver } from 'kysely';
import { ensureDir } from '../../shared/ensure-dir.ts';
import type { AuditBatch } from '../common/audit-groups.ts';
import { bindingDay, NO_BINDING_RIGHTS } from '../common/bindings.ts';
import { KyselyStore } from '../common/kysely-store.ts';
import { SUBJECT_NAMES_BEHIND, SYNC_SUBJECT_NAMES } from '../migrations/lookup.ts';
import type { Database as Schema } from '../schema.ts';
import type {
  AuditDraft,
  BindingRights,
  CheckTurn,
  RecordWrite,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';
import { makeAuditWriter } from './audit-writer.ts';
import { makeBatchWriters } from './record-batch.ts';

/** How often the background thread copies the WAL back into the database. */
const CHECKPOINT_INTERVAL_MS = 200;
/**
 * Pages of WAL at which the writing connection checkpoints by itself, with the background thread
 * (256 MiB at 16 KiB pages) and without it (64 MiB).
 */
const SAFETY_NET_CHECKPOINT_PAGES = 16_384;
const WRITER_CHECKPOINT_PAGES = 4_096;
/** How long a connection waits for another (another process) to commit. */
const BUSY_TIMEOUT_MS = 10_000;

export class SqliteStore extends KyselyStore {
  readonly backend = 'sqlite' as const;
  private writers: ReturnType<typeof makeBatchWriters> | undefined;

  private checkpointer: { worker: Worker; stopped: Promise<void> } | undefined;

  constructor(
    private readonly raw: Database.Database,
    db: Kysely<Schema>,
    private readonly file: string,
  ) {
    super(db);
  }

  /**
   * Starts background checkpoints the first time this store writes in bulk (record batches, the
   * audit and check log), so one-shot reads never start a thread. The writer's own
   * auto-checkpoint stays as a safety net far above what the background thread lets the WAL reach,
   * and takes over again if the thread fails.
   */
  private startCheckpointer() {
    if (this.checkpointer || this.file === ':memory:') return;
    const worker = new Worker(new URL('./checkpointer.js', import.meta.url), {
      workerData: { file: this.file, intervalMs: CHECKPOINT_INTERVAL_MS },
      // It needs none of this process's flags (some, like --input-type, would stop it starting).
      execArgv: [],
    });
    worker.unref();
    const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('error', () => this.raw.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`));
    this.checkpointer = { worker, stopped };
    this.raw.pragma(`wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
  }

  override async close() {
    await this.quiesce();
    const c = this.checkpointer;
    if (c) {
      // Held by the loop again while it stops: an unreferenced thread's exit would not keep this
      // process waiting for it.
      c.worker.ref();
      c.worker.postMessage('stop');
      await c.stopped;
    }
    await super.close();
  }

  override async migrate() {
    await super.migrate();
    // Names of organizations written by other means than the store (a bench's raw inserts) join
    // the public lookup's index at start-up; the store's own writes index theirs as they commit.
    await this.db.connection().execute(async () => {
      if (!this.raw.prepare(SUBJECT_NAMES_BEHIND).get()) return;
      const sync = SYNC_SUBJECT_NAMES.map((q) => this.raw.prepare(q));
      this.raw
        .transaction(() => {
          for (const st of sync) st.run();
        })
        .immediate();
    });
    this.writers = makeBatchWriters(this.raw);
  }

  private auditWriter: ReturnType<typeof makeAuditWriter> | undefined;
  private auditStatements() {
    this.startCheckpointer();
    this.auditWriter ??= makeAuditWriter(this.raw);
    return this.auditWriter;
  }

  protected override async writeAudit(batch: readonly AuditBatch[]): Promise<void> {
    const w = this.auditStatements();
    await this.db.connection().execute(async () => w.write(batch));
  }

  /** Runs where Kysely's transactions cannot interleave (it holds the one connection meanwhile). */
  protected override writeCheckTurn(afterSeq: number, limit: number, turn: CheckTurn): Promise<boolean> {
    const w = this.auditStatements();
    return this.db.connection().execute(async () => w.checkTurn(afterSeq, limit, turn));
  }

  override indexCheckLog(limit = Number.MAX_SAFE_INTEGER) {
    const w = this.auditStatements();
    return this.db.connection().execute(async () => w.indexChecks(limit));
  }

  /** Read at once when no transaction is open (one is only open while Kysely holds the connection). */
  override async readCheckChanges(afterSeq: number, limit: number) {
    const w = this.auditStatements();
    if (!this.raw.inTransaction) return w.readChanges(afterSeq, limit);
    return this.db.connection().execute(async () => w.readChanges(afterSeq, limit));
  }

  private epochStatement: Database.Statement | undefined;
  /**
   * Read at every authentication that found a kept credential: one row by primary key, a few
   * microseconds, and it sees what another process committed a moment ago (WAL readers take the
   * latest commit at each statement outside a transaction).
   */
  credentialsEpoch(): number | undefined {
    this.epochStatement ??= this.raw
      .prepare("select value from meta where key = 'credentials_epoch'")
      .pluck();
    const v = this.epochStatement.get() as string | undefined;
    return v === undefined ? undefined : Number(v);
  }

  private batchWriters() {
    this.startCheckpointer();
    this.writers ??= makeBatchWriters(this.raw);
    return this.writers;
  }

  async writeRecordBatch(
    sourceId: number,
    records: RecordWrite[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    rights: BindingRights = NO_BINDING_RIGHTS,
    day: string = bindingDay(at),
  ): Promise<WriteOutcome[]> {
    const w = this.batchWriters();
    // Take Kysely's connection lock so no Kysely transaction is open while ours runs.
    return this.db
      .connection()
      .execute(async () => w.writeRecords(sourceId, records, at, audit, rights, day));
  }

  async registerSubjects(
    subjects: SubjectRef[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    day: string = bindingDay(at),
  ): Promise<SubjectOutcome[]> {
    const w = this.batchWriters();
    return this.db.connection().execute(async () => w.registerSubjects(subjects, at, audit, day));
  }
}

/**
 * Kysely's SQLite transactions, begun IMMEDIATE: each takes the write lock when it starts, waiting
 * for it up to the busy timeout. Another process (a command-line ingestion while the server runs)
 * may commit at any moment, and a deferred transaction that had read before that commit would
 * fail at its first write instead of waiting.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
/** Distinct query texts whose prepared statements are kept (multi-row inserts vary in length). */
const STATEMENT_CACHE = 1000;

/**
 * The database as Kysely sees it, keeping prepared statements by their text: Kysely prepares every
 * query it runs, and preparing cost about a quarter of a rating's submission (0.47 of 1.9 ms of
 * CPU). Reusing a statement is safe here: Kysely runs one query at a time on its one connection,
 * and SQLite re-prepares a kept statement by itself when the schema changes.
 */
const withStatementCache = (raw: Database.Database) => {
  const kept = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let stmt = kept.get(sql);
      if (stmt) {
        // Most recently used last, so the oldest goes first when the cache is full.
        kept.delete(sql);
      } else {
        stmt = raw.prepare(sql);
        if (kept.size >= STATEMENT_CACHE) kept.delete(kept.keys().next().value!);
      }
      kept.set(sql, stmt);
      return stmt;
    },
  };
};

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: ReturnType<typeof withStatementCache>;
  constructor(raw: Database.Database) {
    const database = withStatementCache(raw);
    super({ database });
    this.database = database;
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

/** Opens (creating when absent) a SQLite database file; `:memory:` for a throw-away store. */
export const openSqliteStore = (file: string): SqliteStore => {
  if (file !== ':memory:') ensureDir(dirname(file));
  const raw = new Database(file);
  // 16 KiB pages (for a new database; an existing one keeps its own): a commit of random-order
  // index inserts (subject identifiers) writes fewer, larger WAL frames, one system call each.
  // Measured on bulk ingestion together with 10,000-record batches: about 7% more records/s than
  // 4 KiB pages with the same batches.
  raw.pragma('page_size = 16384');
  raw.pragma('journal_mode = WAL');
  // WAL + NORMAL: a committed batch survives a process crash; only an OS crash can lose the last commits.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // A large page cache keeps the random-order indexes (subject ids, identifiers) in memory as the
  // database grows; SQLite only takes the memory it uses.
  raw.pragma('cache_size = -524288');
  raw.pragma('mmap_size = 1073741824');
  raw.pragma('temp_store = MEMORY');
  raw.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  const db = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect(raw) });
  return new SqliteStore(raw, db, file);
};
