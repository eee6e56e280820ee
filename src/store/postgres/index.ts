import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { groupCheckLog } from '../common/audit-groups.ts';
import { KyselyStore } from '../common/kysely-store.ts';
import { queries } from '../common/queries.ts';
import type { Database } from '../schema.ts';
import type {
  AuditDraft,
  CheckTurn,
  RecordWrite,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';
import { registerSubjects, writeRecordBatch } from './record-batch.ts';

// bigint (int8) keys fit comfortably in a JS number for any realistic table size (< 2^53).
pg.types.setTypeParser(20, (v) => Number(v));

export class PostgresStore extends KyselyStore {
  readonly backend = 'postgres' as const;

  async writeRecordBatch(
    sourceId: number,
    records: RecordWrite[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
  ): Promise<WriteOutcome[]> {
    return writeRecordBatch(this.db, sourceId, records, at, audit);
  }

  /**
   * One transaction reads the feed and logs the checks. Writers of the feed are not held off (a
   * check would wait for every scoring transaction in flight, and replicas cannot hold them): a
   * change committed between this read and the commit is seen by the next turn.
   */
  async checkTurn(afterSeq: number, limit: number, turn: CheckTurn): Promise<boolean> {
    const logged = await this.inFlight(
      this.db.transaction().execute(async (tx) => {
        const batches = turn(await queries.readCheckChanges(tx, afterSeq, limit));
        if (!batches) return false;
        for (const g of groupCheckLog(batches)) await queries.insertCheckGroup(tx, g.actor, g.rows, g.at);
        return true;
      }),
    );
    if (logged) this.scheduleCheckIndex();
    return logged;
  }

  async registerSubjects(
    subjects: SubjectRef[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
  ): Promise<SubjectOutcome[]> {
    return registerSubjects(this.db, subjects, at, audit);
  }
}

export const openPostgresStore = (url: string, opts: { maxConnections?: number } = {}): PostgresStore => {
  const pool = new pg.Pool({ connectionString: url, max: opts.maxConnections ?? 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new PostgresStore(db);
};
