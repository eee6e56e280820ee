import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { bindingDay, NO_BINDING_RIGHTS } from '../common/bindings.ts';
import { KyselyStore } from '../common/kysely-store.ts';
import { CREDENTIALS_CHANNEL } from '../common/queries.ts';
import type { Database } from '../schema.ts';
import type {
  AuditDraft,
  BindingRights,
  CheckTurn,
  RecordWrite,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';
import { checkTurn, type RunPrepared } from './check-turn.ts';
import { connectionConfig } from './connection.ts';
import { registerSubjects, writeRecordBatch } from './record-batch.ts';
import { ReplicaRouter } from './replica.ts';

// bigint (int8) keys fit comfortably in a JS number for any realistic table size (< 2^53).
pg.types.setTypeParser(20, (v) => Number(v));

/** How long the credentials listener waits before connecting again after losing its connection. */
const LISTEN_RETRY_MS = 1_000;

export class PostgresStore extends KyselyStore {
  readonly backend = 'postgres' as const;

  constructor(
    db: Kysely<Database>,
    private readonly newClient: () => pg.Client,
    private readonly prepared: RunPrepared,
    private readonly replicaRouter?: ReplicaRouter,
  ) {
    super(db, replicaRouter);
  }

  /**
   * One connection per process, opened when the process first authenticates, listening for the
   * notification every revocation, rotation and renewal sends as it commits: each one counts, so
   * a kept credential is looked up again as soon as the notification arrives (milliseconds).
   * While it is not connected, nothing kept is trusted.
   */
  private listener: pg.Client | undefined;
  private listening = false;
  private epoch = 0;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  credentialsEpoch(): number | undefined {
    if (!this.listener && !this.retry && !this.closed) this.listen();
    return this.listening ? this.epoch : undefined;
  }

  private listen() {
    const client = this.newClient();
    this.listener = client;
    client.on('notification', () => {
      this.epoch++;
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`listen ${CREDENTIALS_CHANNEL}`))
      .then(
        () => {
          if (this.listener !== client) return;
          // Whatever changed while nobody listened is unknown: start a new count.
          this.epoch++;
          this.listening = true;
        },
        () => this.lost(client),
      );
  }

  private lost(client: pg.Client) {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.listening = false;
    this.epoch++;
    client.end().catch(() => {});
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed) this.listen();
    }, LISTEN_RETRY_MS);
    this.retry.unref();
  }

  override async close() {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.listener;
    this.listener = undefined;
    this.listening = false;
    await client?.end().catch(() => {});
    await this.replicaRouter?.close();
    await super.close();
    await this.replicaRouter?.replica.destroy();
  }

  async writeRecordBatch(
    sourceId: number,
    records: RecordWrite[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    rights: BindingRights = NO_BINDING_RIGHTS,
    day: string = bindingDay(at),
  ): Promise<WriteOutcome[]> {
    return writeRecordBatch(this.db, sourceId, records, at, audit, rights, day);
  }

  async registerSubjects(
    subjects: SubjectRef[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    day: string = bindingDay(at),
  ): Promise<SubjectOutcome[]> {
    return registerSubjects(this.db, subjects, at, audit, day);
  }

  /** One prepared statement, one round trip when the feed holds no change (see check-turn.ts). */
  protected override writeCheckTurn(afterSeq: number, limit: number, turn: CheckTurn): Promise<boolean> {
    return checkTurn(this.prepared, afterSeq, limit, turn);
  }
}

/** A hot standby serving the reads that may lag, while at most `maxLagMs` behind (replica.ts). */
export interface ReplicaConfig {
  url: string;
  maxLagMs: number;
}

export const openPostgresStore = (
  url: string,
  opts: { maxConnections?: number; replica?: ReplicaConfig } = {},
): PostgresStore => {
  const config = connectionConfig(url);
  const pool = new pg.Pool({ ...config, max: opts.maxConnections ?? 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let router: ReplicaRouter | undefined;
  if (opts.replica) {
    // The same libpq meaning of sslmode and its companions as DATABASE_URL.
    // A standby that does not answer is given up on (reads go to the primary) rather than waited for.
    const replicaPool = new pg.Pool({
      ...connectionConfig(opts.replica.url, process.env, 'DATABASE_REPLICA_URL'),
      max: opts.maxConnections ?? 10,
      connectionTimeoutMillis: Math.max(1_000, opts.replica.maxLagMs),
      keepAlive: true,
    });
    // An idle connection the standby dropped is not a reason to stop: the next read opens another.
    replicaPool.on('error', () => {});
    const replicaDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: replicaPool }) });
    router = new ReplicaRouter(db, replicaDb, opts.replica.maxLagMs);
  }
  // Through the pool Kysely uses, as a named statement: pg prepares it once on each connection.
  const prepared: RunPrepared = async <R>(name: string, text: string, values: unknown[]) =>
    (await pool.query({ name, text, values })) as unknown as { rows: R[] };
  return new PostgresStore(db, () => new pg.Client(config), prepared, router);
};
