/**
 * The store's source rosters (migration 0027): who serves under each source, from a day until a
 * day no longer, as bindings count their days (implemented for both backends in
 * common/staff.ts). Reached as `store.staff`. Entries are never deleted: ending one sets its last
 * day, and an entry ended on its first day never held.
 *
 * (The shapes are written out rather than imported from types.ts, which imports this file.)
 */

/** One audit entry a roster write appends in its transaction (a store `AuditDraft`). */
export interface StaffAuditEntry {
  actor: string;
  role: string;
  purpose: string;
  requestId: string | null;
  subjectId: number | null;
  action: string;
  detail: string | null;
}

export interface NewStaffEntry {
  /** The person who serves. */
  subjectId: number;
  /** The licence it was named by (a licensed professional), as on file; null: named as a person. */
  licenceKind: string | null;
  licenceNumber: string | null;
  /** The post held (free text, screened); null: not stated. */
  position: string | null;
  /** From this day (YYYY-MM-DD). */
  validFrom: string;
  /** Until this day no longer; null: open-ended. */
  validUntil: string | null;
}

export interface StaffRow extends NewStaffEntry {
  id: number;
  sourceId: number;
  /** The person's resident ID number and name. */
  identifier: string;
  name: string;
  recordedAt: string;
  /** When the entry was last ended; null: never. */
  endedAt: string | null;
}

export interface StaffStore {
  /**
   * Adds entries to a source's roster, all or nothing, with their audit entries in the same
   * transaction; `conflict` naming the person when an entry overlaps one of theirs on file.
   */
  addStaff(
    sourceId: number,
    entries: NewStaffEntry[],
    at: string,
    audit: StaffAuditEntry[],
  ): Promise<StaffRow[]>;
  /**
   * Ends a person's entries on a source's roster on `until` (the first day it no longer serves):
   * each entry still in force then gets that last day, or its own first day when it starts later
   * (it never held). Audited in the same transaction when something changed; the entries changed.
   */
  endStaff(
    sourceId: number,
    subjectId: number,
    until: string,
    at: string,
    audit: StaffAuditEntry[],
  ): Promise<StaffRow[]>;
  /** A source's roster, every entry (ended ones too), by person then first day. */
  listStaff(sourceId: number): Promise<StaffRow[]>;
  /** Whether the person is on the source's roster on `day` (YYYY-MM-DD). */
  isOnStaff(sourceId: number, subjectId: number, day: string): Promise<boolean>;
}
