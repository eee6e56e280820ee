/**
 * Daily maintenance in the background of `serve`: it runs at start when a day was missed, once a
 * day after that, never twice for a day, and stopping waits for a run in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Clock, Principal } from '../context.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import { MAINTAINED_THROUGH, type MaintainSummary, startDailyMaintenance } from './index.ts';

const operator: Principal = { id: 'operator:serve', role: 'operator' };
const until = async (ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('daily maintenance in the background', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    // One minute before midnight in the platform's zone (Asia/Shanghai by default: UTC+8).
    let now = new Date('2026-03-01T15:59:00.000Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock }));
      await p.store.setMeta(MAINTAINED_THROUGH, '2026-02-27');
    });
    afterAll(async () => cleanup?.());

    it('catches up a missed day at start, runs again when the date passes, and stops cleanly', async () => {
      const runs: MaintainSummary[] = [];
      const errors: unknown[] = [];
      const m = startDailyMaintenance({
        ctx: () => p.ctx(operator, 'daily maintenance'),
        deps: listDeps(p),
        intervalMs: 20,
        onRun: (r) => runs.push(r),
        onError: (e) => errors.push(e),
      });
      try {
        await until(() => runs.length === 1);
        expect(runs[0]!.date).toBe('2026-03-01');
        expect(await p.store.getMeta(MAINTAINED_THROUGH)).toBe('2026-03-01');
        // Several looks within the same day run nothing more.
        await new Promise((r) => setTimeout(r, 200));
        expect(runs).toHaveLength(1);
        now = new Date('2026-03-01T16:00:30.000Z');
        await until(() => runs.length === 2);
        expect(runs[1]!.date).toBe('2026-03-02');
      } finally {
        await m.stop();
      }
      const after = runs.length;
      now = new Date('2026-03-02T16:00:30.000Z');
      await new Promise((r) => setTimeout(r, 100));
      expect(runs).toHaveLength(after);
      expect(errors).toEqual([]);
    });
  });
}
