/**
 * Explicit context (CONVENTIONS.md §5): every domain verb takes `{ ctx, input }`. `ctx` carries the
 * acting principal, the purpose, the request ID, the clock and the store. Nothing deep in the
 * domain reads the environment or the wall clock.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from './store/index.ts';

export const ROLES = [
  'operator',
  'source',
  'relying_party',
  'subject',
  'rater',
  'inspector',
  'auditor',
  'public',
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Stable name of the actor, e.g. `operator:cli`, `source:demo-court`, `subject:11010519491231002X`. */
  id: string;
  role: Role;
  /** For a source: its code. For a subject: its identifier. For a relying party: its code. */
  ref?: string;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at one instant, for tests and as-of work. */
export const fixedClock = (at: Date | string): Clock => {
  const d = typeof at === 'string' ? new Date(at) : at;
  return { now: () => new Date(d.getTime()) };
};

export interface Ctx {
  principal: Principal;
  /** Why the data is being read or written; recorded in every audit entry. */
  purpose: string;
  /**
   * False when the caller gave no purpose and `purpose` is the way in's default (an API request
   * without `x-purpose`): a verb that needs a stated purpose refuses it.
   */
  purposeStated?: boolean;
  requestId: string;
  clock: Clock;
  store: Store;
}

export const makeCtx = (
  store: Store,
  principal: Principal,
  purpose: string,
  opts: { clock?: Clock; requestId?: string } = {},
): Ctx => ({
  store,
  principal,
  purpose,
  clock: opts.clock ?? systemClock,
  requestId: opts.requestId ?? randomUUID(),
});

/** Calendar date (YYYY-MM-DD, UTC) of an instant. */
export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
