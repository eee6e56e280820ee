/**
 * Relying parties' queries (CONVENTIONS 7a): registration with the measures granted and the
 * purposes stated, a change of purposes, and how many checks each party made since a time (to seed
 * the daily quota after a restart).
 */
import type { Kysely, Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type { Database } from '../schema.ts';
import type { AuditDraft, RelyingPartyRow } from '../types.ts';
import { auditQueries } from './audit.ts';
import { isUniqueViolation } from './queries.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Check groups read per page when counting a day's checks from the tail of the log. */
const COUNT_PAGE = 2_000;

const insertPurposes = async (tx: Transaction<Database>, id: number, purposes: readonly string[]) => {
  if (purposes.length > 0)
    await tx
      .insertInto('relying_party_purposes')
      .values(purposes.map((p) => ({ relying_party_id: id, purpose_code: p })))
      .execute();
};

export const relyingPartyQueries = {
  async insertRelyingParty(
    db: Kysely<Database>,
    rp: Omit<RelyingPartyRow, 'id' | 'createdAt'>,
    at: string,
    audit: AuditDraft,
  ): Promise<RelyingPartyRow> {
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('relying_parties')
          .values({
            code: rp.code,
            kind: rp.kind,
            name: rp.name,
            legal_basis: rp.legalBasis,
            daily_quota: rp.dailyQuota,
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        if (rp.measures.length) {
          await tx
            .insertInto('relying_party_measures')
            .values(rp.measures.map((m) => ({ relying_party_id: id, measure_code: m })))
            .execute();
        }
        await insertPurposes(tx, id, rp.purposes);
        await auditQueries.appendAudit(tx, [audit], at);
        return { ...rp, measures: [...rp.measures], purposes: [...rp.purposes], id, createdAt: at };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CredenceError('conflict', `a relying party with code "${rp.code}" already exists`);
      throw e;
    }
  },

  /** Replaces a party's purposes with its audit entry; undefined when there is no such party. */
  async setRelyingPartyPurposes(
    db: Kysely<Database>,
    code: string,
    purposes: readonly string[],
    at: string,
    audit: AuditDraft,
  ): Promise<RelyingPartyRow | undefined> {
    const done = await db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('relying_parties')
        .select('id')
        .where('code', '=', code)
        .executeTakeFirst();
      if (!row) return false;
      const id = Number(row.id);
      await tx.deleteFrom('relying_party_purposes').where('relying_party_id', '=', id).execute();
      await insertPurposes(tx, id, purposes);
      await auditQueries.appendAudit(tx, [audit], at);
      return true;
    });
    return done ? (await relyingPartyQueries.listRelyingParties(db, code))[0] : undefined;
  },

  async listRelyingParties(db: Db, code?: string): Promise<RelyingPartyRow[]> {
    let q = db.selectFrom('relying_parties').selectAll();
    if (code !== undefined) q = q.where('code', '=', code);
    const rows = await q.orderBy('code').execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [grants, purposes] = await Promise.all([
      db
        .selectFrom('relying_party_measures')
        .selectAll()
        .where('relying_party_id', 'in', ids)
        .orderBy('measure_code')
        .execute(),
      db
        .selectFrom('relying_party_purposes')
        .selectAll()
        .where('relying_party_id', 'in', ids)
        .orderBy('purpose_code')
        .execute(),
    ]);
    return rows.map((r) => ({
      id: Number(r.id),
      code: r.code,
      kind: r.kind,
      name: r.name,
      legalBasis: r.legal_basis,
      measures: grants.filter((g) => Number(g.relying_party_id) === Number(r.id)).map((g) => g.measure_code),
      purposes: purposes
        .filter((p) => Number(p.relying_party_id) === Number(r.id))
        .map((p) => p.purpose_code),
      dailyQuota: Number(r.daily_quota),
      createdAt: r.created_at,
    }));
  },

  /**
   * Checks logged since `since` (an ISO instant), per actor. The log is read from its tail, a page
   * of groups at a time, until a group older than `since`: its contexts are written in time order,
   * so this reads one day's groups, not the whole log.
   */
  async countChecksSince(db: Db, since: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let before: number | undefined;
    for (;;) {
      let q = db
        .selectFrom('check_groups as g')
        .innerJoin('audit_log as l', 'l.seq', 'g.audit_seq')
        .innerJoin('audit_contexts as c', 'c.id', 'l.context_id')
        .select(['g.audit_seq', 'g.count', 'c.actor', 'c.at'])
        .orderBy('g.audit_seq', 'desc')
        .limit(COUNT_PAGE);
      if (before !== undefined) q = q.where('g.audit_seq', '<', before);
      const rows = await q.execute();
      for (const r of rows) {
        if (r.at < since) return counts;
        counts.set(r.actor, (counts.get(r.actor) ?? 0) + Number(r.count));
      }
      if (rows.length < COUNT_PAGE) return counts;
      before = Number(rows[rows.length - 1]!.audit_seq);
    }
  },
};
