/**
 * Inspections count days in the platform's zone (TIME_ZONE, Asia/Shanghai by default), on both
 * backends: a plan drawn at 01:30 Beijing time (17:30 UTC the day before) gives its inspections
 * the Beijing day plus the policy's outcome days, and an inspection becomes overdue on the
 * Beijing day after its due day, not eight hours earlier or later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Clock, Principal } from '../context.ts';
import { makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { formatDay, parseDay } from '../shared/days.ts';
import { registerSource } from '../sources/index.ts';
import { addInspector, INSPECTIONS_PRINCIPAL, myInspections, planInspections } from './index.ts';

const ORGS = 40;
const org = (k: number) => makeUscc('9', '1', '110105', String(30_000_000 + k));
const operator: Principal = { id: 'operator:test', role: 'operator' };
// 01:30 on 3 November in Beijing; still 2 November in UTC.
const DRAWN_AT = '2026-11-02T17:30:00Z';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('inspection days in the platform zone', backend), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let now = DRAWN_AT;
    const clock: Clock = { now: () => new Date(now) };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await backend.open({ clock }));
      const ctx = p.ctx(operator, 'set up');
      await importSubjects({
        ctx,
        input: {
          lines: Array.from({ length: ORGS }, (_, k) => ({
            line: k + 1,
            value: { kind: 'organization', uscc: org(k), name: `企业${k}` },
          })),
        },
      });
      await registerSource({
        ctx,
        catalogue: p.catalogue,
        input: { code: 'samr', kind: 'market_regulator', name: 'Market regulator', legalBasis: 'test' },
      });
      for (let k = 0; k < 4; k++)
        await addInspector({ ctx, input: { code: `insp-${k}`, regulator: 'samr' } });
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('gives a plan drawn at 01:30 Beijing time the Beijing day, and counts overdue in Beijing days', async () => {
      const ctx = p.ctx(operator, 'plan');
      const plan = await planInspections({
        ctx,
        input: { regulator: 'samr', period: '2026-Q4' },
        deps: {
          policy: p.supervisionPolicy,
          catalogue: p.catalogue,
          lists: p.lists,
          scoringPolicy: p.scoringPolicy,
          audit: p.audit,
          refresh: (ids) => p.refreshSubjects(p.ctx(INSPECTIONS_PRINCIPAL, 'rescore'), ids),
        },
      });
      expect(plan.inspections.length).toBeGreaterThan(0);
      const due = formatDay(parseDay('2026-11-03') + p.supervisionPolicy.outcomeDays);
      for (const i of plan.inspections) expect(i.due_day).toBe(due);

      const overdueAt = async (instant: string) => {
        now = instant;
        const mine = await myInspections({ ctx: p.ctx(operator, 'my inspections') });
        return mine.every((i) => i.overdue);
      };
      // The due day's last minute in Beijing (15:59 UTC): not overdue yet.
      expect(await overdueAt(`${due}T15:59:00Z`)).toBe(false);
      // 00:01 the next day in Beijing, still the due day in UTC: overdue.
      expect(await overdueAt(`${due}T16:01:00Z`)).toBe(true);
    });
  });
}
