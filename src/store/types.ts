/**
 * The store's narrow interface. The domain speaks to storage only through `Store`; each backend
 * (sqlite/, postgres/) implements it, and one shared suite (store.test.ts) runs against both.
 * The store knows nothing of capabilities: it receives already-validated, normalised rows.
 */
import type { AccessLogStore } from './access-log.ts';
import type { AuditTreeStore } from './audit-tree.ts';
import type { ConsoleStore } from './console.ts';
import type { InspectionStore } from './inspections.ts';
import type { LookupStore } from './lookup.ts';
import type { ObjectionStore } from './objections.ts';
import type { RatingStore } from './ratings.ts';
import type { RepairStore } from './repairs.ts';
import type { StaffStore } from './staff.ts';

export type Backend = 'sqlite' | 'postgres';
export type SubjectKind = 'person' | 'organization' | 'public_body';
export type RecordStatus = 'active' | 'disputed' | 'corrected' | 'repaired' | 'expired' | 'withdrawn';

export interface SubjectRow {
  id: number;
  kind: SubjectKind;
  identifier: string;
  name: string;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  legalRepId: number | null;
  createdAt: string;
}

export interface LicenceRow {
  subjectId: number;
  kind: string;
  number: string;
}

export interface SourceRow {
  id: number;
  code: string;
  kind: string;
  name: string;
  legalBasis: string;
  types: string[];
  createdAt: string;
  /** When its credential was revoked (it can no longer authenticate; its records stay); null: live. */
  revokedAt: string | null;
  /** The organization or public body the source is; null: none declared. */
  organization: { id: number; identifier: string; name: string; kind: string } | null;
  /** The services it declares a day (interaction tokens beyond a multiple are flagged); null: the policy's default. */
  dailyServiceVolume: number | null;
}

export interface NewSource {
  code: string;
  kind: string;
  name: string;
  legalBasis: string;
  types: string[];
  credentialHash: string;
  organizationId?: number | null;
  dailyServiceVolume?: number | null;
}

/** What a change to a registered source sets (a field left out is kept; null clears it). */
export interface SourceChange {
  organizationId?: number | null;
  dailyServiceVolume?: number | null;
}

export interface RecordRow {
  id: number;
  sourceId: number;
  sourceCode: string;
  sourceRecordId: string;
  type: string;
  subjectId: number;
  occurredAt: string;
  decidedAt: string | null;
  disclosedAt: string | null;
  recordedAt: string;
  amount: number | null;
  evidence: string | null;
  note: string | null;
  status: RecordStatus;
  /** How many versions the record has had (1: never revised). */
  version: number;
  /** When the current version was written (null: as first recorded). */
  revisedAt: string | null;
}

/** What a record says, the part a source's correction replaces. */
export interface RecordContent {
  type: string;
  occurredAt: string;
  decidedAt: string | null;
  disclosedAt: string | null;
  amount: number | null;
  evidence: string | null;
  note: string | null;
}

/**
 * What changed a record: a source's correction or withdrawal, an objection flagging it or decided
 * (confirmed, corrected, removed), a granted repair, archival past its display period.
 */
export const REVISION_KINDS = [
  'correct',
  'withdraw',
  'dispute',
  'objection_confirmed',
  'objection_corrected',
  'objection_removed',
  'repair',
  'archive',
] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/** One change to one record: its new status and, for a correction, its new content. */
export interface RecordRevision {
  recordId: number;
  change: RevisionKind;
  status: RecordStatus;
  content?: RecordContent;
  reason: string | null;
}

/** An earlier version of a record and the instants it was the one known: known_from ≤ t < known_until. */
export interface RecordVersionRow extends RecordContent {
  recordId: number;
  subjectId: number;
  version: number;
  status: RecordStatus;
  knownFrom: string;
  knownUntil: string;
  /** What replaced it. */
  change: RevisionKind;
  reason: string | null;
}

/** The roles by which a person is bound to an organization or public body (SPC 2017 Art. 7). */
export const BINDING_ROLES = [
  'legal_representative',
  'principal_responsible_person',
  'actual_controller',
] as const;
export type BindingRole = (typeof BINDING_ROLES)[number];

/** A person named by a record line (as a representative), after validation. */
export interface PersonRef {
  identifier: string;
  name: string;
  birthDate: string;
  sex: 'male' | 'female';
  /**
   * Why the name may not be put on file (a source's line naming a protected category in a
   * person's name): the line is refused when it would create the person, never when the person is
   * on file under that name already.
   */
  nameProblem?: { field: string; reason: string };
}

