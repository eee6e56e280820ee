/**
 * The latest verification of the audit log, kept: `credence audit verify` and
 * POST /v1/console/audit-verify leave their result in the database's meta table, so the console
 * shows when the log was last found intact (or where it was first found broken) without re-reading
 * every entry on each look.
 */
import type { AuditVerification } from './tree.ts';

/** How a verification ends: intact, the first broken leaf, or a head that is not the log's own. */
export type AuditLogVerification =
  | (AuditVerification & { ok: true; heads: number })
  | (AuditVerification & { ok: false })
  | { ok: false; index: null; head: number; reason: string };

/** The meta key the latest result is kept under. */
export const LAST_VERIFICATION_KEY = 'audit_last_verification';

/** A verification's result as kept and shown (snake_case, as the API prints it). */
export interface AuditVerificationJson {
  ok: boolean;
  /** The tree's size: the leaves checked when intact; when broken, the leaves the store's tree holds. */
  tree_size: number;
  /** The root of the whole tree in lowercase hex when intact; null when broken. */
  root: string | null;
  /** The leaf index of the first changed, removed or reordered entry; null when intact or a head is at fault. */
  first_bad_index: number | null;
  /** The size of the signed head that is not the log's own, when that is what failed. */
  bad_head: number | null;
  /** Signed heads checked (intact only). */
  heads: number | null;
  reason: string | null;
  /** When it ran (ISO 8601 UTC). */
  at: string;
  /** Who ran it (the principal's id). */
  by: string;
}

export const verificationJson = (
  r: AuditLogVerification,
  o: { at: string; by: string; storedSize: number },
): AuditVerificationJson =>
  r.ok
    ? {
        ok: true,
        tree_size: r.size,
        root: r.root.toString('hex'),
        first_bad_index: null,
        bad_head: null,
        heads: r.heads,
        reason: null,
        at: o.at,
        by: o.by,
      }
    : {
        ok: false,
        tree_size: o.storedSize,
        root: null,
        first_bad_index: r.index,
        bad_head: 'head' in r ? r.head : null,
        heads: null,
        reason: r.reason,
        at: o.at,
        by: o.by,
      };
