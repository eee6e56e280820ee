/**
 * The daily sweep while serving: once a day (and at start when the last sweep was on an earlier
 * day), detection over every rating and the records of sustained aggregates. The day of the last
 * sweep is kept in the store, so several API processes sweep once between them per day at most
 * once each, and a restart does not sweep again.
 */
import type { Ctx } from '../context.ts';
import { todayOf } from '../context.ts';
import { type Repeating, repeatInBackground } from '../shared/repeat.ts';
import { type SweepDeps, type SweepResult, sweepRatings } from './sweep.ts';

export const RATINGS_SWEPT_ON = 'ratings_swept_on';

export const startDailySweep = (opts: {
  ctx: () => Ctx;
  deps: (ctx: Ctx) => SweepDeps;
  intervalMs?: number;
  onRun?: (r: SweepResult) => void;
  onError?: (e: unknown) => void;
}): Repeating =>
  repeatInBackground(async () => {
    try {
      const ctx = opts.ctx();
      const today = todayOf(ctx.clock);
      const last = await ctx.store.getMeta(RATINGS_SWEPT_ON);
      if (last === undefined || last < today) {
        const r = await sweepRatings({ ctx, deps: opts.deps(ctx) });
        await ctx.store.setMeta(RATINGS_SWEPT_ON, today);
        opts.onRun?.(r);
      }
    } catch (e) {
      opts.onError?.(e);
    }
    return opts.intervalMs ?? 60_000;
  });
