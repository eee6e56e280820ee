/**
 * The queries that belong to no one capability's file: meta values, policy texts, sources, API
 * tokens, the outbox and row counts. Each capability's queries have their own file beside this one
 * (subjects.ts, scoring.ts, lists.ts, checks.ts, trail.ts, bindings.ts, relying-parties.ts,
 * maintain.ts); the mechanics (connections, transactions, migrations, the audit append) are apart.
 */
import { type ExpressionBuilder, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { CredenceError } from '../../shared/errors.ts';
import type { Database } from '../schema.ts';
import type {
  AuditDraft,
  Backend,
  NewSource,
  NewToken,
  OutboxCounts,
  OutboxFailure,
  OutboxRow,
  PolicyDoc,
  PolicyPeriod,
  SourceChange,
  SourceRow,
  TokenRow,
} from '../types.ts';
import { auditQueries } from './audit.ts';
import { runShaped, shapesOf } from './shaped.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Turns a unique-constraint violation from either driver into the `conflict` error. */
export const isUniqueViolation = (e: unknown): boolean => {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
};

const toToken = (r: Selectable<Database['api_tokens']>): TokenRow => ({
  id: Number(r.id),
  role: r.role,
  principal: r.principal,
  ref: r.ref,
  label: r.label,
  scope: JSON.parse(r.scope) as string[],
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  expiresAt: r.expires_at,
});

/** A source with the organization it declares (left-joined as `o`). */
const sourcesJoined = (db: Db) =>
  db
    .selectFrom('sources')
    .leftJoin('subjects as o', 'o.id', 'sources.organization_id')
    .selectAll('sources')
    .select(['o.identifier as org_identifier', 'o.name as org_name', 'o.kind as org_kind']);

type SourceJoined = Selectable<Database['sources']> & {
  org_identifier: string | null;
  org_name: string | null;
  org_kind: string | null;
};

const toSource = (r: SourceJoined, types: string[]): SourceRow => ({
  id: Number(r.id),
  code: r.code,
  kind: r.kind,
  name: r.name,
  legalBasis: r.legal_basis,
  types,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  organization:
    r.organization_id === null || r.org_identifier === null
      ? null
      : {
          id: Number(r.organization_id),
          identifier: r.org_identifier,
          name: r.org_name ?? '',
          kind: r.org_kind ?? '',
        },
  dailyServiceVolume: r.daily_service_volume === null ? null : Number(r.daily_service_volume),
});

/** The PostgreSQL channel on which every revocation, rotation and renewal is announced. */
export const CREDENTIALS_CHANNEL = 'credence_credentials';

/**
 * Counts a change to credentials, in the transaction making it: other processes on SQLite read the
 * count before trusting what they resolved; on PostgreSQL the notification reaches their listening
 * connections when the transaction commits.
 */
const credentialsChanged = async (tx: Transaction<Database>, backend: Backend) => {
  await sql`update meta set value = cast(cast(value as bigint) + 1 as text) where key = 'credentials_epoch'`.execute(
    tx,
  );
  if (backend === 'postgres') await sql`select pg_notify(${CREDENTIALS_CHANNEL}, '')`.execute(tx);
};

/**
 * Changes a token that is not revoked and, when it changed, bumps the credentials epoch and audits
 * it in the same transaction; the token as it stands after (undefined when there is none).
 */
const changeLiveToken = (
  db: Kysely<Database>,
  backend: Backend,
  id: number,
  change: { revoked_at: string } | { expires_at: string },
  at: string,
  audit: AuditDraft,
): Promise<TokenRow | undefined> =>
  db.transaction().execute(async (tx) => {
    const done = await tx
      .updateTable('api_tokens')
      .set(change)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) {
      await credentialsChanged(tx, backend);
      await auditQueries.appendAudit(tx, [audit], at);
    }
    const r = await tx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toToken(r) : undefined;
  });