/** A subject as a record names it, after validation and normalisation. */
export interface SubjectRef {
  kind: SubjectKind;
  identifier: string;
  name: string;
  birthDate?: string | null;
  sex?: 'male' | 'female' | null;
  legalRepresentative?: PersonRef;
  /** The whole set of principal responsible persons, when the line names it. */
  principalResponsiblePersons?: PersonRef[];
  actualController?: PersonRef;
  licences?: { kind: string; number: string }[];
  /** As for PersonRef: a person's name that may not be put on file. */
  nameProblem?: { field: string; reason: string };
}

/** One binding of a person to an organization, with the days it held. */
export interface BindingRow {
  id: number;
  organizationId: number;
  personId: number;
  role: BindingRole;
  /** YYYY-MM-DD, the first day it held; null: since before the platform knew (the first on file). */
  validFrom: string | null;
  /** YYYY-MM-DD, the first day it no longer held; null: in force. */
  validUntil: string | null;
  /** The source whose line set it; null: the operator's registry import. */
  sourceId: number | null;
  recordedAt: string;
  /** The person's open objection to it, if any (migration 0024). */
  disputedBy: number | null;
  /** Whether it does not bind while that objection is pending (the due-process policy at filing). */
  suspended: boolean;
  /** When a decision on an objection removed it (null: kept); only `withWithdrawn` reads return it. */
  withdrawnAt: string | null;
  withdrawnReason: string | null;
}

/**
 * Which bindings to read: of these organizations or persons, in force on a day, of one role. By
 * default only the bindings that bind: never a withdrawn one, nor one suspended while its
 * objection is pending; a file shows the suspended ones too (`withSuspended`), and only an
 * objection's own look-up the withdrawn ones (`withWithdrawn`).
 */
export interface BindingQuery {
  organizationIds?: number[];
  personIds?: number[];
  inForceOn?: string;
  role?: BindingRole;
  withSuspended?: boolean;
  withWithdrawn?: boolean;
  /**
   * Read the bindings as they were on file at this instant (ISO; a past as-of): only those recorded
   * by then, each with the days, suspension and removal it had then (migration 0026). Undefined:
   * as they stand now.
   */
  knownAt?: string;
}

/** Who may set bindings in a write: only registration authorities and the registry import. */
export interface BindingRights {
  mayBind: boolean;
  /** Who may, in words, for the refusal a line from anyone else gets. */
  whoMay: string;
  /**
   * May bind again a person whose binding to the organization in that role was removed on an
   * objection: the operator's registry import only; a source's line naming them is refused.
   */
  rebindsWithdrawn?: boolean;
}

/** One validated record ready to be written. */
export interface RecordWrite {
  sourceRecordId: string;
  type: string;
  subject: SubjectRef;
  occurredAt: string;
  decidedAt: string | null;
  disclosedAt: string | null;
  amount: number | null;
  evidence: string | null;
  note: string | null;
}

export type WriteOutcome =
  | { status: 'stored'; recordId: number; subjectId: number }
  | { status: 'duplicate' }
  | { status: 'rejected'; field: string; reason: string };

export type SubjectOutcome =
  | { status: 'created' | 'existing'; subjectId: number }
  | { status: 'rejected'; field: string; reason: string };

export interface AuditDraft {
  actor: string;
  role: string;
  purpose: string;
  subjectId: number | null;
  action: string;
  detail: string | null;
  requestId: string | null;
}

/** Who acts, in which role, why and in which request: what the entries of one action share. */
export type AuditActor = Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>;

/** One relying-party check as the check log keeps it. */
export interface CheckLogDraft {
  checkId: string;
  /** Null when the platform does not know the subject; `subject` then keeps the identifier asked. */
  subjectId: number | null;
  subject: string;
  measure: string;
  applies: boolean;
  reasonCode: string;
}

export interface AuditRow extends AuditDraft {
  seq: number;
  /** Its leaf index in the audit log's Merkle tree; null until sequenced. */
  leafIndex: number | null;
  at: string;
  leafHash: string;
}

export interface TokenRow {
  id: number;
  role: string;
  principal: string;
  ref: string | null;
  label: string;
  scope: string[];
  createdAt: string;
  revokedAt: string | null;
  /** From this instant on, the token is refused (renewable while not revoked). */
  expiresAt: string;
}

export interface NewToken {
  tokenHash: string;
  role: string;
  /** The principal's id, or how to make it from the token's id once inserted (to make it unique). */
  principal: string | ((id: number) => string);
  ref: string | null;
  label: string;
  scope: string[];
  expiresAt: string;
}

/** A version of a policy in force from an instant (ISO) until the next period's. */
export interface PolicyPeriod {
  from: string;
  version: string;
}

export interface PolicyDoc {
  version: string;
  kind: string;
  label: string;
  content: string;
}

