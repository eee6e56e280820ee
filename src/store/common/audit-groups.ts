import type { AuditDraft } from '../types.ts';

/**
 * Audit entries grouped by who acted, in which role, why and in which request: each group is
 * stored as one audit context with its entries, however many actions were committed together.
 */
export const groupAuditEntries = (entries: readonly AuditDraft[]): AuditDraft[][] => {
  const groups = new Map<string, AuditDraft[]>();
  for (const e of entries) {
    const k = `${e.actor}\u0000${e.role}\u0000${e.purpose}\u0000${e.requestId ?? ''}`;
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  return [...groups.values()];
};
