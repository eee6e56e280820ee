import { type Kysely, Migrator } from 'kysely';
import type { LookupStore } from '../lookup.ts';
import { migrationProvider } from '../migrations/index.ts';
import type { Database } from '../schema.ts';
import type {
  AuditActor,
  AuditDraft,
  Backend,
  BindingQuery,
  BindingRights,
  ChangeWatch,
  CheckTurn,
  ListEntriesWrite,
  ListEntryRow,
  NewNotification,
  NewSource,
  NewToken,
  OutboxFailure,
  PolicyDoc,
  RateLimitHits,
  RecordRevision,
  RecordWrite,
  RelyingPartyRow,
  ReplicaReads,
  ReplicaStatus,
  ScoreRow,
  ScoringRecordRow,
  SourceChange,
  Store,
  SubjectDue,
  SubjectOutcome,
  SubjectRef,
  WriteOutcome,
} from '../types.ts';
import { accessLogStore } from './access-log.ts';
import { auditQueries } from './audit.ts';
import { type AuditBatch, groupCheckLog } from './audit-groups.ts';
import { auditTreeStore } from './audit-tree.ts';
import { bindingQueries } from './bindings.ts';
import { checkQueries, noteEveryCheckChanged } from './checks.ts';
import { consoleStore } from './console.ts';
import { inspectionStore } from './inspections.ts';
import { listQueries } from './lists.ts';
import { lookupStore } from './lookup.ts';
import { maintainQueries } from './maintain.ts';
import { objectionStore } from './objections.ts';
import { queries } from './queries.ts';
import { rateLimitQueries } from './rate-limits.ts';
import { ratingStore } from './ratings.ts';
import { recordQueries } from './records.ts';
import { relyingPartyQueries } from './relying-parties.ts';
import { repairStore } from './repairs.ts';
import { scoringQueries } from './scoring.ts';
import { staffStore } from './staff.ts';
import { subjectQueries } from './subjects.ts';
import { trailQueries } from './trail.ts';

const CHECK_INDEX_DELAY_MS = 200;
const CHECK_INDEX_SLICE = 2000;
const CHECK_INDEX_NEXT_SLICE_MS = 5;

/** Where the reads that may lag run: a replica while it is within its bound (store/postgres/replica.ts). */
export interface ReadRouter {
  readonly replica: Kysely<Database>;
  /** Runs the read on the replica while it is usable, else (or when it fails there) on the primary. */
  read<T>(q: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  status(): ReplicaStatus;
}

/** Everything but the bulk write, shared by both backends through Kysely. */
export abstract class KyselyStore implements Store {
  abstract readonly backend: Backend;
  readonly objections: ReturnType<typeof objectionStore>;
  readonly repairs: ReturnType<typeof repairStore>;
  readonly accessLog: ReturnType<typeof accessLogStore>;
  readonly auditTree: ReturnType<typeof auditTreeStore>;
  readonly ratings: ReturnType<typeof ratingStore>;
  readonly inspections: ReturnType<typeof inspectionStore>;
  readonly staff: ReturnType<typeof staffStore>;
  readonly lookup: ReturnType<typeof lookupStore>;
  readonly console: ReturnType<typeof consoleStore>;
  readonly replica: ReplicaReads;
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly router?: ReadRouter,
  ) {
    this.objections = objectionStore(db);
    this.repairs = repairStore(db);
    this.ratings = ratingStore(db);
    this.inspections = inspectionStore(db);
    this.staff = staffStore(db);
    this.console = consoleStore(db);
    // The backend is a subclass field, set after this constructor: read it when a query runs.
    this.accessLog = accessLogStore(db, () => this.backend);
    this.auditTree = auditTreeStore(db, () => this.backend);
    this.lookup = lookupStore(db, () => this.backend);
    this.replica = router ? this.replicaReads(router) : this;
  }

  replicaStatus(): ReplicaStatus | undefined {
    return this.router?.status();
  }