/** What the scoring engine needs of a record. */
export interface ScoringRecordRow {
  id: number;
  subjectId: number;
  type: string;
  occurredAt: string;
  decidedAt: string | null;
  recordedAt: string;
  amount: number | null;
  evidence: string | null;
  status: RecordStatus;
  /** Its version (a subject's few records only: `listRecordsForScoring`), for the write's guard. */
  version?: number;
}

/** What the scoring engine needs of a subject. */
export interface ScoringSubjectRow {
  id: number;
  kind: SubjectKind;
  legalRepId: number | null;
  birthDate: string | null;
}

export interface ScoreRow {
  subjectId: number;
  policyVersion: string;
  asOf: string;
  score: number;
  grade: string;
  /** JSON: sub-score per domain. */
  domains: string;
  /** JSON: at most four key factors. */
  keyFactors: string;
  computedAt: string;
}

export interface RelyingPartyRow {
  id: number;
  code: string;
  kind: string;
  name: string;
  legalBasis: string;
  measures: string[];
  /** Purpose codes its checks may name (none: every check refused until an operator sets them). */
  purposes: string[];
  /** Checks a day before it is refused with 429. */
  dailyQuota: number;
  createdAt: string;
}

export interface CheckSubjectRow {
  id: number;
  identifier: string;
  kind: SubjectKind;
  legalRepId: number | null;
  grade: string | null;
}

/** One turn of checks (`Store.checkTurn`): given the feed's changes, the checks to log, or undefined. */
export type CheckTurn = (changes: CheckChange[]) => CheckLogBatch[] | undefined;

/** Checks one actor made at one time, for the check log. */
export interface CheckLogBatch {
  actor: AuditActor;
  at: string;
  rows: CheckLogDraft[];
  /**
   * The key of the group its check IDs were made with (`newCheckKey`, `checkIdOf`): batches of one
   * actor and key are one group, kept with the key so a check is found by its ID.
   */
  checkKey?: string;
  /** The policy versions its checks were answered under (kept once a group). */
  policies?: CheckPolicies;
}

/** The versions of the policies a check was answered under (product rule 5). */
export interface CheckPolicies {
  measures: string;
  lists: string;
}

/** One check found in the check log by its ID, with its group's context. */
export interface LoggedCheck extends CheckLogDraft {
  /** The group's audit entry and the check's position in it. */
  auditSeq: number;
  pos: number;
  leafIndex: number | null;
  at: string;
  actor: string;
  role: string;
  purpose: string;
  /** Undefined for a group logged before the versions were kept. */
  policies: CheckPolicies | undefined;
}

/** What a computation has seen of the change feed since its read (`Store.saveScoresUnchanged`). */
export interface ChangeWatch {
  /** The feed's last row seen. */
  after: number;
  /**
   * The instant (ISO, the platform's clock) before the computation's read: once the feed says
   * "everything" (a write of more than 5,000 subjects, a new lists policy), a subject whose score
   * of the same policy version was written at or after it is left as stored.
   */
  since: string;
  /** The subjects other writers' rows named since the computation's read. */
  changed: Set<number>;
  /** A row naming no subject came since: any subject may have changed. */
  everything: boolean;
}

/** One change of what checks read: list entries or the score of a subject (null: of every subject). */
export interface CheckChange {
  seq: number;
  subjectId: number | null;
}

export interface ListEntryRow {
  subjectId: number;
  listCode: string;
  status: 'pending' | 'active' | 'ended';
  from: string;
  until: string | null;
  reasonCode: string;
  reasonRecords: number[];
  note: string;
  /** JSON: the whole entry as the lists engine gave it. */
  entry: string;
  policyVersion: string;
  computedAt: string;
}

/** A list entry as its audit entry names it: which list, in what state, over which days. */
export type ListEntryState = Pick<
  ListEntryRow,
  'subjectId' | 'listCode' | 'status' | 'from' | 'until' | 'reasonCode'
>;

/**
 * What goes with a recomputation's list entries in their transaction: the notifications they bring
 * (stored once each, as `addNotifications`) and the audit entries of the change (product rule 9),
 * which `audit` makes from the entries replaced.
 */
