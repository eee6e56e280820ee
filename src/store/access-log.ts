/**
 * The store's access log of a subject: who read or wrote its file (product rule 9), paged newest
 * first, with relying parties' checks apart (implemented for both backends in
 * common/access-log.ts). Reached as `store.accessLog`.
 */

/** One audit entry touching a subject, other than a relying party's check. */
export interface AccessEntry {
  /** The entry's audit sequence number (its leaf index once the log is verifiable). */
  seq: number;
  at: string;
  actor: string;
  role: string;
  purpose: string;
  action: string;
  detail: string | null;
}

/** One relying-party check of a subject, as the check log keeps it. */
export interface CheckAccess {
  /** The audit entry of the group of checks it was committed with. */
  seq: number;
  /** Its position in that group. */
  pos: number;
  at: string;
  actor: string;
  role: string;
  purpose: string;
  measure: string;
  applies: boolean;
}

/** Where a page of checks ends: the last check it held (the next page starts after it). */
export interface CheckCursor {
  seq: number;
  pos: number;
}

export interface AccessLogStore {
  /**
   * A subject's audit entries other than checks, newest first, with `seq` below `beforeSeq`: the
   * entries naming it (reads, revisions, its creation) and the batch entries that wrote its
   * records or created it. Indexed look-ups only (by subject, by context).
   */
  listAccesses(subjectId: number, page: { beforeSeq?: number; limit: number }): Promise<AccessEntry[]>;
  /**
   * A subject's checks, newest first, after `before` (exclusive) when given: the check log's tail
   * not indexed yet, then the subject's chain.
   */
  listChecks(subjectId: number, page: { before?: CheckCursor; limit: number }): Promise<CheckAccess[]>;
}
