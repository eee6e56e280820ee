import type { AuditActor, AuditDraft, CheckLogBatch, CheckLogDraft } from '../types.ts';

/** What one caller appended to the audit at one time. */
export interface AuditBatch {
  entries: AuditDraft[];
  at: string;
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

/**
 * A turn's checks (`Store.checkTurn`), one group per actor at the first one's time: each group is
 * one audit entry. A group keeps its first caller's array until a second caller joins it (a batch
 * check's thousand rows are not copied).
 */
export const groupCheckLog = (
  logged: readonly CheckLogBatch[],
): { actor: AuditActor; at: string; rows: CheckLogDraft[] }[] => {
  const groups = new Map<string, { actor: AuditActor; at: string; rows: CheckLogDraft[]; own: boolean }>();
  for (const b of logged) {
    const k = actorKey(b.actor);
    const g = groups.get(k);
    if (!g) groups.set(k, { actor: b.actor, at: b.at, rows: b.rows, own: false });
    else {
      if (!g.own) {
        g.rows = [...g.rows];
        g.own = true;
      }
      for (const r of b.rows) g.rows.push(r);
    }
  }
  return [...groups.values()].map(({ actor, at, rows }) => ({ actor, at, rows }));
};
