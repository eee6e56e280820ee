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
export * from './archive.ts';
export * from './evidence.ts';
export * from './periods.ts';