export const queries = {
  async getMeta(db: Db, key: string) {
    const r = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  },

  async setMeta(db: Db, key: string, value: string) {
    await db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  },

  async savePolicy(db: Db, doc: PolicyDoc, at: string) {
    const r = await db
      .insertInto('policies')
      .values({ ...doc, loaded_at: at })
      .onConflict((oc) => oc.columns(['kind', 'version']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },

  /**
   * Appends a period for `version` from `at`, unless it is already the last in force; `appended`
   * runs in the same transaction when it does.
   */
  async notePolicyInForce(
    db: Kysely<Database>,
    kind: string,
    version: string,
    at: string,
    appended?: (tx: Transaction<Database>) => Promise<void>,
  ): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const last = await tx
        .selectFrom('policy_periods')
        .select('version')
        .where('kind', '=', kind)
        .orderBy('from_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (last?.version === version) return;
      await tx
        .insertInto('policy_periods')
        .values({ kind, from_at: at, version })
        .onConflict((oc) => oc.columns(['kind', 'from_at']).doUpdateSet({ version }))
        .execute();
      await appended?.(tx);
    });
  },

  async listPolicyPeriods(db: Db, kind: string): Promise<PolicyPeriod[]> {
    const rows = await db
      .selectFrom('policy_periods')
      .select(['from_at', 'version'])
      .where('kind', '=', kind)
      .orderBy('from_at')
      .execute();
    return rows.map((r) => ({ from: r.from_at, version: r.version }));
  },

  async findPolicy(db: Db, kind: string, version: string): Promise<PolicyDoc | undefined> {
    return db
      .selectFrom('policies')
      .select(['version', 'kind', 'label', 'content'])
      .where('kind', '=', kind)
      .where('version', '=', version)
      .executeTakeFirst();
  },

  async insertSource(db: Kysely<Database>, s: NewSource, at: string, audit: AuditDraft): Promise<SourceRow> {
    try {
      return await db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('sources')
          .values({
            code: s.code,
            kind: s.kind,
            name: s.name,
            legal_basis: s.legalBasis,
            credential_hash: s.credentialHash,
            created_at: at,
            // Set only when declared: a store not yet migrated to 0027 takes the rest (its tests do).
            ...(s.organizationId != null ? { organization_id: s.organizationId } : {}),
            ...(s.dailyServiceVolume != null ? { daily_service_volume: s.dailyServiceVolume } : {}),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        if (s.types.length > 0) {
          await tx
            .insertInto('source_types')
            .values(s.types.map((t) => ({ source_id: id, type_code: t })))
            .execute();
        }
        await auditQueries.appendAudit(tx, [audit], at);
        const org =
          s.organizationId != null
            ? await tx
                .selectFrom('subjects')
                .select(['identifier', 'name', 'kind'])
                .where('id', '=', s.organizationId)
                .executeTakeFirstOrThrow()
            : undefined;
        return {
          id,
          code: s.code,
          kind: s.kind,
          name: s.name,
          legalBasis: s.legalBasis,
          types: [...s.types],
          createdAt: at,
          revokedAt: null,
          organization: org ? { id: s.organizationId!, ...org } : null,
          dailyServiceVolume: s.dailyServiceVolume ?? null,
        };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new CredenceError('conflict', `a source with code "${s.code}" already exists`);
      throw e;
    }
  },

  async findSource(db: Db, by: 'code' | 'credential_hash', value: string): Promise<SourceRow | undefined> {
    const r = await sourcesJoined(db).where(`sources.${by}`, '=', value).executeTakeFirst();
    if (!r) return undefined;
    const types = await db
      .selectFrom('source_types')
      .select('type_code')
      .where('source_id', '=', r.id)
      .orderBy('type_code')
      .execute();
    return toSource(
      r,
      types.map((t) => t.type_code),
    );
  },

  async listSources(db: Db): Promise<SourceRow[]> {
    const rows = await sourcesJoined(db).orderBy('sources.code').execute();
    const types = await db.selectFrom('source_types').selectAll().orderBy('type_code').execute();
    return rows.map((r) =>
      toSource(
        r,
        types.filter((t) => Number(t.source_id) === Number(r.id)).map((t) => t.type_code),
      ),
    );
  },

  async rotateSourceCredential(
    db: Kysely<Database>,
    backend: Backend,
    code: string,
    credentialHash: string,
    at: string,
    audit: AuditDraft,
  ): Promise<SourceRow | undefined> {
    const done = await db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('sources')
        .set({ credential_hash: credentialHash, revoked_at: null })
        .where('code', '=', code)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await credentialsChanged(tx, backend);
      await auditQueries.appendAudit(tx, [audit], at);
      return true;
    });
    return done ? queries.findSource(db, 'code', code) : undefined;
  },

  async revokeSourceCredential(
    db: Kysely<Database>,
    backend: Backend,
    code: string,
    at: string,
    audit: AuditDraft,
  ): Promise<SourceRow | undefined> {
    await db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('sources')
        .set({ revoked_at: at })
        .where('code', '=', code)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      // The API tokens that act as the source go with its credential, and stay dead when a new
      // credential re-admits it (rotation issues no token).
      const tokens = await tx
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('role', '=', 'source')
        .where('ref', '=', code)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0 && Number(tokens.numUpdatedRows) === 0) return;
      await credentialsChanged(tx, backend);
      await auditQueries.appendAudit(tx, [audit], at);
    });
    return queries.findSource(db, 'code', code);
  },

  async updateSource(
    db: Kysely<Database>,
    code: string,
    change: SourceChange,
    at: string,
    audit: AuditDraft[],
  ): Promise<SourceRow | undefined> {
    const set: { organization_id?: number | null; daily_service_volume?: number | null } = {};
    if (change.organizationId !== undefined) set.organization_id = change.organizationId;
    if (change.dailyServiceVolume !== undefined) set.daily_service_volume = change.dailyServiceVolume;
    return db.transaction().execute(async (tx) => {
      if (Object.keys(set).length > 0) {
        const r = await tx.updateTable('sources').set(set).where('code', '=', code).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return undefined;
        await auditQueries.appendAudit(tx, audit, at);
      }
      return queries.findSource(tx, 'code', code);
    });
  },

  async countRecordsPerSource(db: Db, since: string): Promise<Map<number, number>> {
    const rows = await db
      .selectFrom('records')
      .where('recorded_at', '>=', since)
      .select(['source_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('source_id')
      .execute();
    return new Map(rows.map((r) => [Number(r.source_id), Number(r.n)]));
  },

  async insertToken(db: Kysely<Database>, t: NewToken, at: string, audit: AuditDraft): Promise<TokenRow> {
    return db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('api_tokens')
        .values({
          token_hash: t.tokenHash,
          role: t.role,
          // Made from the id below when it depends on it: unique meanwhile.
          principal: typeof t.principal === 'string' ? t.principal : `pending:${t.tokenHash}`,
          ref: t.ref,
          label: t.label,
          scope: JSON.stringify(t.scope),
          created_at: at,
          revoked_at: null,
          expires_at: t.expiresAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      const principal = typeof t.principal === 'string' ? t.principal : t.principal(id);
      if (typeof t.principal !== 'string')
        await tx.updateTable('api_tokens').set({ principal }).where('id', '=', id).execute();
      await auditQueries.appendAudit(tx, [audit], at);
      return {
        id,
        role: t.role,
        principal,
        ref: t.ref,
        label: t.label,
        scope: [...t.scope],
        createdAt: at,
        revokedAt: null,
        expiresAt: t.expiresAt,
      };
    });
  },

  /** Run at each first sight of a credential: compiled once (shaped.ts). */
  async findTokenByHash(db: Db, hash: string): Promise<TokenRow | undefined> {
    const [r] = await runShaped(db, shapesOf(db), 'token by hash', [hash], () =>
      db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash),
    );
    return r ? toToken(r) : undefined;
  },

  async listTokens(db: Db): Promise<TokenRow[]> {
    const rows = await db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').execute();
    return rows.map(toToken);
  },

  revokeToken(
    db: Kysely<Database>,
    backend: Backend,
    id: number,
    at: string,
    audit: AuditDraft,
  ): Promise<TokenRow | undefined> {
    return changeLiveToken(db, backend, id, { revoked_at: at }, at, audit);
  },

  renewToken(
    db: Kysely<Database>,
    backend: Backend,
    id: number,
    expiresAt: string,
    at: string,
    audit: AuditDraft,
  ): Promise<TokenRow | undefined> {
    return changeLiveToken(db, backend, id, { expires_at: expiresAt }, at, audit);
  },

  async count(db: Db, table: 'records' | 'audit_log'): Promise<number> {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async leaseOutbox(db: Kysely<Database>, ids: number[], until: string) {
    for (let i = 0; i < ids.length; i += 500)
      await db
        .updateTable('outbox')
        .set({ next_attempt_at: until })
        .where('id', 'in', ids.slice(i, i + 500))
        .where('sent_at', 'is', null)
        .where('superseded_at', 'is', null)
        .execute();
  },

  async claimDueOutbox(
    db: Kysely<Database>,
    limit: number,
    now: string,
    leaseUntil: string,
    backend: 'sqlite' | 'postgres',
  ) {
    return db.transaction().execute(async (tx) => {
      // The due rows are locked as they are chosen; on PostgreSQL those another pass holds are
      // skipped (SKIP LOCKED), so two passes at once share the due rows instead of the second
      // waiting on the first's and then finding them claimed. SQLite has one writer (its
      // transactions begin immediate).
      const due = tx
        .selectFrom('outbox')
        .select('id')
        .where((w) => dueAt(w, now))
        .orderBy('id')
        .limit(limit);
      const ids = (await (backend === 'postgres' ? due.forUpdate().skipLocked() : due).execute()).map((r) =>
        Number(r.id),
      );
      if (ids.length === 0) return [];
      const claimed = await tx
        .updateTable('outbox')
        .set({ next_attempt_at: leaseUntil })
        .where('id', 'in', ids)
        .returning('id')
        .execute();
      if (claimed.length === 0) return [];
      const rows = await outboxWithSubject(tx)
        .where(
          'outbox.id',
          'in',
          claimed.map((r) => Number(r.id)),
        )
        .orderBy('outbox.id')
        .execute();
      return rows.map(toOutboxRow);
    });
  },

  async listOutbox(db: Db, state: 'failed' | 'dead', limit: number): Promise<OutboxRow[]> {
    const q = outboxWithSubject(db)
      .where('outbox.sent_at', 'is', null)
      .where('outbox.superseded_at', 'is', null);
    const inState =
      state === 'dead'
        ? q.where('outbox.dead_at', 'is not', null)
        : q.where('outbox.dead_at', 'is', null).where('outbox.attempts', '>', 0);
    const rows = await inState.orderBy('outbox.id', 'desc').limit(limit).execute();
    return rows.map(toOutboxRow);
  },

  async markOutboxSent(db: Kysely<Database>, ids: number[], at: string, audit: AuditDraft[]): Promise<void> {
    if (ids.length === 0 && audit.length === 0) return;
    // One transaction: a row kept as sent always has its line on the subject's trail.
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < ids.length; i += 500) {
        await tx
          .updateTable('outbox')
          .set({ sent_at: at, next_attempt_at: null })
          .where('id', 'in', ids.slice(i, i + 500))
          .where('sent_at', 'is', null)
          .execute();
      }
      await auditQueries.appendAudit(tx, audit, at);
    });
  },

  async markOutboxFailed(db: Kysely<Database>, failures: OutboxFailure[], at: string): Promise<void> {
    if (failures.length === 0) return;
    await db.transaction().execute(async (tx) => {
      for (const f of failures) {
        await tx
          .updateTable('outbox')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_error: f.error,
            next_attempt_at: f.nextAttemptAt,
            dead_at: f.nextAttemptAt === null ? at : null,
          }))
          .where('id', '=', f.id)
          .where('sent_at', 'is', null)
          .where('superseded_at', 'is', null)
          .execute();
      }
    });
  },

  async requeueDeadOutbox(
    db: Kysely<Database>,
    ids: number[] | 'all',
    at: string,
    audit: AuditDraft,
  ): Promise<number[]> {
    if (ids !== 'all' && ids.length === 0) return [];
    return db.transaction().execute(async (tx) => {
      let q = tx
        .updateTable('outbox')
        .set({ dead_at: null, attempts: 0, next_attempt_at: at })
        .where('sent_at', 'is', null)
        .where('superseded_at', 'is', null)
        .where('dead_at', 'is not', null);
      if (ids !== 'all') q = q.where('id', 'in', ids);
      const moved = (await q.returning('id').execute()).map((r) => Number(r.id)).sort((a, b) => a - b);
      if (moved.length > 0)
        await auditQueries.appendAudit(tx, [{ ...audit, detail: JSON.stringify({ requeued: moved }) }], at);
      return moved;
    });
  },

  async countOutboxByState(db: Db): Promise<OutboxCounts> {
    const n = (cond: ReturnType<typeof sql>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;
    const r = await db
      .selectFrom('outbox')
      .select([
        n(sql`sent_at is not null`).as('sent'),
        n(sql`sent_at is null and superseded_at is not null`).as('superseded'),
        n(sql`sent_at is null and superseded_at is null and dead_at is not null`).as('dead'),
        n(sql`sent_at is null and superseded_at is null and dead_at is null and attempts > 0`).as('failed'),
        n(sql`sent_at is null and superseded_at is null and dead_at is null and attempts = 0`).as('queued'),
      ])
      .executeTakeFirstOrThrow();
    // sum() over no rows is null; PostgreSQL returns it as a numeric string.
    return {
      queued: Number(r.queued ?? 0),
      sent: Number(r.sent ?? 0),
      failed: Number(r.failed ?? 0),
      dead: Number(r.dead ?? 0),
      superseded: Number(r.superseded ?? 0),
    };
  },

  async outboxStillToSend(db: Db, id: number): Promise<boolean> {
    const r = await db
      .selectFrom('outbox')
      .select('id')
      .where('id', '=', id)
      .where('sent_at', 'is', null)
      .where('superseded_at', 'is', null)
      .executeTakeFirst();
    return r !== undefined;
  },

  async countOutboxPending(db: Db): Promise<number> {
    const r = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sent_at', 'is', null)
      .where('dead_at', 'is', null)
      .where('superseded_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};

const outboxWithSubject = (db: Db) =>
  db
    .selectFrom('outbox')
    .innerJoin('notifications', 'notifications.id', 'outbox.notification_id')
    .innerJoin('subjects', 'subjects.id', 'notifications.subject_id')
    .selectAll('outbox')
    .select(['subjects.id as subject_id', 'subjects.identifier']);

const toOutboxRow = (
  r: Awaited<ReturnType<ReturnType<typeof outboxWithSubject>['executeTakeFirstOrThrow']>>,
): OutboxRow => ({
  id: Number(r.id),
  notificationId: Number(r.notification_id),
  channel: r.channel,
  subjectId: Number(r.subject_id),
  subjectIdentifier: r.identifier,
  payload: r.payload,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  attempts: Number(r.attempts),
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at,
  deadAt: r.dead_at,
  supersededAt: r.superseded_at,
});

/** An outbox row is due at `now` when undelivered, alive, and never tried or its next attempt reached. */
const dueAt = (eb: ExpressionBuilder<Database, 'outbox'>, now: string) =>
  eb.and([
    eb('sent_at', 'is', null),
    eb('dead_at', 'is', null),
    eb('superseded_at', 'is', null),
    eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
  ]);
