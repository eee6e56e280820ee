import { createHash } from 'node:crypto';

export interface AuditLeafFields {
  at: string;
  actor: string;
  role: string;
  purpose: string;
  subjectId: number | null;
  action: string;
  detail: string | null;
  requestId: string | null;
}

/**
 * RFC 6962 §2.1 leaf hash: SHA-256(0x00 ‖ entry). The entry is a canonical JSON array of the
 * audit fields in fixed order, so anyone holding the log can recompute it.
 */
export const auditLeafHash = (e: AuditLeafFields): string =>
  createHash('sha256')
    .update(LEAF_PREFIX)
    .update(
      JSON.stringify([e.at, e.actor, e.role, e.purpose, e.subjectId, e.action, e.detail, e.requestId]),
    )
    .digest('hex');

const LEAF_PREFIX = Buffer.from([0x00]);