  /** The reads of `ReplicaReads`, each run where the router says. */
  private replicaReads(router: ReadRouter): ReplicaReads {
    const r = router.read.bind(router);
    const onReplica = lookupStore(router.replica, () => this.backend);
    const lookup = <T>(q: (l: LookupStore) => Promise<T>) =>
      r((db) => q(db === router.replica ? onReplica : this.lookup));
    return {
      listCheckSubjects: (by) => r((db) => checkQueries.listCheckSubjects(db, by)),
      readCheckChanges: (afterSeq, limit) => r((db) => checkQueries.readCheckChanges(db, afterSeq, limit)),
      lastCheckChange: () => r((db) => checkQueries.lastCheckChange(db)),
      listBindings: (by) => r((db) => bindingQueries.listBindings(db, by)),
      listListEntries: (ids) => r((db) => listQueries.listListEntries(db, ids)),
      findSubjectByIdentifier: (id) => r((db) => subjectQueries.findSubject(db, 'identifier', id)),
      findSubjectById: (id) => r((db) => subjectQueries.findSubject(db, 'id', id)),
      listRecordsForSubject: (id) => r((db) => subjectQueries.listRecordsForSubject(db, id)),
      listLicences: (id) => r((db) => subjectQueries.listLicences(db, id)),
      listNotifications: (id) => r((db) => listQueries.listNotifications(db, id)),
      listScores: (id, version) => r((db) => scoringQueries.listScores(db, id, version)),
      lookup: {
        searchNames: (q) => lookup((l) => l.searchNames(q)),
        listEntriesInForce: (q) => lookup((l) => l.listEntriesInForce(q)),
        countEntriesInForce: (q) => lookup((l) => l.countEntriesInForce(q)),
        recordAuthorities: (ids) => lookup((l) => l.recordAuthorities(ids)),
      },
    };
  }