export interface ListEntriesWrite {
  at: string;
  notifications: NewNotification[];
  /**
   * A recomputation written only where it is not older than what is stored: per subject computed,
   * the fingerprints (`recordFingerprints`) of the records it was computed from, by their owner
   * (itself and the organizations it represents), and under the negative of a person's id the
   * fingerprint of its bindings (`bindingFingerprints`). In the write's transaction, after the subjects'
   * rows are locked, a subject whose owners' records changed since is left as stored — entries,
   * notifications, scores and due day — for the refresh that follows that change. Returned in
   * `skipped`.
   */
  guard?: Map<number, ReadonlyMap<number, string>>;
  /** Scores and due days written in the same transaction (and skipped alike). */
  scores?: ScoreRow[];
  due?: SubjectDue[];
  /** Told the subjects left as stored (none: an empty list). */
  skip?(subjectIds: number[]): void;
  audit(before: ListEntryState[]): AuditDraft[];
  /**
   * Notifications for the entries in force (active or pending) before that the recomputation no
   * longer finds, where nothing of their list is in force any more (the records they rested on
   * were withdrawn, corrected or removed): stored with the others.
   */
  removed?(gone: ListEntryState[]): NewNotification[];
  /**
   * Notifications for the entries in force before that the recomputation finds again (same list,
   * same start) with an earlier end (a date before theirs, or a date where theirs had none): each
   * as it now stands, with `untilBefore`. Stored with the others; one of a kind, list and day
   * already stored (shortened before that day) is told again with its present text (a row of it
   * still to go out with other text is superseded, `retold`).
   */
  shortened?(entries: ShortenedEntry[]): NewNotification[];
  /**
   * The trail lines for the undelivered notices that these changes make untrue, marked superseded
   * in the outbox in the same transaction (never sent, never requeued, kept), each told here: of
   * a removed entry's list, its warnings, took effect, lengthened and shortened notices; of a
   * shortened entry, all its lengthened notices (the shortened notice states the present end); of
   * an entry lengthened again, its shortened notices; of an event told again, its stale row.
   */
  superseded?(rows: SupersededNotice[]): AuditDraft[];
}

/** An entry found again with an earlier end than the one it replaces (`ListEntriesWrite.shortened`). */
export type ShortenedEntry = Omit<ListEntryState, 'until'> & { until: string; untilBefore: string | null };

/** An outbox row marked superseded because what it announced no longer stands. */
export interface SupersededNotice {
  outboxId: number;
  notificationId: number;
  subjectId: number;
  kind: string;
  listCode: string;
  effective: string;
  /**
   * `removed`: the listing was removed; `shortened`: the entry was shortened (the lengthening it
   * announced undone, or its end stated since); `lengthened`: the shortening it announced was undone;
   * `retold`: the same notice is queued anew with its present text.
   */
  because: 'removed' | 'shortened' | 'lengthened' | 'retold';
}

export interface NotificationRow {
  id: number;
  subjectId: number;
  kind: string;
  listCode: string | null;
  effective: string;
  message: string;
  createdAt: string;
  readAt: string | null;
  /**
   * As `listNotifications` and `markNotificationRead` read it: when its latest outbox row was
   * superseded (withdrawn before delivery, what it said no longer standing); null otherwise.
   */
  supersededAt?: string | null;
}

export type NewNotification = Omit<NotificationRow, 'id' | 'createdAt' | 'readAt' | 'supersededAt'>;

/** The first day after its last computation on which a subject changes without a new record. */
export interface SubjectDue {
  subjectId: number;
  /** YYYY-MM-DD; null: nothing due. */
  dueDay: string | null;
}

/** What the store says about its replica (store/postgres/replica.ts), shown on GET /metrics. */
export interface ReplicaStatus {
  /** Reads that may lag go to the replica now; false: they go to the primary. */
  inUse: boolean;
  /**
   * How old the replica's state may be now, in seconds (an upper bound: since the latest moment
   * through which it was seen to have replayed the primary); undefined: never seen to replay, or
   * it does not answer (or is refused) now.
   */
  lagSeconds: number | undefined;
  /** How far behind the primary the replica may be and still serve reads (REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** Times reads fell back to the primary: the replica too far behind, unreachable, or a read failed there. */
  fallbacks: number;
  /** Why reads go to the primary now, when they do. */
  reason: string | undefined;
  /**
   * Set while the replica answers but is not a standby of the primary, so is never read from:
   * `not_a_standby` (not in recovery), `other_cluster` (another system identifier), `other_timeline`
   * (on a timeline after the primary's: following another primary). A fixed word, safe to show.
   */
  refused?: 'not_a_standby' | 'other_cluster' | 'other_timeline' | undefined;
}

/**
 * The reads that may be served by a replica, at most its lag bound behind the primary (issue 20):
 * the check index's loads and change feed, a subject's file, the public lookup. Everything else —
 * writes, the check log and the audit, reads a write depends on, credentials, rate limits — stays
 * on the primary (a check turn's statement among them: store.checkTurn).
 */
export type ReplicaReads = Pick<
  Store,
  | 'listCheckSubjects'
  | 'readCheckChanges'
  | 'lastCheckChange'
  | 'listBindings'
  | 'listListEntries'
  | 'findSubjectByIdentifier'
  | 'findSubjectById'
  | 'listRecordsForSubject'
  | 'listLicences'
  | 'listNotifications'
  | 'listScores'
  | 'lookup'
