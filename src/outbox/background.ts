/**
 * Delivery in the background while the platform serves: one pass every few seconds, never two at
 * once, on a timer that does not keep the process alive, stopped (waiting for the pass in flight)
 * when the platform closes.
 */
import type { Ctx } from '../context.ts';
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

export interface OutboxDelivery {
  /** Stops the timer and waits for the pass in flight, if any. */
  stop(): Promise<void>;
}

export const startOutboxDelivery = (opts: OutboxDeliveryOptions): OutboxDelivery => {
  const intervalMs = opts.intervalMs ?? 5_000;
  const limit = opts.limit ?? OUTBOX_DEFAULTS.limit;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = pass().finally(() => {
        inFlight = undefined;
      });
    }, ms);
    timer.unref();
  };
  // The next pass is scheduled only when this one has finished: passes never overlap.
  const pass = async () => {
    let full = false;
    try {
      const r = await deliverOutbox({ ctx: opts.ctx(), input: { limit }, deps: opts.deps });
      full = r.sent + r.failed + r.dead >= limit;
      opts.onPass?.(r);
    } catch (e) {
      opts.onError?.(e);
    }
    schedule(full ? 0 : intervalMs);
  };

  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
};
