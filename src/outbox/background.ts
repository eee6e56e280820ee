/**
 * Delivery in the background while the platform serves: one pass every few seconds, never two at
 * once, on a timer that does not keep the process alive, stopped (waiting for the pass in flight)
 * when the platform closes.
 */
import type { Ctx } from '../context.ts';
import { type Repeating, repeatInBackground } from '../shared/repeat.ts';
import {
  type DeliverOutboxDeps,
  type DeliverOutboxResult,
  deliverOutbox,
  OUTBOX_DEFAULTS,
} from './deliver.ts';

export interface OutboxDeliveryOptions {
  /** A fresh context for each pass (its own request ID in the audit log). */
  ctx: () => Ctx;
  deps: DeliverOutboxDeps;
  /** Pause between passes (default 5 s); a pass that filled its limit is followed at once. */
  intervalMs?: number;
  limit?: number;
  onPass?: (r: DeliverOutboxResult) => void;
  onError?: (e: unknown) => void;
}

export type OutboxDelivery = Repeating;

export const startOutboxDelivery = (opts: OutboxDeliveryOptions): OutboxDelivery => {
  const intervalMs = opts.intervalMs ?? 5_000;
  const limit = opts.limit ?? OUTBOX_DEFAULTS.limit;
  // A pass that filled its limit is followed at once.
  return repeatInBackground(async () => {
    try {
      const r = await deliverOutbox({ ctx: opts.ctx(), input: { limit }, deps: opts.deps });
      opts.onPass?.(r);
      return r.sent + r.failed + r.dead >= limit ? 0 : intervalMs;
    } catch (e) {
      opts.onError?.(e);
      return intervalMs;
    }
  });
};