>;

export interface Store {
  readonly backend: Backend;
  /**
   * Reads that may come from a replica (DATABASE_REPLICA_URL) while it is within its lag bound,
   * from the primary otherwise; the store itself when there is no replica.
   */
  readonly replica: ReplicaReads;
  /** The replica's lag and whether reads go to it; undefined without a replica. */
  replicaStatus(): ReplicaStatus | undefined;
  /** Objections and appeals (store/objections.ts). */
  readonly objections: ObjectionStore;
  /** Credit repair applications (store/repairs.ts). */
  readonly repairs: RepairStore;
  /** Who read or wrote a subject's file, paged, checks apart (store/access-log.ts). */
  readonly accessLog: AccessLogStore;
  /** The audit log's Merkle tree: sequencing, tiles, heads (store/audit-tree.ts). */
  readonly auditTree: AuditTreeStore;
  /** Citizen ratings: interactions, ratings, held windows (store/ratings.ts). */
  readonly ratings: RatingStore;
  /** Inspectors, drawn plans and inspections (store/inspections.ts). */
  readonly inspections: InspectionStore;
  /** Sources' rosters: who serves under each (store/staff.ts). */
  readonly staff: StaffStore;
  /** The public lookup: the name search over organizations and public bodies, lists in force (store/lookup.ts). */
  readonly lookup: LookupStore;
  /** The operator console's dashboard counts, aggregated in SQL (store/console.ts). */
  readonly console: ConsoleStore;
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /** Stores a policy document by content version; returns false when that version was already stored. */
  savePolicy(doc: PolicyDoc, at: string): Promise<boolean>;
  findPolicy(kind: string, version: string): Promise<PolicyDoc | undefined>;
  /**
   * Notes that `version` of a policy is in force from `at` (nothing when it already is the last); a
   * new lists policy also notes on the check feed that everything changed (see CheckService).
   */
  notePolicyInForce(kind: string, version: string, at: string): Promise<void>;
  /** The versions of a policy in force, each from its instant, oldest first. */
  listPolicyPeriods(kind: string): Promise<PolicyPeriod[]>;

  /** Inserts a source and its audit entry in one transaction; `conflict` when the code exists. */
  insertSource(source: NewSource, at: string, audit: AuditDraft): Promise<SourceRow>;
  findSourceByCode(code: string): Promise<SourceRow | undefined>;
  findSourceByCredentialHash(hash: string): Promise<SourceRow | undefined>;
  listSources(): Promise<SourceRow[]>;
  /** Records written on or after `since` (an ISO instant), per source id (sources without any left out). */
  countRecordsPerSource(since: string): Promise<Map<number, number>>;
  /**
   * Changes a source's organization or declared volume, audited in the same transaction; the
   * source as it now stands, or undefined when there is no such source.
   */
  updateSource(
    code: string,
    change: SourceChange,
    at: string,
    audit: AuditDraft[],
  ): Promise<SourceRow | undefined>;

  insertToken(token: NewToken, at: string, audit: AuditDraft): Promise<TokenRow>;
  findTokenByHash(hash: string): Promise<TokenRow | undefined>;
  /** Every API token ever issued, newest first (hashes are never returned). */
  listTokens(): Promise<TokenRow[]>;
  /**
   * Marks a token revoked (audited in the same transaction); the row as it now stands, or
   * undefined when there is no such token. A token already revoked keeps its first revocation time.
   */
  revokeToken(id: number, at: string, audit: AuditDraft): Promise<TokenRow | undefined>;
  /**
   * Sets a live token's expiry (audited in the same transaction); the row as it now stands, or
   * undefined when there is no such token. A revoked token is left as it is (the caller refuses).
   */
  renewToken(id: number, expiresAt: string, at: string, audit: AuditDraft): Promise<TokenRow | undefined>;
  /**
   * Replaces a source's credential hash and clears a revocation (audited in the same transaction);
   * the source as it now stands, or undefined when there is no such source.
   */
  rotateSourceCredential(
    code: string,
    credentialHash: string,
    at: string,
    audit: AuditDraft,
  ): Promise<SourceRow | undefined>;
  /**
   * Marks a source's credential revoked (audited in the same transaction); a second revocation
   * keeps the first time and writes nothing. Undefined when there is no such source.
   */
  revokeSourceCredential(code: string, at: string, audit: AuditDraft): Promise<SourceRow | undefined>;
  /**
   * How many times credentials were revoked, rotated or renewed in this store, as this process
   * can tell *now*, without waiting: SQLite reads it (one indexed row); PostgreSQL counts the
   * notifications its listening connection received. Undefined when it cannot tell (the listener
   * is not connected): then nothing resolved earlier may be trusted.
   */
  credentialsEpoch(): number | undefined;

