/**
 * Risk-based random inspections over HTTP, on both backends: a regulator's plan draws each class
 * within its ratio band, never a person and never an inspector for an organization it declared a
 * conflict with; targets stay hidden from the public and from other inspectors until done; the
 * draw re-runs identically from its published inputs, and a changed class or seed changes it; an
 * outcome becomes a record that changes the organization's score, and its result is published.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { issueToken } from '../access/index.ts';
import { fixedClock } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { classify, type DrawInput, verifyStoredPlan } from '../supervision/index.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const org = (k: number) => makeUscc('9', '1', '110105', String(20_000_000 + k));
const ORGS = 300;
const RISKY = 60;
const TWO = 40;
/** The organization the n-th warning is for: three each for the risky ones, two each for the next. */
const who = (n: number) => (n < RISKY * 3 ? n % RISKY : RISKY + ((n - RISKY * 3) % TWO));

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('inspections', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    const op = { id: 'operator:test', role: 'operator' } as const;
    const tokens: Record<string, string> = {};
    let planId = 0;
    let plan: {
      seed: string;
      per_class: { class: string; population: number; drawn: number }[];
      inspections: { id: number; target: { uscc: string; kind: string }; inspectors: string[] }[];
    };
    const call = callerOf(() => app);

    beforeAll(async () => {
      const o = await backend.open({ clock: fixedClock('2026-11-02T09:00:00Z') });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: process.env.DEBUG_API ? { level: 'error' } : false });
      const ctx = p.ctx(op, 'test');
      await importSubjects({
        ctx,
        input: {
          lines: [
            ...Array.from({ length: ORGS }, (_, k) => ({
              kind: 'organization',
              uscc: org(k),
              name: `企业${k}`,
            })),
            { kind: 'person', id_number: makeResidentId('110105', '1980-01-01', 7), name: '个人' },
          ].map((value, i) => ({ line: i + 1, value })),
        },
      });
      tokens.operator = (
        await issueToken({ ctx, input: { role: 'operator', label: 'regulator desk' } })
      ).token;
      const reg = await call('POST', '/v1/sources', tokens.operator, {
        code: 'samr',
        kind: 'market_regulator',
      });
      expect(reg.status, reg.text).toBe(201);
      // Three recent warnings each for the risky ones: class C.
      await ingestRecords({
        ctx: p.ctx({ id: 'source:samr', role: 'source', ref: 'samr' }, 'test'),
        input: {
          source: 'samr',
          catalogue: p.catalogue,
          // Then two warnings each for the next TWO organizations: still class B.
          lines: Array.from({ length: RISKY * 3 + TWO * 2 }, (_, n) => ({
            line: n + 1,
            value: {
              source_record_id: `w-${n}`,
              type: 'market.administrative_warning',
              subject: { kind: 'organization', uscc: org(who(n)), name: `企业${who(n)}` },
              occurred_at: `2026-0${1 + (n % 9)}-10`,
              decided_at: `2026-0${1 + (n % 9)}-12`,
              evidence: `警告〔2026〕${n}号`,
            },
          })),
          afterBatch: async (ids) => {
            await p.refreshSubjects(ctx, ids);
          },
        },
      });
      for (let k = 0; k < 6; k++) {
        const code = `insp-${k}`;
        // Inspector 0 declared a conflict with every risky organization.
        const r = await call('POST', '/v1/inspections/inspectors', tokens.operator, {
          code,
          regulator: 'samr',
          conflicts: k === 0 ? Array.from({ length: RISKY }, (_, j) => org(j)) : [],
        });
        expect(r.status, r.text).toBe(201);
        tokens[code] = (
          await issueToken({ ctx, input: { role: 'inspector', label: code, ref: code } })
        ).token;
      }
    }, 120_000);
    afterAll(() => cleanup?.());

    it('draws each class within its band, never a person, never a conflicted inspector', async () => {
      const r = await call('POST', '/v1/inspections/plans', tokens.operator, {
        regulator: 'samr',
        period: '2026-Q4',
      });
      expect(r.status, r.text).toBe(201);
      plan = r.body;
      planId = r.body.id;
      expect(r.body.seed).toMatch(/^[0-9a-f]{64}$/);
      expect(r.body.seed_origin).toMatch(/signed audit head/);
      const bands = p.supervisionPolicy.ratios;
      const classes = plan.per_class.filter((c) => c.population > 0).map((c) => c.class);
      expect(classes).toEqual(expect.arrayContaining(['B', 'C']));
      for (const c of plan.per_class) {
        if (c.population === 0) continue;
        const band = bands[c.class as 'A' | 'B' | 'C' | 'D'];
        expect(c.drawn / c.population).toBeGreaterThanOrEqual(band.min);
        expect(c.drawn / c.population).toBeLessThanOrEqual(band.max);
      }
      expect(plan.inspections.length).toBeGreaterThan(0);
      for (const i of plan.inspections) {
        expect(i.target.kind).not.toBe('person');
        expect(i.inspectors).toHaveLength(2);
      }
      const risky = new Set(Array.from({ length: RISKY }, (_, j) => org(j)));
      for (const i of plan.inspections)
        if (risky.has(i.target.uscc)) expect(i.inspectors).not.toContain('insp-0');
      // A second plan for the same period is refused.
      expect(
        (
          await call('POST', '/v1/inspections/plans', tokens.operator, {
            regulator: 'samr',
            period: '2026-Q4',
          })
        ).status,
      ).toBe(409);
    });

    it('hides targets from the public and from other inspectors until the inspection is done', async () => {
      const pub = await call('GET', `/v1/inspections/plans/${planId}`, undefined);
      expect(pub.status).toBe(200);
      expect(pub.body.inspections).toEqual([]);
      expect(pub.body.targets_hash).toMatch(/^[0-9a-f]{64}$/);
      // With the seed and the inputs anyone could compute the targets: not before they are done.
      expect(pub.body.seed).toBeNull();
      expect((await call('GET', '/v1/inspections/plans', undefined)).body.plans[0].seed).toBeNull();
      expect((await call('GET', `/v1/inspections/plans/${planId}/inputs`, undefined)).status).toBe(401);
      expect((await call('GET', `/v1/inspections/plans/${planId}/inputs`, tokens['insp-1'])).status).toBe(
        403,
      );
      const inputs = await call('GET', `/v1/inspections/plans/${planId}/inputs`, tokens.operator);
      expect(inputs.body.seed).toBe(plan.seed);
      const first = plan.inspections[0]!;
      const mine = await call('GET', `/v1/inspections/plans/${planId}`, tokens[first.inspectors[0]!]);
      expect(mine.body.inspections.length).toBeGreaterThan(0);
      for (const i of mine.body.inspections) expect(i.inspectors).toContain(first.inspectors[0]);
      expect((await call('GET', '/v1/inspections/published', undefined)).body.inspections).toEqual([]);
    });

    it('re-runs the draw identically from its published inputs; a changed class or seed changes it', async () => {
      const ok = await call('GET', `/v1/inspections/plans/${planId}/verify`, undefined);
      expect(ok.body).toEqual({ identical: true, differences: [] });
      const stored = (await p.store.inspections.getPlan(planId))!.inputs as DrawInput;
      const ctx = p.ctx(op, 'test');
      const deps = { policy: p.supervisionPolicy };
      const seed = await verifyStoredPlan({
        ctx,
        input: { id: planId, inputs: { ...stored, seed: 'ab'.repeat(32) } },
        deps,
      });
      expect(seed.identical).toBe(false);
      const target = stored.targets.find((t) => t.class === 'B')!;
      const changed = {
        ...stored,
        targets: stored.targets.map((t) => (t.id === target.id ? { ...t, class: 'D' as const } : t)),
      };
      const cls = await verifyStoredPlan({ ctx, input: { id: planId, inputs: changed }, deps });
      expect(cls.identical).toBe(false);
      expect(cls.differences.join(' ')).toMatch(/target/i);
    });

    it('an outcome becomes a record that changes the score, once, by an assigned inspector only; then it is published', async () => {
      const i = plan.inspections[0]!;
      const stranger = ['insp-0', 'insp-1', 'insp-2', 'insp-3', 'insp-4', 'insp-5'].find(
        (c) => !i.inspectors.includes(c),
      )!;
      expect(
        (await call('POST', `/v1/inspections/${i.id}/outcome`, tokens[stranger], { outcome: 'passed' }))
          .status,
      ).toBe(404);
      expect(
        (await call('POST', `/v1/inspections/${i.id}/outcome`, undefined, { outcome: 'passed' })).status,
      ).toBe(401);
      const before = await call('GET', `/v1/subjects/${i.target.uscc}/score`, tokens.operator);
      const done = await call('POST', `/v1/inspections/${i.id}/outcome`, tokens[i.inspectors[0]!], {
        outcome: 'penalty_referred',
      });
      expect(done.status, done.text).toBe(200);
      expect(done.body.outcome).toBe('penalty_referred');
      expect(
        (
          await call('POST', `/v1/inspections/${i.id}/outcome`, tokens[i.inspectors[1]!], {
            outcome: 'passed',
          })
        ).status,
      ).toBe(409);
      const after = await call('GET', `/v1/subjects/${i.target.uscc}/score`, tokens.operator);
      expect(after.status, after.text).toBe(200);
      expect(after.body.score).toBeLessThan(before.status === 200 ? before.body.score : 1000);
      expect(after.body.key_factors.map((f: { type: string }) => f.type)).toContain(
        'supervision.penalty_referred',
      );
      const published = await call('GET', '/v1/inspections/published', undefined);
      expect(published.body.inspections).toHaveLength(1);
      expect(published.body.inspections[0]).toMatchObject({
        id: i.id,
        outcome: 'penalty_referred',
        target: { uscc: i.target.uscc },
      });
      expect(published.text).not.toContain('insp-');
      const pub = await call('GET', `/v1/inspections/plans/${planId}`, undefined);
      expect(pub.body.inspections.map((x: { id: number }) => x.id)).toEqual([i.id]);
      // The published outcome cannot turn into another through its record: a correction of its
      // type is refused, naming the inspection.
      const day = (done.body.outcome_at as string).slice(0, 10);
      const turned = await call('POST', '/v1/records?source=samr', tokens.operator, [
        {
          action: 'correct',
          source_record_id: `inspection:${i.id}`,
          type: 'supervision.inspection_passed',
          subject: { kind: i.target.kind, uscc: i.target.uscc, name: (i.target as { name?: string }).name },
          occurred_at: day,
          decided_at: day,
          evidence: `inspection ${i.id} of plan ${planId}`,
          reason: 'entered wrongly',
        },
      ]);
      expect(turned.status, turned.text).toBe(200);
      expect(turned.body.results[0]).toMatchObject({ status: 'rejected', field: 'type' });
      expect(turned.body.results[0].reason).toContain(`inspection ${i.id}'s outcome`);
    });

    it("an outcome moves the organization's class: a third negative record in a year makes it C", async () => {
      // A plan drawn with an entered seed, so the test is the same every run.
      const r = await call('POST', '/v1/inspections/plans', tokens.operator, {
        regulator: 'samr',
        period: '2027-Q1',
        seed: 'cd'.repeat(32),
      });
      expect(r.status, r.text).toBe(201);
      expect(r.body.seed_origin).toMatch(/entered by the operator/);
      const twoWarnings = new Set(Array.from({ length: TWO }, (_, j) => org(RISKY + j)));
      const i = (r.body.inspections as { id: number; target: { uscc: string }; class: string }[]).find((x) =>
        twoWarnings.has(x.target.uscc),
      )!;
      expect(i, 'one of the organizations with two warnings is drawn').toBeDefined();
      expect(i.class).toBe('B');
      const deps = {
        policy: p.supervisionPolicy,
        catalogue: p.catalogue,
        lists: p.lists,
        scoringPolicy: p.scoringPolicy,
      };
      const done = await call('POST', `/v1/inspections/${i.id}/outcome`, tokens.operator, {
        outcome: 'ordered_corrected',
      });
      expect(done.status, done.text).toBe(200);
      const now = (await classify(p.ctx(op, 'test'), deps)).find((c) => c.identifier === i.target.uscc)!;
      expect(now.negativeRecent).toBe(3);
      expect(now.class).toBe('C');
    });

    it('leaves a red-listed organization out of the draw, and inspects it only on a complaint', async () => {
      const ctx = p.ctx(op, 'test');
      const TRUSTED = org(ORGS - 1);
      const tax = await call('POST', '/v1/sources', tokens.operator, { code: 'tax', kind: 'tax' });
      expect(tax.status, tax.text).toBe(201);
      await ingestRecords({
        ctx: p.ctx({ id: 'source:tax', role: 'source', ref: 'tax' }, 'test'),
        input: {
          source: 'tax',
          catalogue: p.catalogue,
          lines: [
            {
              line: 1,
              value: {
                source_record_id: 'a-grade-2026',
                type: 'tax.a_grade_taxpayer',
                subject: { kind: 'organization', uscc: TRUSTED, name: `企业${ORGS - 1}` },
                occurred_at: '2026-04-01',
                decided_at: '2026-04-01',
                evidence: '税务A级〔2026〕1号',
              },
            },
          ],
          afterBatch: async (ids) => {
            await p.refreshSubjects(ctx, ids);
          },
        },
      });
      const plan3 = await call('POST', '/v1/inspections/plans', tokens.operator, {
        regulator: 'samr',
        period: '2027-Q2',
        seed: 'ef'.repeat(32),
      });
      expect(plan3.status, plan3.text).toBe(201);
      expect(plan3.body.per_class.reduce((n: number, c: { red_listed: number }) => n + c.red_listed, 0)).toBe(
        1,
      );
      expect(plan3.body.inspections.map((i: { target: { uscc: string } }) => i.target.uscc)).not.toContain(
        TRUSTED,
      );
      const short = await call('POST', `/v1/inspections/plans/${plan3.body.id}/complaints`, tokens.operator, {
        target: TRUSTED,
        complaint: 'short',
      });
      expect(short.status).toBe(400);
      // insp-5 declares a conflict with it now.
      expect(
        (
          await call('POST', '/v1/inspections/inspectors', tokens.operator, {
            code: 'insp-5',
            regulator: 'samr',
            conflicts: [TRUSTED],
          })
        ).status,
      ).toBe(200);
      const made = await call('POST', `/v1/inspections/plans/${plan3.body.id}/complaints`, tokens.operator, {
        target: TRUSTED,
        complaint: 'A customer reports expired food on the shelves (hotline 12315, case 2027-0042).',
      });
      expect(made.status, made.text).toBe(201);
      expect(made.body).toMatchObject({ on_complaint: true, target: { uscc: TRUSTED } });
      expect(made.body.inspectors).toHaveLength(2);
      expect(made.body.inspectors).not.toContain('insp-5');
      const again = await call('POST', `/v1/inspections/plans/${plan3.body.id}/complaints`, tokens.operator, {
        target: TRUSTED,
        complaint: 'The same complaint a second time, again.',
      });
      expect(again.status).toBe(409);
      // A person is never inspected, not even on a complaint.
      const person = await call(
        'POST',
        `/v1/inspections/plans/${plan3.body.id}/complaints`,
        tokens.operator,
        {
          target: makeResidentId('110105', '1980-01-01', 7),
          complaint: 'A complaint naming a person, not a business.',
        },
      );
      expect(person.status).toBe(404);
      // Unannounced like any other: the public does not see it.
      const pub = await call('GET', `/v1/inspections/plans/${plan3.body.id}`, undefined);
      expect(pub.body.inspections).toEqual([]);
    });

    it('updates an inspector already on the roster with what is given only, and says what it held', async () => {
      const put = (body: object) =>
        call('POST', '/v1/inspections/inspectors', tokens.operator, {
          code: 'insp-r',
          regulator: 'samr',
          ...body,
        });
      const added = await put({ name: 'Inspector R', conflicts: [org(1), org(2)] });
      expect(added.status, added.text).toBe(201);
      expect(added.body).toEqual({
        code: 'insp-r',
        regulator: 'samr',
        name: 'Inspector R',
        conflicts: [org(1), org(2)].sort(),
        change: 'added',
      });
      // Sent again without its name and conflicts: both kept, so the draw still keeps it away.
      const again = await put({});
      expect(again.status, again.text).toBe(200);
      expect(again.body).toMatchObject({
        name: 'Inspector R',
        conflicts: [org(1), org(2)].sort(),
        change: 'unchanged',
      });
      const renamed = await put({ name: 'Inspector R. Wang' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({
        code: 'insp-r',
        regulator: 'samr',
        name: 'Inspector R. Wang',
        conflicts: [org(1), org(2)].sort(),
        change: 'updated',
        previous: { name: 'Inspector R', conflicts: [org(1), org(2)].sort() },
      });
      // Cleared only when said.
      const cleared = await put({ conflicts: [] });
      expect(cleared.body).toMatchObject({ name: 'Inspector R. Wang', conflicts: [], change: 'updated' });
      const stored = (await p.store.inspections.listInspectors('samr')).find((i) => i.code === 'insp-r');
      expect(stored).toMatchObject({ name: 'Inspector R. Wang', conflicts: [] });
    });

    // Last: it withdraws the regulator.
    it('a withdrawn regulator records no outcome and draws no plan: 409 naming it and the day; the inspection stays open, no record is written', async () => {
      const i = plan.inspections[1]!;
      const inspector = tokens[i.inspectors[0]!]!;
      expect((await call('POST', '/v1/sources/samr/revoke', tokens.operator)).status).toBe(200);
      const records = async () => (await call('GET', '/v1/stats', tokens.operator)).body.records as number;
      const before = await records();
      for (const who of [inspector, tokens.operator!]) {
        const r = await call('POST', `/v1/inspections/${i.id}/outcome`, who, { outcome: 'passed' });
        expect(r.status, r.text).toBe(409);
        expect(r.body.error.message).toBe(
          `source samr was withdrawn on 2026-11-02: its inspection ${i.id} takes no outcome until it is given a new credential (\`credence sources rotate samr\`)`,
        );
      }
      expect(await records()).toBe(before);
      const mine = (await call('GET', '/v1/inspections/mine', inspector)).body.inspections as {
        id: number;
        outcome: string | null;
      }[];
      expect(mine.find((x) => x.id === i.id)?.outcome).toBeNull();
      // Nor does it draw a new plan.
      const plans = async () =>
        (await call('GET', '/v1/inspections/plans', tokens.operator)).body.plans.length;
      const drawn = await plans();
      const next = await call('POST', '/v1/inspections/plans', tokens.operator, {
        regulator: 'samr',
        period: '2027-Q1',
      });
      expect(next.status, next.text).toBe(409);
      expect(next.body.error.message).toBe(
        'source samr was withdrawn on 2026-11-02: it draws no new plan until it is given a new credential (`credence sources rotate samr`)',
      );
      expect(await plans()).toBe(drawn);
    });
  });
}
