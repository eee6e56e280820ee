/**
 * A subject's trail: its own entries, the batches that wrote its records, its creation entry and
 * the relying parties' checks of it, merged newest first from indexed look-ups.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import type { AuditRow, Backend } from '../types.ts';
import { CHECK_ACTION } from './check-log.ts';

type Db = Kysely<Database> | Transaction<Database>;

import { auditRowOf, entriesWithContext } from './audit.ts';
import { checkQueries } from './checks.ts';

export const trailQueries = {
  async listAuditForSubject(db: Db, backend: Backend, subjectId: number, limit: number): Promise<AuditRow[]> {
    const trail = entriesWithContext(db)
      .select(['audit_log.subject_id', 'audit_log.action', 'audit_log.detail'])
      .orderBy('audit_log.seq', 'desc')
      .limit(limit);
    // Three indexed look-ups, merged: the subject's own entries, and the batch entries of the
    // actions that stored its records and created it (found by context, never by scanning the log).
    // A batch entry of one action, found by context: `<> CHECK_ACTION` lets SQLite use the partial
    // index on context (check groups are not in it).
    const batchEntries = (action: string) =>
      trail.where('audit_log.action', '=', action).where('audit_log.action', '<>', CHECK_ACTION);
    const [own, recordBatches, creation] = await Promise.all([
      trail.where('audit_log.subject_id', '=', subjectId).execute(),
      batchEntries('records.create')
        .where('audit_log.context_id', 'in', (eb) =>
          eb.selectFrom('records').select('records.context_id').where('records.subject_id', '=', subjectId),
        )
        .execute(),
      batchEntries('subjects.create')
        .where('audit_log.context_id', '=', (eb) =>
          eb.selectFrom('subjects').select('subjects.context_id').where('subjects.id', '=', subjectId),
        )
        .execute(),
    ]);
    const rows = [...own, ...recordBatches, ...creation];
    const checks = await checkQueries.listChecksForSubject(db, backend, subjectId, limit);
    const entries = rows.map((r) =>
      auditRowOf(r, r.subject_id == null ? subjectId : Number(r.subject_id), r.action, r.detail),
    );
    return [...entries, ...checks].sort((a, b) => b.seq - a.seq).slice(0, limit);
  },
};
