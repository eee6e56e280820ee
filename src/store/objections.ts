/**
 * The store's objections: the rows and the queries the objections capability needs (implemented for both
 * backends in common/objections.ts). Reached as `store.objections`.
 *
 * (The shapes here are written out rather than imported from types.ts, which imports this file: the
 * layer check refuses a cycle even between type-only imports.)
 */

/** Where an objection stands: pending → decided → (appealed → appeal_decided). */
export type ObjectionStatus = 'pending' | 'decided' | 'appealed' | 'appeal_decided';

/**
 * What an operator decides: the record (or the binding) stays as it was, is corrected, or is taken
 * out; an objection to a record takes the `record_*` outcomes, one to a binding the `binding_*`.
 */
export type ObjectionOutcome =
  | 'record_confirmed'
  | 'record_corrected'
  | 'record_removed'
  | 'binding_confirmed'
  | 'binding_corrected'
  | 'binding_removed';

/** What an objection is about: a record of the objector's file, or a binding that names it. */
export type ObjectionKind = 'record' | 'binding';

/** Who acts, in which role, why and in which request (the store's `AuditActor`). */
export interface ObjectionActor {
  actor: string;
  role: string;
  purpose: string;
  requestId: string | null;
}

/** A file attached as evidence, as kept (its bytes are read only one at a time). */
export interface ObjectionAttachmentMeta {
  name: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

export interface NewObjectionAttachment extends ObjectionAttachmentMeta {
  content: Uint8Array;
}

export interface NewObjection {
  recordId: number;
  subjectId: number;
  reason: string;
  evidenceText: string | null;
  countsWhilePending: boolean;
  filedAt: string;
  dueDay: string;
  sourceNoticeDue: string;
}

/** An objection to a binding that names the objector as the bound person (migration 0024). */
export interface NewBindingObjection extends Omit<NewObjection, 'recordId'> {
  bindingId: number;
  /** Set at filing when there is no source to tell (a binding from the operator's registry import). */
  sourceNotifiedAt?: string | null;
  /** The binding's organization, whose trail each step is audited on too. */
  organizationId: number;
}

/**
 * What a decision does to the binding of an objection: `release` ends its dispute flag (a first
 * decision); `withdraw` keeps it but takes it out of force everywhere; `correct` sets its days.
 * The organization's legal representative in force follows.
 */
export interface ObjectionBindingChange {
  bindingId: number;
  organizationId: number;
  personId: number;
  role: string;
  release: boolean;
  withdraw?: { reason: string };
  correct?: { validFrom: string | null; validUntil: string | null };
}

/**
 * What an objection's step does to its record (a store `RecordRevision`): `dispute` flags it,
 * a decision confirms (`objection_confirmed`), corrects (with the whole new content) or removes it.
 */
export interface ObjectionRecordChange {
  recordId: number;
  change: 'dispute' | 'objection_confirmed' | 'objection_corrected' | 'objection_removed';
  /** The record's status afterwards (a `RecordStatus`). */
  status: string;
  content?: {
    type: string;
    occurredAt: string;
    decidedAt: string | null;
    disclosedAt: string | null;
    amount: number | null;
    evidence: string | null;
    note: string | null;
  };
  reason: string | null;
}

/** An objection with the record (or binding) it is about and the subject who filed it. */
export interface ObjectionRow {
  id: number;
  kind: ObjectionKind;
  /** The record objected to (null for a binding's objection). */
  recordId: number | null;
  /** The binding objected to (null for a record's objection). */
  bindingId: number | null;
  subjectId: number;
  subjectIdentifier: string;
  subjectName: string;
  reason: string;
  evidenceText: string | null;
  attachments: ObjectionAttachmentMeta[];
  status: ObjectionStatus;
  countsWhilePending: boolean;
  filedAt: string;
  dueDay: string;
  sourceNoticeDue: string;
  sourceNotifiedAt: string | null;
  outcome: ObjectionOutcome | null;
  reasons: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  appealReason: string | null;
  appealedAt: string | null;
  appealDue: string | null;
  appealOutcome: ObjectionOutcome | null;
  appealReasons: string | null;
  appealDecidedAt: string | null;
  appealDecidedBy: string | null;
  record: {
    type: string;
    sourceId: number;
    sourceCode: string;
    sourceRecordId: string;
    occurredAt: string;
    decidedAt: string | null;
    amount: number | null;
    evidence: string | null;
    status: string;
  } | null;
  binding: {
    organizationId: number;
    organizationIdentifier: string;
    organizationName: string;
    role: string;
    validFrom: string | null;
    validUntil: string | null;
    /** The registration authority whose line set it; null: the operator's registry import. */
    sourceId: number | null;
    sourceCode: string | null;
    recordedAt: string;
    withdrawnAt: string | null;
  } | null;
}

export interface ObjectionQuery {
  /** Of these statuses only (all when absent). */
  statuses?: readonly ObjectionStatus[];
  subjectId?: number;
  /** Objections to the records of this source only. */
  sourceId?: number;
  /** Objections to this record only. */
  recordId?: number;
  /** Objections to this binding only. */
  bindingId?: number;
  limit: number;
  /** The cursor of the last row of the previous page (`ObjectionPage.next`). */
  after?: string;
}

/**
 * A page of objections in queue order: open ones (pending, appealed) first, by the day their
 * clock runs out (so the overdue lead), then closed ones by the same day; ties by id.
 */
export interface ObjectionPage {
  rows: ObjectionRow[];
  /** The cursor for the next page; null on the last. */
  next: string | null;
}

export interface ObjectionStore {
  /**
   * Files an objection in one transaction: the row, its attachments, the record flagged
   * (`change`, normally `dispute`, its reason written from the new objection's id) and the audit
   * entry (`objection.file`, its detail led by the objection's id). `conflict` when the record is
   * already under an open objection.
   */
  fileObjection(
    o: NewObjection,
    attachments: NewObjectionAttachment[],
    change: Omit<ObjectionRecordChange, 'reason'> & { reason: (objectionId: number) => string },
    at: string,
    actor: ObjectionActor,
    auditDetail: Record<string, unknown>,
  ): Promise<ObjectionRow>;
  /**
   * Files an objection to a binding in one transaction: the row, its attachments, the binding
   * flagged (`disputed_by`; `suspended` when it does not bind meanwhile), the change feed for the
   * person and the organization, and the `objection.file` entry on both trails. `conflict` when
   * the binding is already under an open objection or was withdrawn meanwhile.
   */
  fileBindingObjection(
    o: NewBindingObjection,
    attachments: NewObjectionAttachment[],
    suspend: boolean,
    at: string,
    actor: ObjectionActor,
    auditDetail: Record<string, unknown>,
  ): Promise<ObjectionRow>;
  findObjection(id: number): Promise<ObjectionRow | undefined>;
  listObjections(q: ObjectionQuery): Promise<ObjectionPage>;
  /** One attachment's bytes, by its position (0-based) among the objection's attachments. */
  findAttachment(
    objectionId: number,
    index: number,
  ): Promise<(ObjectionAttachmentMeta & { content: Uint8Array }) | undefined>;
  /**
   * Decides an objection in one transaction: the decision (or, for an appealed one, the appeal
   * decision) written only while it is still in `from`, the record changed when `change` is given
   * (the binding when `bindingChange` is: with a `subject.binding` entry on the person's and the
   * organization's trails and both on the change feed), and the audit entry (`objection.decide` or
   * `objection.appeal_decide`, its detail led by the objection's id; for a binding's objection on
   * both trails). Undefined when the objection is no longer in `from` (decided meanwhile).
   */
  decideObjection(
    d: {
      id: number;
      from: 'pending' | 'appealed';
      outcome: ObjectionOutcome;
      reasons: string;
      by: string;
      change?: ObjectionRecordChange;
      bindingChange?: ObjectionBindingChange;
    },
    at: string,
    actor: ObjectionActor,
    auditDetail: Record<string, unknown>,
  ): Promise<ObjectionRow | undefined>;
  /** Records the appeal of a decided objection (once); undefined when it is not `decided` any more. */
  appealObjection(
    a: { id: number; reason: string; appealDue: string },
    at: string,
    actor: ObjectionActor,
    auditDetail: Record<string, unknown>,
  ): Promise<ObjectionRow | undefined>;
  /**
   * Marks these objections' sources told (those not told yet), with one audit entry each; returns
   * the ids marked.
   */
  markSourceNotified(ids: number[], at: string, actor: ObjectionActor): Promise<number[]>;
}
