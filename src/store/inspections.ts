/**
 * The store's inspections: regulators' inspector rosters with their declared conflicts, drawn
 * plans with every input of their draw, and the inspections drawn (implemented for both backends
 * in common/inspections.ts). Reached as `store.inspections`.
 */

/** One audit entry an inspections write appends in its transaction (a store `AuditDraft`). */
export interface InspectionAuditEntry {
  actor: string;
  role: string;
  purpose: string;
  requestId: string | null;
  subjectId: number | null;
  action: string;
  detail: string | null;
}

export interface InspectorRow {
  id: number;
  /** The inspector credential's ref. */
  code: string;
  /** The regulator (a source code) whose roster holds it. */
  regulator: string;
  name: string;
  /** USCCs it declared a conflict of interest with. */
  conflicts: string[];
  createdAt: string;
}

/** What a class is drawn from: one organization or public body. */
export interface SupervisionFactsRow {
  id: number;
  kind: 'organization' | 'public_body';
  identifier: string;
  name: string;
  grade: string | null;
  /** Its list entries in force on the day (codes). */
  lists: string[];
  /** Its records that count of the negative types, occurred on or after `since`. */
  negativeRecent: number;
}

/** What `listSupervisionFacts` reads: the day, and which records count as recent negative ones. */
export interface SupervisionFactsQuery {
  /** YYYY-MM-DD: the entries in force that day (taken effect, not ended), as the public lists read them. */
  day: string;
  /** YYYY-MM-DD: records that occurred on or after it are recent. */
  since: string;
  /** The negative types: an active record of one counts. */
  negativeTypes: readonly string[];
  /** Those of them that keep counting while an objection to the record is pending: a disputed record of one counts. */
  countedWhileDisputed: readonly string[];
}

export interface NewPlan {
  regulator: string;
  period: string;
  policyVersion: string;
  seed: string;
  seedOrigin: string;
  inputs: unknown;
  plan: unknown;
  createdAt: string;
  createdBy: string;
}

export interface PlanRow extends NewPlan {
  id: number;
}

export interface NewInspection {
  /** Null: drawn; otherwise the complaint that made it. */
  complaint?: string | null;
  subjectId: number;
  target: string;
  class: string;
  inspectors: string[];
  dueDay: string;
}

export interface InspectionRow extends NewInspection {
  id: number;
  planId: number;
  regulator: string;
  targetName: string;
  targetKind: string;
  outcome: string | null;
  outcomeAt: string | null;
  outcomeBy: string | null;
  recordId: number | null;
  /** The status of the outcome's record now (null: no record). */
  recordStatus: string | null;
  publishedAt: string | null;
  complaint: string | null;
}

export interface InspectionStore {
  upsertInspector(
    i: { code: string; regulator: string; name: string; conflicts: string[] },
    at: string,
    audit: InspectionAuditEntry[],
  ): Promise<InspectorRow>;
  listInspectors(regulator: string): Promise<InspectorRow[]>;
  /** The inspector with this code, on whichever regulator's roster (a code is on one roster at most). */
  findInspector(code: string): Promise<InspectorRow | undefined>;
  /** Every organization and public body with its grade, lists in force on the day and recent negative records. */
  listSupervisionFacts(q: SupervisionFactsQuery): Promise<SupervisionFactsRow[]>;
  /** The inspectors of each organization's latest inspection by this regulator (USCC → codes). */
  lastInspectors(regulator: string): Promise<Record<string, string[]>>;
  /** Keeps a plan and its inspections in one transaction, audited; the plan's id. */
  insertPlan(plan: NewPlan, inspections: NewInspection[], audit: InspectionAuditEntry[]): Promise<number>;
  getPlan(id: number): Promise<PlanRow | undefined>;
  listPlans(regulator?: string): Promise<PlanRow[]>;
  listInspections(by: {
    planId?: number;
    inspector?: string;
    published?: boolean;
    /** Only those whose outcome's record has one of these statuses now. */
    recordStatuses?: readonly string[];
    /** Of one organization or public body only. */
    subjectId?: number;
    limit?: number;
  }): Promise<InspectionRow[]>;
  getInspection(id: number): Promise<InspectionRow | undefined>;
  /** Adds an inspection made on a complaint to a plan, audited. */
  insertComplaintInspection(
    planId: number,
    i: NewInspection,
    at: string,
    audit: InspectionAuditEntry[],
  ): Promise<number>;
  /** Records an outcome once (`conflict` when one was recorded), published at once, audited. */
  setOutcome(
    id: number,
    o: { outcome: string; at: string; by: string; recordId: number | null },
    audit: InspectionAuditEntry[],
  ): Promise<InspectionRow>;
}
