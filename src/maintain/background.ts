/**
 * Maintenance in the background while the platform serves: a timer looks every minute (by the
 * context's clock) whether today is past the last day maintained, and if so runs maintenance for
 * today — at start when a day was missed, then once a day. Runs never overlap; the timer does not
 * keep the process alive; stopping waits for a run in flight.
 */
import type { Ctx } from '../context.ts';
import { type Repeating, repeatInBackground } from '../shared/repeat.ts';
import { isMaintenanceDue, type MaintainDeps, type MaintainSummary, runMaintenance } from './maintain.ts';

export interface DailyMaintenanceOptions {
  /** A fresh context for each look (its own request ID in the audit log). */
  ctx: () => Ctx;
  deps: MaintainDeps;
  /** How often to look whether a day has passed (default one minute). */
  intervalMs?: number;
  onRun?: (r: MaintainSummary) => void;
  onError?: (e: unknown) => void;
}

export type DailyMaintenance = Repeating;

export const startDailyMaintenance = (opts: DailyMaintenanceOptions): DailyMaintenance => {
  const intervalMs = opts.intervalMs ?? 60_000;
  return repeatInBackground(async () => {
    try {
      const ctx = opts.ctx();
      if (await isMaintenanceDue(ctx))
        opts.onRun?.(await runMaintenance({ ctx, input: {}, deps: opts.deps }));
    } catch (e) {
      opts.onError?.(e);
    }
    return intervalMs;
  });
};
