/**
 * The audit log's shared queries: appending entries under one context each, and reading entries
 * with their context (who, role, purpose, when).
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { auditLeafHash } from '../../shared/audit-leaf.ts';
import type { Database } from '../schema.ts';
import type { AuditDraft, AuditRow } from '../types.ts';
import { groupAuditEntries } from './audit-groups.ts';
import { runShaped, shapesOf } from './shaped.ts';

type Db = Kysely<Database> | Transaction<Database>;
/** Audit entries with who acted, why and when (their context). */
export const entriesWithContext = (db: Db) =>
  db
    .selectFrom('audit_log')
    .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
    .select([
      'audit_log.seq',
      'audit_log.leaf_index',
      'audit_log.leaf_hash',
      'audit_contexts.at',
      'audit_contexts.actor',
      'audit_contexts.role',
      'audit_contexts.purpose',
      'audit_contexts.request_id',
    ]);

/** An entry of a subject's trail. */
export const auditRowOf = (
  e: {
    seq: number | string;
    leaf_index: number | string | null;
    leaf_hash: Uint8Array;
    at: string;
    actor: string;
    role: string;
    purpose: string;
    request_id: string | null;
  },
  subjectId: number,
  action: string,
  detail: string | null,
): AuditRow => ({
  seq: Number(e.seq),
  leafIndex: e.leaf_index === null ? null : Number(e.leaf_index),
  at: e.at,
  actor: e.actor,
  role: e.role,
  purpose: e.purpose,
  subjectId,
  action,
  detail,
  requestId: e.request_id,
  leafHash: Buffer.from(e.leaf_hash).toString('hex'),
});

/**
 * Writes audit entries with one context row per distinct (actor, role, purpose, request) and a
 * handful of multi-row statements, however many actions were group-committed together.
 */
const insertAudit = (db: Db, entries: AuditDraft[], at: string) => insertAuditBatches(db, [{ entries, at }]);

/**
 * Writes several callers' entries, each caller's at its own time, in the order given (one context
 * row per caller and actor), with a handful of multi-row statements for all of them.
 */
const insertAuditBatches = async (db: Db, batches: readonly { entries: AuditDraft[]; at: string }[]) => {
  const list = batches.flatMap((b) => groupAuditEntries(b.entries).map((group) => ({ group, at: b.at })));
  const contextIds: number[] = [];
  const shapes = shapesOf(db);
  for (let i = 0; i < list.length; i += 500) {
    const part = list.slice(i, i + 500);
    const params: unknown[] = [];
    for (const { group, at } of part) {
      const c = group[0]!;
      params.push(at, c.actor, c.role, c.purpose, c.requestId ?? null);
    }
    // Compiled once per number of rows (shaped.ts): most calls write one or two.
    const rows = await runShaped(db, shapes, `audit contexts ${part.length}`, params, () =>
      db
        .insertInto('audit_contexts')
        .values(
          part.map(({ group: [c], at }) => ({
            at,
            actor: c!.actor,
            role: c!.role,
            purpose: c!.purpose,
            request_id: c!.requestId ?? null,
          })),
        )
        .returning('id'),
    );
    // Ids are handed out in the order the rows are written, whatever order RETURNING lists them.
    contextIds.push(...rows.map((r) => Number(r.id)).sort((a, b) => a - b));
  }
  const logRows: Insertable<Database['audit_log']>[] = [];
  list.forEach(({ group, at }, g) => {
    for (const e of group)
      logRows.push({
        context_id: contextIds[g]!,
        subject_id: e.subjectId ?? null,
        action: e.action,
        detail: e.detail,
        leaf_hash: auditLeafHash(e, at, e.subjectId, e.action, e.detail),
      });
  });
  for (let i = 0; i < logRows.length; i += 1000) {
    const part = logRows.slice(i, i + 1000);
    const params: unknown[] = [];
    for (const r of part) params.push(r.context_id, r.subject_id, r.action, r.detail, r.leaf_hash);
    await runShaped(db, shapes, `audit log ${part.length}`, params, () =>
      db.insertInto('audit_log').values(part),
    );
  }
};

export const auditQueries = {
  async appendAudit(db: Db, entries: AuditDraft[], at: string) {
    if (entries.length === 0) return;
    if (db.isTransaction) await insertAudit(db, entries, at);
    else await (db as Kysely<Database>).transaction().execute((tx) => insertAudit(tx, entries, at));
  },
  /** Several callers' entries, each at its own time, in order, inside the caller's transaction. */
  async appendAuditBatches(
    tx: Transaction<Database>,
    batches: readonly { entries: AuditDraft[]; at: string }[],
  ) {
    if (batches.some((b) => b.entries.length > 0))
      await insertAuditBatches(
        tx,
        batches.filter((b) => b.entries.length > 0),
      );
  },
};
