import type { AuditActor, AuditDraft, CheckLogBatch, CheckLogDraft, CheckPolicies } from '../types.ts';

/** What one caller appended to the audit at one time. */
export interface AuditBatch {
  entries: AuditDraft[];
  at: string;
}

const actorKey = (a: AuditActor) => `${a.actor}\u0000${a.role}\u0000${a.purpose}\u0000${a.requestId ?? ''}`;

/**
 * Which group of a turn's check log an actor's checks go to: the checks of one actor in one turn
 * are one group, so whoever makes their check IDs (`checkIdOf`) draws one key per value of this.
 */
export const checkLogGroupOf: (actor: AuditActor) => string = actorKey;

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

/** A group of a turn's check log, as the store writes it. */
export interface CheckLogGroup {
  actor: AuditActor;
  at: string;
  rows: CheckLogDraft[];
  checkKey: string | null;
  policies: CheckPolicies | undefined;
}

/**
 * A turn's checks (`Store.checkTurn`), one group per actor (and check key and policy versions) at
 * the first one's time: each group is one audit entry. A group keeps its first caller's array until
 * a second caller joins it (a batch check's thousand rows are not copied).
 */
export const groupCheckLog = (logged: readonly CheckLogBatch[]): CheckLogGroup[] => {
  const groups = new Map<string, CheckLogGroup & { own: boolean }>();
  for (const b of logged) {
    const p = b.policies;
    const k = `${actorKey(b.actor)}\u0000${b.checkKey ?? ''}${p ? `\u0000${p.measures}\u0000${p.lists}` : ''}`;
    const g = groups.get(k);
    if (!g)
      groups.set(k, {
        actor: b.actor,
        at: b.at,
        rows: b.rows,
        checkKey: b.checkKey ?? null,
        policies: p,
        own: false,
      });
    else {
      if (!g.own) {
        g.rows = [...g.rows];
        g.own = true;
      }
      for (const r of b.rows) g.rows.push(r);
    }
  }
  return [...groups.values()].map(({ own: _, ...g }) => g);
};
