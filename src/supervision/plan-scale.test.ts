/**
 * A plan drawn from the store at scale, on both backends (issue 17, "a synthetic population of
 * 100,000 organizations"): 100,000 organizations in the four classes and a few persons graded as
 * badly as possible, a roster of 50 with declared conflicts; the plan draws each class within its
 * ratio band, never a person and never a conflicted inspector, fills every inspector up to the
 * workload cap and no further, and re-runs identically from the inputs it kept. The classes come
 * from score rows written straight to the store: rescoring 100,000 files is the scoring suite's
 * business, not this one's. How long it takes is measured in bench/, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import type { ScoreRow } from '../store/index.ts';
import {
  addInspector,
  INSPECTIONS_PRINCIPAL,
  type InspectionDeps,
  planInspections,
  type RISK_CLASSES,
  showPlan,
  verifyStoredPlan,
} from './index.ts';

const ORGS = 100_000;
const PERSONS = 200;
const ROSTER = 50;
const BATCH = 10_000;
const NOW = '2026-11-02T09:00:00Z';
const org = (k: number) => makeUscc('9', '1', '110105', String(20_000_000 + k));
const person = (k: number) => makeResidentId('110105', '1980-01-01', k + 1);
/** One organization in twenty is class A, one in ten C, one in twenty D, the rest B. */
const gradeOf = (k: number) => {
  const r = k % 20;
  return r === 0 ? 'AA' : r <= 2 ? 'C' : r === 3 ? 'DB' : 'A';
};
const operator: Principal = { id: 'operator:test', role: 'operator' };
const audit = { actor: operator.id, role: operator.role, purpose: 'set up', requestId: null };
/** Inspector k declares conflicts with these organizations (a few inspectors, a few each). */
const conflictsOf = (k: number) =>
  k % 10 === 0 ? Array.from({ length: 5 }, (_, j) => org(k * 97 + j * 20)) : [];

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(
    suiteTitle('an inspection plan over 100,000 organizations', backend),
    () => {
      let p: Platform;
      let cleanup: () => Promise<void>;
      let plan: Awaited<ReturnType<typeof planInspections>>;
      const deps = (): InspectionDeps => ({
        policy: p.supervisionPolicy,
        catalogue: p.catalogue,
        lists: p.lists,
        scoringPolicy: p.scoringPolicy,
        audit: p.audit,
        refresh: (ids) => p.refreshSubjects(p.ctx(INSPECTIONS_PRINCIPAL, 'rescore'), ids),
      });

      beforeAll(async () => {
        ({ platform: p, cleanup } = await backend.open({ clock: fixedClock(NOW) }));
        const ctx = p.ctx(operator, 'set up');
        const at = new Date(NOW).toISOString();
        const score = (subjectId: number, grade: string): ScoreRow => ({
          subjectId,
          policyVersion: p.scoringPolicy.version,
          asOf: NOW.slice(0, 10),
          score: 0,
          grade,
          domains: '{}',
          keyFactors: '[]',
          computedAt: at,
        });
        for (let from = 0; from < ORGS; from += BATCH) {
          const ks = Array.from({ length: Math.min(BATCH, ORGS - from) }, (_, i) => from + i);
          const out = await p.store.registerSubjects(
            ks.map((k) => ({ kind: 'organization', identifier: org(k), name: `企业${k}` })),
            at,
            audit,
          );
          await p.store.saveScores(
            out.map((o, i) => {
              if (o.status === 'rejected') throw new Error(`${org(ks[i]!)}: ${o.field}: ${o.reason}`);
              return score(o.subjectId, gradeOf(ks[i]!));
            }),
          );
        }
        // Persons graded as badly as the worst organizations: still never a target.
        const persons = await p.store.registerSubjects(
          Array.from({ length: PERSONS }, (_, k) => ({
            kind: 'person',
            identifier: person(k),
            name: `个人${k}`,
          })),
          at,
          audit,
        );
        await p.store.saveScores(persons.map((o) => score('subjectId' in o ? o.subjectId : 0, 'DC')));
        await registerSource({
          ctx,
          catalogue: p.catalogue,
          input: { code: 'samr', kind: 'market_regulator', name: 'Market regulator', legalBasis: 'test' },
        });
        for (let k = 0; k < ROSTER; k++)
          await addInspector({
            ctx,
            input: { code: `insp-${k}`, regulator: 'samr', conflicts: conflictsOf(k) },
          });
        plan = await planInspections({ ctx, input: { regulator: 'samr', period: '2026-Q4' }, deps: deps() });
      }, 600_000);
      afterAll(async () => cleanup?.());

      it('draws each class within its ratio band from all 100,000, and never a person', () => {
        const population = Object.fromEntries(plan.per_class.map((c) => [c.class, c.population]));
        expect(population).toEqual({ A: ORGS / 20, B: (ORGS * 16) / 20, C: ORGS / 10, D: ORGS / 20 });
        for (const c of plan.per_class) {
          const band = p.supervisionPolicy.ratios[c.class as (typeof RISK_CLASSES)[number]];
          expect(c.drawn / c.population, c.class).toBeGreaterThanOrEqual(band.min);
          expect(c.drawn / c.population, c.class).toBeLessThanOrEqual(band.max);
        }
        const drawn = plan.per_class.reduce((n, c) => n + c.drawn, 0);
        expect(plan.inspections.length + plan.unassigned.length).toBe(drawn);
        const persons = new Set(Array.from({ length: PERSONS }, (_, k) => person(k)));
        for (const i of plan.inspections) {
          expect(i.target.kind).toBe('organization');
          expect(persons.has(i.target.uscc)).toBe(false);
        }
      });

      it('fills every inspector up to the workload cap, the riskiest first, never with a conflict', async () => {
        const { workloadCap, inspectorsPerTarget } = p.supervisionPolicy;
        // Far more targets than 50 inspectors can take: the cap binds on all of them but at most
        // one, which may be left at the end with no partner under the cap.
        const load = new Map<string, number>();
        for (const i of plan.inspections) {
          expect(i.inspectors).toHaveLength(inspectorsPerTarget);
          for (const x of i.inspectors) {
            load.set(x, (load.get(x) ?? 0) + 1);
            expect(conflictsOf(Number(x.slice(5)))).not.toContain(i.target.uscc);
          }
        }
        expect(load.size).toBe(ROSTER);
        expect(Math.max(...load.values())).toBe(workloadCap);
        expect([...load.values()].filter((n) => n < workloadCap).length).toBeLessThanOrEqual(1);
        expect(plan.unassigned.length).toBeGreaterThan(0);
        // Drawn but unassigned is the plan's secret too while its inspections are pending.
        const seen = await showPlan({
          ctx: p.ctx({ id: 'anyone', role: 'public' }, 'read'),
          input: { id: plan.id },
          deps: deps(),
        });
        expect(seen.unassigned).toEqual([]);
        expect(seen.seed).toBeNull();
        // Class D is assigned before anything else (draw.ts, step 4).
        const d = plan.per_class.find((c) => c.class === 'D')!.drawn;
        expect(
          plan.inspections.slice(0, Math.min(d, plan.inspections.length)).every((i) => i.class === 'D'),
        ).toBe(true);
      });

      it('re-runs identically from the inputs the plan kept', async () => {
        const v = await verifyStoredPlan({
          ctx: p.ctx(operator, 'verify'),
          input: { id: plan.id },
          deps: deps(),
        });
        expect(v).toEqual({ identical: true, differences: [] });
      });
    },
  );
}
