/**
 * Due process shared by objections, repairs and source corrections: the policy of their clocks,
 * the evidence a subject sends and its limits, who takes a step (for its audit entries), and the
 * platform's own principal that applies a decision's effect (rescoring, relisting).
 */
import type { Ctx, Principal } from '../context.ts';

export * from './policy.ts';

/**
 * Who applies the effect of a decision already taken and audited (a subject's objection flagging
 * its record, an operator's decision): the platform itself, never a person's machine user name.
 */
export const DUE_PROCESS_PRINCIPAL: Principal = { id: 'system:due-process', role: 'operator' };

/** Who takes a step, as its audit entries name them (the store's `AuditActor`). */
export const actorOf = (ctx: Ctx) => ({
  actor: ctx.principal.id,
  role: ctx.principal.role,
  purpose: ctx.purpose,
  requestId: ctx.requestId,
});

/**
 * A read that showed items of several subjects (a queue's page) goes on each one's trail (product
 * rule 9): one entry per subject, naming the items of it that were shown under `key`.
 */
export const auditReadsBySubject = async (
  ctx: Ctx,
  shown: readonly { subjectId: number; id: number }[],
  action: string,
  key: string,
  at: string,
): Promise<void> => {
  const bySubject = new Map<number, number[]>();
  for (const s of shown) bySubject.set(s.subjectId, [...(bySubject.get(s.subjectId) ?? []), s.id]);
  if (bySubject.size === 0) return;
  await ctx.store.appendAudit(
    [...bySubject].map(([subjectId, ids]) => ({
      ...actorOf(ctx),
      subjectId,
      action,
      detail: JSON.stringify({ [key]: ids }),
    })),
    at,
  );
};
export * from './archive.ts';
export * from './evidence.ts';
export * from './periods.ts';
