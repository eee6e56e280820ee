/**
 * The audit log's status for the console: its latest signed head and the latest verification kept
 * (null when the log was never verified on this database), and verifying it now.
 */
import { requirePermission } from '../access/index.ts';
import {
  type AuditDeps,
  type AuditVerificationJson,
  type HeadJson,
  lastAuditVerification,
  latestAuditHead,
  verifyAndKeepAuditLog,
} from '../audit/index.ts';
import type { Ctx } from '../context.ts';
import { isCredenceError } from '../shared/errors.ts';

export interface AuditStatus {
  /** The latest signed tree head; null before the first is cut. */
  head: HeadJson | null;
  last_verification: AuditVerificationJson | null;
}

export const getAuditStatus = async ({ ctx, deps }: { ctx: Ctx; deps: AuditDeps }): Promise<AuditStatus> => {
  requirePermission(ctx.principal, 'console.read');
  const [head, last] = await Promise.all([
    latestAuditHead({ ctx, deps }).catch((e: unknown) => {
      if (isCredenceError(e) && e.code === 'not_found') return null;
      throw e;
    }),
    lastAuditVerification({ ctx }),
  ]);
  return { head, last_verification: last };
};

/** Verifies the whole log now (as `credence audit verify` does) and keeps the result as the latest. */
export const verifyAuditNow = async ({
  ctx,
  deps,
}: {
  ctx: Ctx;
  deps: AuditDeps;
}): Promise<AuditVerificationJson> => {
  requirePermission(ctx.principal, 'console.read');
  return (await verifyAndKeepAuditLog({ ctx, deps })).kept;
};
