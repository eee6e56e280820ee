/** Store-level fixtures shared by the store suites. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, Migrator } from 'kysely';
import { afterAll } from 'vitest';
import { auditLeafHash } from '../src/shared/audit-leaf.ts';
import type { KyselyStore } from '../src/store/common/kysely-store.ts';
import type { Store } from '../src/store/index.ts';
import { migrationProvider } from '../src/store/migrations/index.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import type { NewRating } from '../src/store/ratings.ts';
import type { Database } from '../src/store/schema.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Backend, CheckLogBatch, RecordWrite } from '../src/store/types.ts';
import { freshTestDatabase, testPostgresSkipReason } from './pg-server.ts';

/** Registers court source `court-a` (allowed one record type), audited as `source.create`; its id. */
export const insertCourtSource = async (
  store: Store,
  at: string,
  actor: { actor: string; role: string; purpose: string; requestId: string | null },
): Promise<number> => {
  const src = await store.insertSource(
    {
      code: 'court-a',
      kind: 'court',
      name: 'Court A',
      legalBasis: 'SPC 2017',
      types: ['court.contract_lawsuit_lost'],
      credentialHash: 'h1',
    },
    at,
    { ...actor, subjectId: null, action: 'source.create', detail: null },
  );
  return src.id;
};

/**
 * For the suites that test one migration: a store on each backend, opened but not migrated, and
 * `migrateTo`, which takes it to the schema just before the migration under test and hands back
 * its Kysely handle (typed loosely: the schema of then is not today's).
 */
export const unmigratedStores = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `credence-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return [
    { name: 'sqlite' as const, open: async () => openSqliteStore(join(dir, 'm.db')) },
    {
      name: 'postgres' as const,
      skip: testPostgresSkipReason(),
      open: async () => openPostgresStore(await freshTestDatabase()),
    },
  ];
};

export const migrateTo = async (store: KyselyStore, backend: Backend, migration: string) => {
  // biome-ignore lint/suspicious/noExplicitAny: the schema before the migration is not the typed one
  const db = (store as unknown as { db: Kysely<any> }).db;
  const { error } = await new Migrator({ db, provider: migrationProvider(backend) }).migrateTo(migration);
  if (error) throw error;
  return db;
};

/** Appends one audit entry, with its context, straight into the tables (as any schema since 0001 had them); its number. */
export const insertAuditEntry = async (
  // biome-ignore lint/suspicious/noExplicitAny: the schema of the migration under test is not the typed one
  db: Kysely<any>,
  who: { actor: string; role: string; purpose: string; requestId: string | null },
  at: string,
  action: string,
  detail: string,
): Promise<number> => {
  const c = await db
    .insertInto('audit_contexts')
    .values({ at, actor: who.actor, role: who.role, purpose: who.purpose, request_id: who.requestId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const e = await db
    .insertInto('audit_log')
    .values({
      context_id: Number(c.id),
      subject_id: null,
      action,
      detail,
      leaf_hash: auditLeafHash(who, at, null, action, detail),
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  return Number(e.seq);
};

/** Logs checks as one turn of the check service would: grouped by actor, one audit entry each. */
export const logChecks = (store: Store, ...batches: CheckLogBatch[]): Promise<boolean> =>
  store.checkTurn(0, 1, () => batches);

/** The audit entries of one action, oldest first, with who acted and why (detail parsed as JSON). */
export const auditEntriesOf = async (store: Store, action: string) =>
  (
    await (store as unknown as { db: Kysely<Database> }).db
      .selectFrom('audit_log')
      .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
      .select(['actor', 'purpose', 'subject_id', 'detail'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute()
  ).map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }));

/** A lost contract lawsuit of person `identifier` (张伟) from the court source, as a batch carries it. */
export const courtRecord = (sourceRecordId: string, identifier: string): RecordWrite => ({
  sourceRecordId,
  type: 'court.contract_lawsuit_lost',
  subject: { kind: 'person', identifier, name: '张伟', birthDate: '1991-01-01', sex: 'male' },
  occurredAt: '2025-06-01',
  decidedAt: '2025-06-10',
  disclosedAt: null,
  amount: 1200.5,
  evidence: 'case (2025) 01 No. 7',
  note: null,
});

/**
 * Subject `ratedId` rated by `raterId` through the store's own writes: an interaction served
 * (its token hash 32 bytes of `token`), then redeemed by the rating. The rating as written and its id.
 */
export const storeRating = async (
  store: Store,
  r: { sourceId: number; ratedId: number; raterId: number; token: number; at: string },
): Promise<{ rating: NewRating; id: number }> => {
  const [interactionId] = await store.ratings.insertInteractions(
    [
      {
        tokenHash: new Uint8Array(32).fill(r.token),
        sourceId: r.sourceId,
        servingId: r.ratedId,
        service: 'licence renewal',
        serviceDate: r.at.slice(0, 10),
        issuedAt: r.at,
        expiresAt: new Date(Date.parse(r.at) + 30 * 86_400_000).toISOString(),
      },
    ],
    [],
  );
  const rating: NewRating = {
    interactionId: interactionId!,
    ratedId: r.ratedId,
    raterId: r.raterId,
    sourceId: r.sourceId,
    professionalism: 4,
    honesty: 5,
    comment: null,
    commentStatus: 'none',
    commentBands: null,
    connected: false,
    submittedAt: r.at,
  };
  return { rating, id: await store.ratings.insertRating(rating, [], []) };
};

/** One inspection plan (regulator `market-a`, 2026) drawing these subjects, class A; the plan's id. */
export const storePlan = (
  store: Store,
  subjects: readonly { subjectId: number; target: string }[],
  at: string,
) =>
  store.inspections.insertPlan(
    {
      regulator: 'market-a',
      period: '2026',
      policyVersion: 'v1',
      seed: '00',
      seedOrigin: 'test',
      inputs: {},
      plan: {},
      createdAt: at,
      createdBy: 'operator:ops',
    },
    subjects.map((s) => ({ ...s, class: 'A', inspectors: ['i-1'], dueDay: '2026-06-01' })),
    [],
  );
