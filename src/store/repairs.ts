/**
 * The store's repairs: the rows and the queries the repairs capability needs (implemented for both
 * backends in common/repairs.ts). Reached as `store.repairs`.
 *
 * (The shapes here are written out rather than imported from types.ts, which imports this file: the
 * layer check refuses a cycle even between type-only imports.)
 */

/**
 * Where an application stands: pending (awaiting feedback) → accepted (awaiting the decision) →
 * granted | refused; or rejected at feedback. Pending and accepted are open.
 */
export type RepairStatus = 'pending' | 'accepted' | 'rejected' | 'granted' | 'refused';

export type RepairOutcome = 'granted' | 'refused';

/** Who acts, in which role, why and in which request (the store's `AuditActor`). */
export interface RepairActor {
  actor: string;
  role: string;
  purpose: string;
  requestId: string | null;
}

/** A file attached as proof of performance, as kept (its bytes are read one at a time). */
export interface RepairAttachmentMeta {
  name: string;
  mediaType: string;
  bytes: number;
  sha256: string;
}

export interface NewRepairAttachment extends RepairAttachmentMeta {
  content: Uint8Array;
}

export interface NewRepair {
  recordId: number;
  subjectId: number;
  commitment: string;
  evidenceText: string | null;
  appliedAt: string;
  feedbackDue: string;
}

/** An application with the record it is about and the subject who made it. */
export interface RepairRow {
  id: number;
  recordId: number;
  subjectId: number;
  subjectIdentifier: string;
  subjectName: string;
  commitment: string;
  evidenceText: string | null;
  attachments: RepairAttachmentMeta[];
  status: RepairStatus;
  appliedAt: string;
  feedbackDue: string;
  feedback: string | null;
  feedbackAt: string | null;
  feedbackBy: string | null;
  decisionDue: string | null;
  outcome: RepairOutcome | null;
  reasons: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  displayStopDue: string | null;
  record: {
    type: string;
    sourceCode: string;
    sourceRecordId: string;
    occurredAt: string;
    decidedAt: string | null;
    evidence: string | null;
    status: string;
  };
}

export interface RepairQuery {
  /** Of these statuses only (all when absent). */
  statuses?: readonly RepairStatus[];
  subjectId?: number;
  recordId?: number;
  limit: number;
  /** The cursor of the last row of the previous page (`RepairPage.next`). */
  after?: string;
}

/**
 * A page of applications in queue order: open ones first, by the day their clock runs out
 * (feedback for a pending one, the decision for an accepted one), so the overdue lead; then
 * closed ones by the day they were decided; ties by id.
 */
export interface RepairPage {
  rows: RepairRow[];
  /** The cursor for the next page; null on the last. */
  next: string | null;
}

export interface RepairStore {
  /**
   * Records an application in one transaction with its attachments and its audit entry
   * (`repair.apply`, its detail led by the application's id). `conflict` when the record already
   * has an open application.
   */
  applyRepair(
    r: NewRepair,
    attachments: NewRepairAttachment[],
    at: string,
    actor: RepairActor,
    auditDetail: Record<string, unknown>,
  ): Promise<RepairRow>;
  findRepair(id: number): Promise<RepairRow | undefined>;
  listRepairs(q: RepairQuery): Promise<RepairPage>;
  /** One attachment's bytes, by its position (0-based) among the application's attachments. */
  findRepairAttachment(
    repairId: number,
    index: number,
  ): Promise<(RepairAttachmentMeta & { content: Uint8Array }) | undefined>;
  /**
   * Feedback on a pending application, with its audit entry (`repair.feedback`): accepted starts
   * the decision clock (`decisionDue`), rejected closes it. Undefined when it is no longer pending.
   */
  giveRepairFeedback(
    f: { id: number; accepted: boolean; message: string; by: string; decisionDue: string | null },
    at: string,
    actor: RepairActor,
    auditDetail: Record<string, unknown>,
  ): Promise<RepairRow | undefined>;
  /**
   * Decides an open application in one transaction: the decision (and the feedback, when it was
   * still pending), the record repaired when granted (a `repair` revision: its old version kept,
   * `record.repair` audited, the change feed noted) and the audit entry (`repair.decide`).
   * Undefined when it is no longer open (decided meanwhile).
   */
  decideRepair(
    d: {
      id: number;
      outcome: RepairOutcome;
      reasons: string;
      by: string;
      displayStopDue: string | null;
      /** The record's status once granted (`repaired`); absent when refused. */
      repairedStatus?: string;
    },
    at: string,
    actor: RepairActor,
    auditDetail: Record<string, unknown>,
  ): Promise<RepairRow | undefined>;
}