  findSubjectByIdentifier(identifier: string): Promise<SubjectRow | undefined>;
  findSubjectById(id: number): Promise<SubjectRow | undefined>;
  /** The subjects with these identifiers (those that exist), in one query per 500. */
  listSubjectsByIdentifiers(identifiers: string[]): Promise<SubjectRow[]>;
  listLicences(subjectId: number): Promise<LicenceRow[]>;
  countSubjects(): Promise<Record<SubjectKind, number>>;

  /**
   * Writes a batch of records from one source in one transaction: resolves or creates each
   * subject by identifier, skips (source, source_record_id) pairs already stored, and appends one
   * audit entry per stored record. Returns one outcome per input, in order. All or nothing.
   */
  writeRecordBatch(
    sourceId: number,
    records: RecordWrite[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    rights?: BindingRights,
    /**
     * The platform's calendar day of `at` (in its TIME_ZONE): bindings a line changes start and
     * end on it. Default: the UTC day of `at`.
     */
    day?: string,
  ): Promise<WriteOutcome[]>;
  /**
   * Registers subjects known from a registry (no record yet), in one transaction: creates the
   * missing ones (legal representatives first), links representatives, adds licences. Returns one
   * outcome per input: created, existing, or rejected when the identifier belongs to another kind.
   */
  registerSubjects(
    subjects: SubjectRef[],
    at: string,
    audit: Omit<AuditDraft, 'subjectId' | 'action' | 'detail'>,
    /** As for `writeRecordBatch`. */
    day?: string,
  ): Promise<SubjectOutcome[]>;
  /**
   * Bindings of these organizations or persons, every period kept (oldest first per
   * organization and role); `inForceOn` (YYYY-MM-DD) keeps only those holding on that day.
   */
  listBindings(by: BindingQuery): Promise<BindingRow[]>;
  listRecordsForSubject(subjectId: number): Promise<RecordRow[]>;
  findRecordById(id: number): Promise<RecordRow | undefined>;
  /** A source's record by the id the source gave it. */
  findRecordBySourceKey(sourceId: number, sourceRecordId: string): Promise<RecordRow | undefined>;
  /** A source's records by the ids the source gave them (those that exist), in one query per 500. */
  findRecordsBySourceKeys(sourceId: number, sourceRecordIds: string[]): Promise<RecordRow[]>;
  /**
   * Changes records in one transaction: each one's current version moves to its history (known
   * until `at`), the new status (and content, for a correction) becomes current, one audit entry
   * per record (`record.<change>`) and a change-feed entry for its subject, so the next check sees
   * it. Returns the records as they now stand, in order.
   */
  reviseRecords(revisions: RecordRevision[], at: string, audit: AuditActor): Promise<RecordRow[]>;
  /**
   * The earlier versions of these records, oldest first per record. `subjectId`, when the records
   * are all one subject's, lets the read name that subject (one partition on PostgreSQL).
   */
  listRecordVersions(recordIds: number[], subjectId?: number): Promise<RecordVersionRow[]>;
  /**
   * Earlier versions still known after `knownAt` (an ISO instant): what a report with knowledge up
   * to then must use instead of the current version. Of these subjects only, when given.
   */
  listVersionsKnownAfter(knownAt: string, subjectIds?: number[]): Promise<RecordVersionRow[]>;
  countRecords(): Promise<number>;

  /** Every record in id order, a chunk at a time, as the scoring engine needs it. */
  scanRecordsForScoring(
    chunkSize: number,
    onChunk: (rows: ScoringRecordRow[]) => void | Promise<void>,
  ): Promise<void>;
  /** The records of some subjects, as the scoring engine needs them. */
  listRecordsForScoring(subjectIds: number[]): Promise<ScoringRecordRow[]>;
  /** Subjects for scoring: all, or those with these ids, or those these persons legally represent. */
  listSubjectsForScoring(filter?: { ids?: number[]; legalRepIds?: number[] }): Promise<ScoringSubjectRow[]>;
  /** Stores scores; a row for the same subject, policy version and as-of date is replaced. */
  saveScores(rows: ScoreRow[]): Promise<void>;
  /**
   * `saveScores` for a computation from what was on file when the change feed stood at
   * `watch.after` (`lastCheckChange`, taken before the read): in one transaction holding the feed's
   * turn, the rows of subjects the feed named since (another write of their score, entries or
   * bindings, or a revision of their records) are left as stored; returns those subjects.
   * `watch` is moved past the rows read and this write, for the next chunk of the same computation.
   */
  saveScoresUnchanged(rows: ScoreRow[], watch: ChangeWatch): Promise<number[]>;
  /** Each person's bindings as a fingerprint (the guard of a refresh's write: `ListEntriesWrite.guard`). */
  bindingFingerprints(personIds: number[]): Promise<Map<number, string>>;
  /** When each subject's scores were last computed (any policy version); absent: never scored. */
  lastScoredAt(subjectIds: number[]): Promise<Map<number, string>>;
  /** A subject's scores, newest as-of first, optionally for one policy version. */
  listScores(subjectId: number, policyVersion?: string): Promise<ScoreRow[]>;

  /** Inserts a relying party with its granted measures and its audit entry; `conflict` when the code exists. */
  insertRelyingParty(
    rp: Omit<RelyingPartyRow, 'id' | 'createdAt'>,
    at: string,
    audit: AuditDraft,
  ): Promise<RelyingPartyRow>;
  findRelyingPartyByCode(code: string): Promise<RelyingPartyRow | undefined>;
  listRelyingParties(): Promise<RelyingPartyRow[]>;
  /** Replaces a relying party's purposes, with its audit entry; undefined when there is no such party. */
  setRelyingPartyPurposes(
    code: string,
    purposes: readonly string[],
    at: string,
    audit: AuditDraft,
  ): Promise<RelyingPartyRow | undefined>;
  /** Checks logged since an instant (ISO), per actor: seeds the daily quotas after a restart. */
  countChecksSince(since: string): Promise<Map<string, number>>;

  /**
   * Replaces the list entries of these subjects with the ones given and, with `write`, stores its
   * notifications and appends its audit entries, in one transaction; returns the new notifications.
   */
  replaceListEntries(
    subjectIds: number[],
    entries: ListEntryRow[],
    write?: ListEntriesWrite,
  ): Promise<NotificationRow[]>;
  /** List entries of some subjects (all of them when `subjectIds` is undefined), by subject. */
  listListEntries(subjectIds?: number[]): Promise<ListEntryRow[]>;
  /**
   * What a check needs of some subjects: by id, by identifier, or the
   * next page of all subjects in id order. `grade` is the latest kept grade (null: never scored).
   */
  listCheckSubjects(
    by: { ids: number[] } | { identifiers: string[] } | { afterId: number; limit: number },
  ): Promise<CheckSubjectRow[]>;
  /** The change feed after `afterSeq`, oldest first, at most `limit` rows. */
  readCheckChanges(afterSeq: number, limit: number): Promise<CheckChange[]>;
  /** The last change's sequence number (0 when none). */
  lastCheckChange(): Promise<number>;

  /**
   * Stores notifications not stored before (same subject, kind, list and effective date) and
   * queues each new one in the outbox; returns the new ones.
   */
  addNotifications(rows: NewNotification[], at: string): Promise<NotificationRow[]>;
  listNotifications(subjectId: number): Promise<NotificationRow[]>;
  /**
   * Marks one of a subject's notifications read at `at` (a notification read before keeps its first
   * time), with its audit entry, in one transaction; undefined when the subject has no such
   * notification.
   */
  markNotificationRead(
    id: number,
    subjectId: number,
    at: string,
    audit: AuditDraft,
  ): Promise<NotificationRow | undefined>;

  /** Sets each subject's due day (null: nothing due). */
  setDueDays(rows: SubjectDue[]): Promise<void>;
  /** Moves due days earlier to the days given, never later (a full rescoring's windows). */
  lowerDueDays(rows: { subjectId: number; dueDay: string }[]): Promise<void>;
  /** The due days of these subjects (those that have one). */
  listDueDays(subjectIds: number[]): Promise<SubjectDue[]>;
  /** Up to `limit` subjects due on or before `through` with ids above `afterId`, in id order. */
  listDueSubjects(through: string, afterId: number, limit: number): Promise<number[]>;
  countDueSubjects(through: string): Promise<number>;
  /** Each subject's score and grade as of its latest day under this policy version (those scored). */
  listLatestScores(
    subjectIds: number[],
    policyVersion: string,
  ): Promise<{ subjectId: number; asOf: string; score: number; grade: string }[]>;

  appendAudit(entries: AuditDraft[], at: string): Promise<void>;
  /**
   * One turn of checks in one transaction that begins by reading the change feed after `afterSeq`
   * (at most `limit` changes): `turn`, given those changes, returns the checks to log, or undefined
   * to write nothing (to catch up first); resolves with whether it logged them. The checks of one
   * actor (principal, role, purpose) get one audit entry that commits to their content. On SQLite
   * the transaction holds every other writer off from that read to its commit, so the answers
   * logged reflect every change committed before them; on PostgreSQL the turn is one statement, a
   * change committed while it runs is seen by the next turn, and `turn` may be called first with no
   * changes and again with the changes the statement found: it must have no effect beyond its answers.
   */
  checkTurn(afterSeq: number, limit: number, turn: CheckTurn): Promise<boolean>;
  /**
   * Indexes the check log's tail by subject, at most `limit` checks (default: all); returns how
   * many it covered. Runs in the background of a store that logs checks.
   */
  indexCheckLog(limit?: number): Promise<number>;
  /** The checks one audit entry committed to, in order (to verify it). */
  listCheckLog(auditSeq: number): Promise<CheckLogDraft[]>;
  /** A logged check by its ID (one indexed look-up of its group by key); undefined when none. */
  findCheck(checkId: string): Promise<LoggedCheck | undefined>;
  listAuditForSubject(subjectId: number, limit: number): Promise<AuditRow[]>;
  countAudit(): Promise<number>;

  /**
   * Claims up to `limit` outbox rows due at `now` — not delivered, not dead, never tried or their
   * next attempt reached — oldest first, and leases them until `leaseUntil` (their next attempt
   * moves there) so that a concurrent pass, on this node or another, skips them. A row whose
   * sender dies mid-delivery becomes due again when the lease ends.
   */
  claimDueOutbox(limit: number, now: string, leaseUntil: string): Promise<OutboxRow[]>;
  /**
   * Moves the lease of these claimed rows, still undelivered, to `until` (a pass that learned,
   * once it had them, how long it can take at most).
   */
  leaseOutbox(ids: number[], until: string): Promise<void>;
  /**
   * Marks these rows delivered at `at` and appends `audit` in the same transaction, so a row kept
   * as sent always has its trail line; a row already delivered keeps its first time.
   */
  markOutboxSent(ids: number[], at: string, audit?: AuditDraft[]): Promise<void>;
  /**
   * Records one failed attempt per row: attempts + 1, the error, and when to try again — or, when
   * `nextAttemptAt` is null, gives the row up as dead at `at` (kept for an operator, never deleted).
   */
  markOutboxFailed(failures: OutboxFailure[], at: string): Promise<void>;
  /** Outbox rows by delivery state. */
  countOutboxByState(): Promise<OutboxCounts>;
  /** Rows still to deliver (queued, or failed and waiting): reads only the undelivered rows. */
  countOutboxPending(): Promise<number>;
  /** Whether a claimed row is still to be sent: not sent, not superseded since it was claimed. */
  outboxStillToSend(id: number): Promise<boolean>;
  /** Failed rows waiting to retry, or dead ones, newest first: what an operator looks into. */
  listOutbox(state: 'failed' | 'dead', limit: number): Promise<OutboxRow[]>;
  /**
   * Puts dead rows (these ids, or every dead row when `ids` is 'all') back in the queue, due at
   * `at` with a fresh round of attempts; the last error stays for reference. Rows not dead are
   * left alone. Audited in the same transaction when any row moved; returns the ids requeued.
   */
  requeueDeadOutbox(ids: number[] | 'all', at: string, audit: AuditDraft): Promise<number[]>;

  /**
   * Adds hits to the request counters every API process on this store shares (one upsert per key
   * and window; keys are hashes or addresses, never a credential) and returns each total after.
   */
  addRateLimitHits(hits: readonly RateLimitHits[]): Promise<RateLimitHits[]>;
  /** Forgets the counters of windows that started before `before` (epoch ms); returns how many. */
  pruneRateLimits(before: number): Promise<number>;
}

/** A rate-limit key's requests in the fixed window starting at `windowStart` (epoch ms). */
export interface RateLimitHits {
  key: string;
  windowStart: number;
  hits: number;
}

/** One outbox row with the identifier of the subject its notification is for. */
export interface OutboxRow {
  id: number;
  notificationId: number;
  channel: string;
  subjectId: number;
  subjectIdentifier: string;
  /** JSON: the notification as it was queued. */
  payload: string;
  createdAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  deadAt: string | null;
  /** When a later notification made it untrue before it went out: never sent (migration 0030). */
  supersededAt: string | null;
}

export interface OutboxFailure {
  id: number;
  error: string;
  /** When to try again; null gives the row up as dead. */
  nextAttemptAt: string | null;
}

export interface OutboxCounts {
  /** Not yet tried. */
  queued: number;
  sent: number;
  /** Tried and failed, waiting for the next attempt. */
  failed: number;
  /** Given up after the last allowed attempt. */
  dead: number;
  /** Never to be sent: what it announced no longer stands (a listing removed before it went out). */
  superseded: number;
}
