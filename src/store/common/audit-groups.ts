import type { AuditActor, AuditDraft, CheckLogBatch, CheckLogDraft } from '../types.ts';

/** What one caller appended to the audit: entries, or relying-party checks, at one time. */
export interface AuditBatch {
  entries: AuditDraft[];
  at: string;
  checks?: { actor: AuditActor; rows: CheckLogDraft[] };
}

const actorKey = (a: AuditActor) => `${a.actor}\u0000${a.role}\u0000${a.purpose}\u0000${a.requestId ?? ''}`;

/**
 * Audit entries grouped by who acted, in which role, why and in which request: each group is
 * stored as one audit context with its entries, however many actions were committed together.
 */
export const groupAuditEntries = (entries: readonly AuditDraft[]): AuditDraft[][] => {
  const groups = new Map<string, AuditDraft[]>();
  for (const e of entries) {
    const k = actorKey(e);
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  return [...groups.values()];
};

/** The checks of the batches committed together, one group per actor, at the first one's time. */
export const groupChecks = (
  batches: readonly AuditBatch[],
): { actor: AuditActor; at: string; rows: CheckLogDraft[] }[] => {
  // A group keeps its first caller's array until a second caller joins it (a batch check's
  // thousand rows are not copied).
  const groups = new Map<string, { actor: AuditActor; at: string; rows: CheckLogDraft[]; own: boolean }>();
  for (const b of batches) {
    if (!b.checks) continue;
    const k = actorKey(b.checks.actor);
    const g = groups.get(k);
    if (!g) groups.set(k, { actor: b.checks.actor, at: b.at, rows: b.checks.rows, own: false });
    else {
      if (!g.own) {
        g.rows = [...g.rows];
        g.own = true;
      }
      for (const r of b.checks.rows) g.rows.push(r);
    }
  }
  return [...groups.values()].map(({ actor, at, rows }) => ({ actor, at, rows }));
};

/** A turn's checks (`Store.checkTurn`) grouped the same way. */
export const groupCheckLog = (logged: readonly CheckLogBatch[]) =>
  groupChecks(
    logged.map((b) => ({ entries: NO_ENTRIES, at: b.at, checks: { actor: b.actor, rows: b.rows } })),
  );
const NO_ENTRIES: AuditDraft[] = [];
