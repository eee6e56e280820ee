/**
 * The demo's inspections on a small population, on both backends: the market regulator has its
 * roster and a plan for the demo's quarter whose every class is drawn within its band and which
 * re-runs identically, no inspector is assigned an organization it declared a conflict with,
 * about a third of the outcomes are entered, became records and are published, and a second load
 * adds no plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import {
  INSPECTIONS_PRINCIPAL,
  type InspectionDeps,
  publishedInspections,
  type RISK_CLASSES,
  showPlan,
  verifyStoredPlan,
} from '../supervision/index.ts';
import { DEMO_REGULATOR, type DemoLoadResult, type DemoOptions, demoPeriod, loadDemo } from './index.ts';

const TODAY = '2026-11-20';
const OPTIONS: DemoOptions = { persons: 1_000, organizations: 300, seed: 5, end: TODAY };
const operator: Principal = { id: 'operator:test', role: 'operator' };

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(
    suiteTitle('the demo population with its inspections', backend),
    () => {
      let p: Platform;
      let cleanup: () => Promise<void>;
      let loaded: DemoLoadResult;
      const deps = (): InspectionDeps => ({
        policy: p.supervisionPolicy,
        catalogue: p.catalogue,
        lists: p.lists,
        scoringPolicy: p.scoringPolicy,
        audit: p.audit,
        refresh: (ids) => p.refreshSubjects(p.ctx(INSPECTIONS_PRINCIPAL, 'rescore'), ids),
      });
      const load = () =>
        loadDemo({
          ctx: p.ctx(operator, 'load demo population'),
          input: { options: OPTIONS, catalogue: p.catalogue, inspections: deps() },
        });

      beforeAll(async () => {
        ({ platform: p, cleanup } = await backend.open({ clock: fixedClock(`${TODAY}T09:00:00Z`) }));
        loaded = await load();
      }, 120_000);
      afterAll(async () => cleanup?.());

      it('draws a plan for the demo’s quarter with every class within its band, re-run identically', async () => {
        const x = loaded.inspectionsLoad!;
        expect(x).toMatchObject({ skipped: false, regulator: DEMO_REGULATOR, period: '2026-Q4' });
        expect(demoPeriod('2026-01-01')).toBe('2026-Q1');
        expect(x.inspectors).toBeGreaterThanOrEqual(8);
        expect(x.unassigned).toBe(0);
        const ctx = p.ctx(operator, 'review');
        const plan = await showPlan({ ctx, input: { id: x.planId! }, deps: deps() });
        expect(plan).toMatchObject({ regulator: DEMO_REGULATOR, period: '2026-Q4' });
        expect(plan.seed_origin).toMatch(/signed audit head/);
        // Scored and listed before the draw: not everyone falls in the default class.
        expect(plan.per_class.filter((c) => c.population + c.red_listed > 0).length).toBeGreaterThan(1);
        for (const c of plan.per_class) {
          if (c.population === 0) continue;
          const band = p.supervisionPolicy.ratios[c.class as (typeof RISK_CLASSES)[number]];
          // A class too small for any whole draw to lie in its band (one organization, 21-39 %) is
          // drawn by its ratio, rounded (drawCount).
          if (Math.ceil(band.min * c.population) > Math.floor(band.max * c.population)) continue;
          expect(c.drawn / c.population, c.class).toBeGreaterThanOrEqual(band.min);
          expect(c.drawn / c.population, c.class).toBeLessThanOrEqual(band.max);
        }
        expect(plan.inspections.length).toBe(x.drawn);
        for (const i of plan.inspections) expect(i.target.kind).not.toBe('person');
        const roster = await p.store.inspections.listInspectors(DEMO_REGULATOR);
        expect(roster.filter((r) => r.conflicts.length > 0)).toHaveLength(x.conflicted);
        for (const i of plan.inspections)
          for (const code of i.inspectors)
            expect(roster.find((r) => r.code === code)!.conflicts).not.toContain(i.target.uscc);
        expect(await verifyStoredPlan({ ctx, input: { id: x.planId! }, deps: deps() })).toEqual({
          identical: true,
          differences: [],
        });
      });

      it('enters about a third of the outcomes, one penalty among them, as records, published', async () => {
        const x = loaded.inspectionsLoad!;
        const o = x.outcomes;
        const entered = o.passed + o.corrected_on_spot + o.ordered_corrected + o.penalty_referred;
        expect(entered).toBe(Math.round(x.drawn / 3));
        expect(o.penalty_referred).toBe(1);
        expect(o.passed).toBeGreaterThan(entered / 2);
        expect(x.published).toBe(entered);
        const pub = await publishedInspections({
          ctx: p.ctx({ id: 'anyone', role: 'public' }, 'read'),
          input: {},
        });
        expect(pub).toHaveLength(entered);
        const records = await p.store.inspections.listInspections({ planId: x.planId!, published: true });
        expect(records.every((i) => i.recordId !== null)).toBe(true);
        // The demo's inspector credential goes to a roster inspector with inspections still to do.
        const mine = await p.store.inspections.listInspections({ inspector: x.inspector! });
        expect(mine.some((i) => i.outcome === null)).toBe(true);
      });

      it('loads a second time without failing and adds no plan', async () => {
        const again = await load();
        expect(again.inspectionsLoad?.skipped).toBe(true);
        expect(await p.store.inspections.listPlans(DEMO_REGULATOR)).toHaveLength(1);
      });
    },
  );
}
