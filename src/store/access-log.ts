/**
 * The store's access log of a subject: who read or wrote its file (product rule 9), paged newest
 * first, with relying parties' checks apart (implemented for both backends in
 * common/access-log.ts). Reached as `store.accessLog`.
 */

/** One audit entry touching a subject, other than a relying party's check. */
export interface AccessEntry {
  /** The entry's audit sequence number: the order entries were written in, and the paging cursor. */
  seq: number;
  /** Its leaf index in the audit log's Merkle tree, to ask an inclusion proof by; null until sequenced. */
  leafIndex: number | null;
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
  /** That entry's leaf index in the audit log's Merkle tree; null until sequenced. */
  leafIndex: number | null;
  /** Its position in that group. */
  pos: number;
  /** The check's ID (as the relying party was given it; `GET /v1/checks/{check_id}` explains it). */
  checkId: string;
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
  /**
   * Whether the audit entry at leaf `leafIndex` of the Merkle tree is on the subject's trail exactly
   * as `listAccesses` and `listChecks` find it: an entry naming the subject, the `records.create`
   * batch entry whose context wrote one of its records, the `subjects.create` entry that created it,
   * or a check group naming it. False for a leaf not in the tree. Indexed look-ups only (the leaf,
   * then the subject's records, the subject or the group by key).
   */
  leafOnTrail(subjectId: number, leafIndex: number): Promise<boolean>;
}
