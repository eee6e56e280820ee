/**
 * Audit entries for the audit log's tests, appended the way reads are audited: text with
 * non-ASCII, a NUL, a quote and a backslash, so canonical bytes are exercised; with `subjects`,
 * three entries in four name a subject.
 */
import type { Platform } from '../src/platform/index.ts';

export const AUDIT_AT = '2026-03-01T09:00:00.000Z';

export const appendAuditEntries = (p: Platform, n: number, from = 0, opts: { subjects?: boolean } = {}) =>
  p.store.appendAudit(
    Array.from({ length: n }, (_, i) => ({
      actor: 'auditor:test',
      role: 'auditor',
      purpose: 'inspection',
      subjectId: opts.subjects && (from + i) % 4 !== 0 ? from + i : null,
      action: 'subjects.read',
      detail: JSON.stringify({ n: from + i, text: 'é ✓ \u0000 "q" \\' }),
      requestId: `r-${from + i}`,
    })),
    AUDIT_AT,
  );
