/**
 * Due process shared by objections, repairs and source corrections: the policy of their clocks
 * and the platform's own principal that applies a decision's effect (rescoring, relisting).
 */
import type { Principal } from '../context.ts';

export * from './policy.ts';

/**
 * Who applies the effect of a decision already taken and audited (a subject's objection flagging
 * its record, an operator's decision): the platform itself, never a person's machine user name.
 */
export const DUE_PROCESS_PRINCIPAL: Principal = { id: 'system:due-process', role: 'operator' };
export * from './archive.ts';
export * from './periods.ts';