  async migrate() {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.backend) });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      // The database's own error code (ECONNREFUSED, …) stays on it: the ways in map it once
      // (an unreachable database is "unavailable", exit 6), as they map any other.
      const code = (error as NodeJS.ErrnoException).code;
      throw Object.assign(
        new Error(
          failed
            ? `database migration ${failed} failed: ${(error as Error).message ?? error}`
            : `cannot migrate the database: ${(error as Error).message ?? error}`,
          { cause: error },
        ),
        code === undefined ? {} : { code },
      );
    }
  }

  async close() {
    await this.quiesce();
    await this.db.destroy();
  }

  /** Lets the background work end: commits what is queued for the audit and stops indexing the check log. */
  protected async quiesce() {
    while (this.turnsInFlight.size > 0) await Promise.allSettled([...this.turnsInFlight]);
    while (this.auditWriting || this.auditQueue.length > 0) {
      await this.flushAudit();
      await this.auditWriting;
    }
    clearTimeout(this.checkIndexTimer);
    await this.checkIndexing;
  }

  getMeta(key: string) {
    return queries.getMeta(this.db, key);
  }
  setMeta(key: string, value: string) {
    return queries.setMeta(this.db, key, value);
  }
  savePolicy(doc: PolicyDoc, at: string) {
    return queries.savePolicy(this.db, doc, at);
  }
  notePolicyInForce(kind: string, version: string, at: string) {
    // A new lists policy in force: every process's check index starts afresh at its next turn and
    // reads the periods again, so it logs the version the entries are kept under (CheckService).
    return queries.notePolicyInForce(
      this.db,
      kind,
      version,
      at,
      kind === 'lists' ? (tx) => noteEveryCheckChanged(tx) : undefined,
    );
  }
  listPolicyPeriods(kind: string) {
    return queries.listPolicyPeriods(this.db, kind);
  }
  findPolicy(kind: string, version: string) {
    return queries.findPolicy(this.db, kind, version);
  }
  insertSource(source: NewSource, at: string, audit: AuditDraft) {
    return queries.insertSource(this.db, source, at, audit);
  }
  findSourceByCode(code: string) {
    return queries.findSource(this.db, 'code', code);
  }
  findSourceByCredentialHash(hash: string) {
    return queries.findSource(this.db, 'credential_hash', hash);
  }
  listSources() {
    return queries.listSources(this.db);
  }
  updateSource(code: string, change: SourceChange, at: string, audit: AuditDraft[]) {
    return queries.updateSource(this.db, code, change, at, audit);
  }
  countRecordsPerSource(since: string) {
    return queries.countRecordsPerSource(this.db, since);
  }
  insertToken(token: NewToken, at: string, audit: AuditDraft) {
    return queries.insertToken(this.db, token, at, audit);
  }
  findTokenByHash(hash: string) {
    return queries.findTokenByHash(this.db, hash);
  }
  listTokens() {
    return queries.listTokens(this.db);
  }
  revokeToken(id: number, at: string, audit: AuditDraft) {
    return queries.revokeToken(this.db, this.backend, id, at, audit);
  }
  renewToken(id: number, expiresAt: string, at: string, audit: AuditDraft) {
    return queries.renewToken(this.db, this.backend, id, expiresAt, at, audit);
  }
  rotateSourceCredential(code: string, credentialHash: string, at: string, audit: AuditDraft) {
    return queries.rotateSourceCredential(this.db, this.backend, code, credentialHash, at, audit);
  }
  revokeSourceCredential(code: string, at: string, audit: AuditDraft) {
    return queries.revokeSourceCredential(this.db, this.backend, code, at, audit);
  }
  abstract credentialsEpoch(): number | undefined;
  findSubjectByIdentifier(identifier: string) {
    return subjectQueries.findSubject(this.db, 'identifier', identifier);
  }
  findSubjectById(id: number) {
    return subjectQueries.findSubject(this.db, 'id', id);
  }
  listSubjectsByIdentifiers(identifiers: string[]) {
    return subjectQueries.listSubjectsByIdentifiers(this.db, identifiers);
  }
  listLicences(subjectId: number) {
    return subjectQueries.listLicences(this.db, subjectId);
  }
  countSubjects() {
    return subjectQueries.countSubjects(this.db);
  }
  abstract writeRecordBatch(
    sourceId: number,
    records: RecordWrite[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    rights?: BindingRights,
    day?: string,
  ): Promise<WriteOutcome[]>;
  abstract registerSubjects(
    subjects: SubjectRef[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    day?: string,
  ): Promise<SubjectOutcome[]>;
  listBindings(by: BindingQuery) {
    return bindingQueries.listBindings(this.db, by);
  }
  findRecordById(id: number) {
    return recordQueries.findRecordById(this.db, id);
  }
  findRecordBySourceKey(sourceId: number, sourceRecordId: string) {
    return recordQueries.findRecordBySourceKey(this.db, sourceId, sourceRecordId);
  }
  findRecordsBySourceKeys(sourceId: number, sourceRecordIds: string[]) {
    return recordQueries.findRecordsBySourceKeys(this.db, sourceId, sourceRecordIds);
  }
  reviseRecords(revisions: RecordRevision[], at: string, audit: AuditActor) {
    return recordQueries.reviseRecords(this.db, revisions, at, audit);
  }
  listRecordVersions(recordIds: number[], subjectId?: number) {
    return recordQueries.listRecordVersions(this.db, recordIds, subjectId);
  }
  listVersionsKnownAfter(knownAt: string, subjectIds?: number[]) {
    return recordQueries.listVersionsKnownAfter(this.db, knownAt, subjectIds);
  }
  listRecordsForSubject(subjectId: number) {
    return subjectQueries.listRecordsForSubject(this.db, subjectId);
  }
  countRecords() {
    return queries.count(this.db, 'records');
  }
  scanRecordsForScoring(chunkSize: number, onChunk: (rows: ScoringRecordRow[]) => void | Promise<void>) {
    return scoringQueries.scanRecordsForScoring(this.db, chunkSize, onChunk);
  }
  listRecordsForScoring(subjectIds: number[]) {
    return scoringQueries.listRecordsForScoring(this.db, subjectIds);
  }
  listSubjectsForScoring(filter?: { ids?: number[]; legalRepIds?: number[] }) {
    return scoringQueries.listSubjectsForScoring(this.db, filter);
  }
  bindingFingerprints(personIds: number[]) {
    return scoringQueries.bindingFingerprints(this.db, personIds);
  }
  lastScoredAt(subjectIds: number[]) {
    return scoringQueries.lastScoredAt(this.db, subjectIds);
  }
  saveScores(rows: ScoreRow[]) {
    return scoringQueries.saveScores(this.db, rows);
  }
  saveScoresUnchanged(rows: ScoreRow[], watch: ChangeWatch) {
    return scoringQueries.saveScoresUnchanged(this.db, rows, watch);
  }
  listScores(subjectId: number, policyVersion?: string) {
    return scoringQueries.listScores(this.db, subjectId, policyVersion);
  }
  insertRelyingParty(rp: Omit<RelyingPartyRow, 'id' | 'createdAt'>, at: string, audit: AuditDraft) {
    return relyingPartyQueries.insertRelyingParty(this.db, rp, at, audit);
  }
  async findRelyingPartyByCode(code: string) {
    return (await relyingPartyQueries.listRelyingParties(this.db, code))[0];
  }
  listRelyingParties() {
    return relyingPartyQueries.listRelyingParties(this.db);
  }
  setRelyingPartyPurposes(code: string, purposes: readonly string[], at: string, audit: AuditDraft) {
    return relyingPartyQueries.setRelyingPartyPurposes(this.db, code, purposes, at, audit);
  }
  countChecksSince(since: string) {
    return relyingPartyQueries.countChecksSince(this.db, since);
  }
  replaceListEntries(subjectIds: number[], entries: ListEntryRow[], write?: ListEntriesWrite) {
    return listQueries.replaceListEntries(this.db, subjectIds, entries, write);
  }
  listListEntries(subjectIds?: number[]) {
    return listQueries.listListEntries(this.db, subjectIds);
  }
  listCheckSubjects(by: Parameters<Store['listCheckSubjects']>[0]) {
    return checkQueries.listCheckSubjects(this.db, by);
  }
  readCheckChanges(afterSeq: number, limit: number) {
    return checkQueries.readCheckChanges(this.db, afterSeq, limit);
  }
  lastCheckChange() {
    return checkQueries.lastCheckChange(this.db);
  }
  addNotifications(rows: NewNotification[], at: string) {
    return listQueries.addNotifications(this.db, rows, at);
  }
  listNotifications(subjectId: number) {
    return listQueries.listNotifications(this.db, subjectId);
  }
  markNotificationRead(id: number, subjectId: number, at: string, audit: AuditDraft) {
    return listQueries.markNotificationRead(this.db, id, subjectId, at, audit);
  }
  setDueDays(rows: SubjectDue[]) {
    return maintainQueries.setDueDays(this.db, rows);
  }
  lowerDueDays(rows: { subjectId: number; dueDay: string }[]) {
    return maintainQueries.lowerDueDays(this.db, rows);
  }
  listDueDays(subjectIds: number[]) {
    return maintainQueries.listDueDays(this.db, subjectIds);
  }
  listDueSubjects(through: string, afterId: number, limit: number) {
    return maintainQueries.listDueSubjects(this.db, through, afterId, limit);
  }
  countDueSubjects(through: string) {
    return maintainQueries.countDueSubjects(this.db, through);
  }
  listLatestScores(subjectIds: number[], policyVersion: string) {
    return maintainQueries.listLatestScores(this.db, subjectIds, policyVersion);
  }
  /**
   * Group commit: audit entries appended while a flush is pending are written together in one
   * transaction, and each caller's promise settles only once its entries are committed — so a
   * read or a check is never answered before it is audited, and concurrent requests share commits.
   */
  appendAudit(entries: AuditDraft[], at: string): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.queueAudit({ entries, at });
  }

  /** Group commit: entries queued in one turn of the event loop are committed together. */
  private queueAudit(b: AuditBatch): Promise<void> {
    return new Promise((resolve, reject) => {
      this.auditQueue.push({ batch: b, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => void this.flushAudit());
    });
  }

  private auditQueue: { batch: AuditBatch; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;
  /** The write in flight, if any. */
  private auditWriting: Promise<void> | undefined;

  /**
   * Commits everything queued, one write at a time: what is queued while a write is in flight goes
   * in the next one, as soon as it ends, so under load the groups grow instead of the commits
   * multiplying. A flush that finds nothing left, or a write in flight, does nothing.
   */
  private async flushAudit(): Promise<void> {
    this.flushScheduled = false;
    if (this.auditWriting || this.auditQueue.length === 0) return;
    const queued = this.auditQueue.splice(0);
    const write = this.writeAudit(queued.map((q) => q.batch));
    this.auditWriting = write.then(
      () => undefined,
      () => undefined,
    );
    try {
      await write;
      for (const q of queued) q.resolve();
    } catch (e) {
      for (const q of queued) q.reject(e);
    } finally {
      this.auditWriting = undefined;
    }
    if (this.auditQueue.length > 0) void this.flushAudit();
  }

  async checkTurn(afterSeq: number, limit: number, turn: CheckTurn): Promise<boolean> {
    const write = this.writeCheckTurn(afterSeq, limit, turn);
    // Closing the store waits for a turn in flight.
    this.turnsInFlight.add(write);
    const done = () => this.turnsInFlight.delete(write);
    write.then(done, done);
    const logged = await write;
    if (logged) this.scheduleCheckIndex();
    return logged;
  }
  private readonly turnsInFlight = new Set<Promise<unknown>>();

  /**
   * A turn's transaction; a backend may do it faster. Here (PostgreSQL) the feed's writers are not
   * held off: a check would wait for every scoring transaction in flight, and replicas cannot hold
   * them, so a change committed between this read and the commit is seen by the next turn.
   */
  protected writeCheckTurn(afterSeq: number, limit: number, turn: CheckTurn): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const batches = turn(await checkQueries.readCheckChanges(tx, afterSeq, limit));
      if (!batches) return false;
      for (const g of groupCheckLog(batches)) await checkQueries.insertCheckGroup(tx, g);
      return true;
    });
  }

  /** Writes group-committed audit entries in one transaction; a backend may do it faster. */
  protected async writeAudit(batches: readonly AuditBatch[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const b of batches) if (b.entries.length > 0) await auditQueries.appendAudit(tx, b.entries, b.at);
    });
  }

  /**
   * The check log is indexed by subject in bulk behind the checks, in slices short enough that the
   * checks waiting for the connection meanwhile are not held up for long.
   */
  private checkIndexTimer: NodeJS.Timeout | undefined;
  private checkIndexing: Promise<unknown> = Promise.resolve();
  private scheduleCheckIndex(delay = CHECK_INDEX_DELAY_MS) {
    if (this.checkIndexTimer) return;
    this.checkIndexTimer = setTimeout(() => {
      this.checkIndexing = this.checkIndexing
        .then(() => this.indexCheckLog(CHECK_INDEX_SLICE))
        .then(
          (n) => {
            this.checkIndexTimer = undefined;
            if (n >= CHECK_INDEX_SLICE) this.scheduleCheckIndex(CHECK_INDEX_NEXT_SLICE_MS);
          },
          () => {
            this.checkIndexTimer = undefined;
          },
        );
    }, delay);
    this.checkIndexTimer.unref();
  }

  indexCheckLog(limit = Number.MAX_SAFE_INTEGER) {
    return checkQueries.indexCheckLog(this.db, limit);
  }
  listCheckLog(auditSeq: number) {
    return checkQueries.listCheckLog(this.db, auditSeq);
  }
  findCheck(checkId: string) {
    return checkQueries.findCheck(this.db, checkId);
  }

  listAuditForSubject(subjectId: number, limit: number) {
    return trailQueries.listAuditForSubject(this.db, this.backend, subjectId, limit);
  }
  countAudit() {
    return queries.count(this.db, 'audit_log');
  }

  claimDueOutbox(limit: number, now: string, leaseUntil: string) {
    return queries.claimDueOutbox(this.db, limit, now, leaseUntil, this.backend);
  }
  leaseOutbox(ids: number[], until: string) {
    return queries.leaseOutbox(this.db, ids, until);
  }
  markOutboxSent(ids: number[], at: string, audit: AuditDraft[] = []) {
    return queries.markOutboxSent(this.db, ids, at, audit);
  }
  markOutboxFailed(failures: OutboxFailure[], at: string) {
    return queries.markOutboxFailed(this.db, failures, at);
  }
  requeueDeadOutbox(ids: number[] | 'all', at: string, audit: AuditDraft) {
    return queries.requeueDeadOutbox(this.db, ids, at, audit);
  }
  countOutboxByState() {
    return queries.countOutboxByState(this.db);
  }
  outboxStillToSend(id: number) {
    return queries.outboxStillToSend(this.db, id);
  }
  countOutboxPending() {
    return queries.countOutboxPending(this.db);
  }
  listOutbox(state: 'failed' | 'dead', limit: number) {
    return queries.listOutbox(this.db, state, limit);
  }

  addRateLimitHits(hits: readonly RateLimitHits[]) {
    return rateLimitQueries.addRateLimitHits(this.db, hits);
  }
  pruneRateLimits(before: number) {
    return rateLimitQueries.pruneRateLimits(this.db, before);
  }
}
