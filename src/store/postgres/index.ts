import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { NO_BINDING_RIGHTS } from '../common/bindings.ts';
import { KyselyStore } from '../common/kysely-store.ts';
import type { Database } from '../schema.ts';
import type {
  AuditDraft,
  BindingRights,
  RecordWrite,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';
import { connectionConfig } from './connection.ts';
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
    rights: BindingRights = NO_BINDING_RIGHTS,
  ): Promise<WriteOutcome[]> {
    return writeRecordBatch(this.db, sourceId, records, at, audit, rights);
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
  const config = connectionConfig(url);
  const pool = new pg.Pool({ ...config, max: opts.maxConnections ?? 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new PostgresStore(db);
};
