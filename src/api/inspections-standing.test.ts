/**
 * What inspections show follows the file as it stands on the day, on both backends, without
 * `credence maintain` having run:
 * - a published outcome is shown (marked contested while its record is under objection) only while
 *   its record stands: removed on objection, it leaves the published list, the organization's
 *   public page and the public view of its plan (product rules 6 and 7);
 * - a plan drawn on a day classes an organization by the list entries in force that day: a black
 *   listing that expired no longer puts it in class D, a focus listing whose grace period ended
 *   puts it in class C;
 * - a direct grade that lapsed (a court listing's D after five years) no longer classes the
 *   organization nor shows on its public page, though the stored score still says D;
 * - a negative record under objection counts toward "three negative records in 12 months" only
 *   where its type keeps counting while disputed (a platform's report does not, a regulator's
 *   warning does), as the scorer counts it.
 * Each drawn plan still re-runs identically from its inputs.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { issueToken } from '../access/index.ts';
import type { Clock, Principal } from '../context.ts';
import { makeUscc } from '../identity/index.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const org = (k: number) => makeUscc('9', '1', '110105', String(50_000_000 + k));
const ORGS = 20;
/** Its inspection outcome is removed on objection. */
const INSPECTED = org(0);
/** A black listing for serious tax evasion decided 2023-03-06: three years, ended 2026-03-06. */
const EXPIRED = org(1);
/** Two market penalties in 2025: the focus list after a 15-day grace period, from 2026-01-04. */
const FOCUSED = org(2);
/** Three platform reports of fraudulent sales (counted only while undisputed), one contested. */
const REPORTED = org(3);
/** Three regulator's warnings (binding while disputed), one contested. */
const WARNED = org(4);
/** Graded D by a court listing decided 2021-03-01: the grade lapsed on 2026-03-01. */
const LAPSED = org(5);
const operator: Principal = { id: 'operator:test', role: 'operator' };
const INSPECTORS = ['insp-a', 'insp-b', 'insp-c', 'insp-d'];

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(
    suiteTitle('inspections follow the file on the day', backend),
    () => {
      let p: Platform;
      let app: FastifyInstance;
      let cleanup: () => Promise<void>;
      let now = '2023-03-06T02:00:00Z';
      const clock: Clock = { now: () => new Date(now) };
      const call = callerOf(() => app);
      const ctx = (purpose = 'test') => p.ctx(operator, purpose);
      const token = async (role: 'operator' | 'inspector' | 'subject', ref?: string) =>
        (
          await issueToken({
            ctx: ctx(),
            input: { role, label: `${role} ${ref ?? ''}`, ...(ref ? { ref } : {}) },
          })
        ).token;
      const ingest = async (source: string, lines: object[]) => {
        const r = await ingestRecords({
          ctx: p.ctx({ id: `source:${source}`, role: 'source', ref: source }, 'test'),
          input: {
            source,
            catalogue: p.catalogue,
            lines: lines.map((value, i) => ({ line: i + 1, value })),
            afterBatch: async (ids) => {
              await p.refreshSubjects(ctx(), ids);
            },
          },
        });
        expect(r.rejected).toBe(0);
      };
      /** Draws a plan on the day; its classes as its inputs give them, and whether it re-runs identically. */
      const drawn = async (period: string) => {
        const op = await token('operator');
        const r = await call('POST', '/v1/inspections/plans', op, {
          regulator: 'samr',
          period,
          seed: 'ab'.repeat(32),
        });
        expect(r.status, r.text).toBe(201);
        const inputs = await call('GET', `/v1/inspections/plans/${r.body.id}/inputs`, op);
        expect(inputs.status, inputs.text).toBe(200);
        const classes = new Map<string, string>(
          (inputs.body.targets as { id: string; class: string }[]).map((t) => [t.id, t.class]),
        );
        const verify = await call('GET', `/v1/inspections/plans/${r.body.id}/verify`, op);
        expect(verify.body).toEqual({ identical: true, differences: [] });
        return { id: r.body.id as number, classes, body: r.body };
      };
      /** Files an objection to a record as its subject does; the objection's id. */
      const object = async (subject: string, recordId: number) => {
        const me = await token('subject', subject);
        const r = await call('POST', '/v1/me/objections', me, {
          record_id: recordId,
          reason: 'this record is not about us: we never made these sales',
          evidence: { text: 'order log attached' },
        });
        expect(r.status, r.text).toBe(201);
        return r.body.id as number;
      };
      const recordsOf = async (subject: string) => {
        const f = await call('GET', `/v1/subjects/${subject}`, await token('operator'));
        expect(f.status, f.text).toBe(200);
        return f.body.records as { id: number; type: string; status: string }[];
      };

      beforeAll(async () => {
        ({ platform: p, cleanup } = await backend.open({ clock }));
        app = await buildApp(p, { logger: false });
        await importSubjects({
          ctx: ctx(),
          input: {
            lines: Array.from({ length: ORGS }, (_, k) => ({
              line: k + 1,
              value: { kind: 'organization', uscc: org(k), name: `企业${k}` },
            })),
          },
        });
        for (const [code, kind] of [
          ['court', 'court'],
          ['samr', 'market_regulator'],
          ['tax', 'tax'],
          ['shop', 'ecommerce'],
        ] as const)
          await registerSource({
            ctx: ctx(),
            catalogue: p.catalogue,
            input: { code, kind, name: code, legalBasis: 'test' },
          });
        await ingest('tax', [
          {
            source_record_id: 't-1',
            type: 'tax.serious_evasion',
            subject: { kind: 'organization', uscc: EXPIRED, name: '企业1' },
            occurred_at: '2023-02-01',
            decided_at: '2023-03-06',
            amount: 5_000_000,
            evidence: '京税稽罚〔2023〕1号',
          },
        ]);
        await ingest('court', [
          {
            source_record_id: 'c-1',
            type: 'court.judgment_defaulter',
            subject: { kind: 'organization', uscc: LAPSED, name: '企业5' },
            occurred_at: '2021-01-10',
            decided_at: '2021-03-01',
            amount: 800_000,
            evidence: '(2021)京0105执9号',
          },
        ]);
        now = '2025-12-20T02:00:00Z';
        await ingest(
          'samr',
          ['2025-11-10', '2025-12-20'].map((day, k) => ({
            source_record_id: `p-${k}`,
            type: 'market.administrative_penalty',
            subject: { kind: 'organization', uscc: FOCUSED, name: '企业2' },
            occurred_at: day,
            decided_at: day,
            amount: 20_000,
            evidence: `京市监罚〔2025〕${k + 1}号`,
          })),
        );
        // The day of the plans. `credence maintain` has not run since.
        now = '2026-03-06T02:00:00Z';
        for (const code of INSPECTORS)
          expect(
            (
              await call('POST', '/v1/inspections/inspectors', await token('operator'), {
                code,
                regulator: 'samr',
              })
            ).status,
          ).toBe(201);
      }, 120_000);
      afterAll(async () => {
        await app?.close();
        await cleanup?.();
      });

      it('a plan drawn on the day classes by the listings in force that day, before maintain runs', async () => {
        const ids = [EXPIRED, FOCUSED].map(async (c) => (await p.store.findSubjectByIdentifier(c))!.id);
        const stored = await p.store.listListEntries(await Promise.all(ids));
        // As the store keeps them: maintain has not run since before either day.
        expect(stored.map((e) => [e.listCode, e.status, e.from, e.until]).sort()).toEqual([
          ['black.serious_tax_violations', 'active', '2023-03-06', '2026-03-06'],
          ['focus.abnormal_operation', 'pending', '2026-01-04', '2027-01-04'],
        ]);
        const { classes } = await drawn('2026-M03');
        // The tax listing ended on 2026-03-06, still marked active: no longer class D (70 %). The focus
        // listing took effect on 2026-01-04, still marked pending: class C.
        expect({ expired: classes.get(EXPIRED), focused: classes.get(FOCUSED) }).toEqual({
          expired: 'B',
          focused: 'C',
        });
        // The focus list ends with the correction of its violation: the warning names the cure and
        // the objection.
        const focused = (await p.store.findSubjectByIdentifier(FOCUSED))!.id;
        const warning = (await p.store.listNotifications(focused)).find((n) => n.kind === 'listing_warning');
        expect(warning?.message).toMatch(
          /takes effect on 2026-01-04 unless you perform the obligation or correct the violation before then; you may object to the records .* too/,
        );
      });

      it('a direct grade that lapsed before maintain ran neither classes nor shows the organization', async () => {
        const id = (await p.store.findSubjectByIdentifier(LAPSED))!.id;
        // As the store keeps it: graded D until 2026-03-01, not recomputed since.
        const [stored] = await p.store.listLatestScores([id], p.scoringPolicy.version);
        expect(stored!.grade).toMatch(/^D/);
        const { classes } = await drawn('2026-M03-lapsed');
        expect(classes.get(LAPSED)).toBe('B');
        const page = await call('GET', `/v1/public/organizations/${LAPSED}`, undefined);
        expect(page.status, page.text).toBe(200);
        expect(page.body.grade).not.toMatch(/^D/);
      });

      it('a disputed record counts toward class C only where its type keeps counting while disputed', async () => {
        await ingest(
          'shop',
          ['2026-01-01', '2026-02-01', '2026-03-01'].map((day, k) => ({
            source_record_id: `e-${k}`,
            type: 'ecommerce.fraudulent_sale',
            subject: { kind: 'organization', uscc: REPORTED, name: '企业3' },
            occurred_at: day,
            evidence: `平台处罚〔2026〕${k + 1}号`,
          })),
        );
        await ingest(
          'samr',
          ['2026-01-05', '2026-02-05', '2026-03-05'].map((day, k) => ({
            source_record_id: `w-${k}`,
            type: 'market.administrative_warning',
            subject: { kind: 'organization', uscc: WARNED, name: '企业4' },
            occurred_at: day,
            decided_at: day,
            evidence: `京市监警〔2026〕${k + 1}号`,
          })),
        );
        const before = await drawn('2026-M03-b');
        expect(before.classes.get(REPORTED)).toBe('C');
        expect(before.classes.get(WARNED)).toBe('C');
        for (const subject of [REPORTED, WARNED]) await object(subject, (await recordsOf(subject))[0]!.id);
        expect((await recordsOf(REPORTED)).map((r) => r.status).sort()).toEqual([
          'active',
          'active',
          'disputed',
        ]);
        const after = await drawn('2026-M03-c');
        // A platform's report stops counting until the objection is decided: two records, class B.
        expect(after.classes.get(REPORTED)).toBe('B');
        // A regulator's warning binds while disputed: still three, class C.
        expect(after.classes.get(WARNED)).toBe('C');
      });

      it('a published outcome is shown while its record stands, contested while disputed, and no longer once removed', async () => {
        const op = await token('operator');
        const plan = await drawn('2026-M03-d');
        let inspection = (
          plan.body.inspections as { id: number; target: { uscc: string }; inspectors: string[] }[]
        ).find((i) => i.target.uscc === INSPECTED);
        if (!inspection) {
          const made = await call('POST', `/v1/inspections/plans/${plan.id}/complaints`, op, {
            target: INSPECTED,
            complaint: 'A customer reports mislabelled goods (hotline 12315, case 2026-0306).',
          });
          expect(made.status, made.text).toBe(201);
          inspection = made.body;
        }
        const { id } = inspection!;
        const inspector = await token('inspector', inspection!.inspectors[0]!);
        const done = await call('POST', `/v1/inspections/${id}/outcome`, inspector, {
          outcome: 'penalty_referred',
        });
        expect(done.status, done.text).toBe(200);

        /** What the public sees of this inspection: the published list, the organization's page, the plan. */
        const seen = async () => {
          const list = await call('GET', '/v1/inspections/published', undefined);
          const page = await call('GET', `/v1/public/organizations/${INSPECTED}`, undefined);
          const shown = await call('GET', `/v1/inspections/plans/${plan.id}`, undefined);
          expect([list.status, page.status, shown.status]).toEqual([200, 200, 200]);
          return {
            list: (list.body.inspections as { id: number }[]).filter((i) => i.id === id),
            page: page.body.inspections as { id: number }[],
            plan: (shown.body.inspections as { id: number }[]).filter((i) => i.id === id),
          };
        };
        const published = await seen();
        expect(published.list).toEqual([
          expect.objectContaining({ outcome: 'penalty_referred', contested: false }),
        ]);
        expect(published.page).toEqual([
          expect.objectContaining({ id, outcome: 'penalty_referred', contested: false }),
        ]);
        expect(published.plan).toHaveLength(1);

        const record = (await recordsOf(INSPECTED)).find((r) => r.type === 'supervision.penalty_referred')!;
        const objection = await object(INSPECTED, record.id);
        // Under objection it still binds (the type counts while disputed): shown, marked contested.
        const contested = await seen();
        expect(contested.list).toEqual([
          expect.objectContaining({ outcome: 'penalty_referred', contested: true }),
        ]);
        expect(contested.page).toEqual([expect.objectContaining({ id, contested: true })]);

        const decided = await call('POST', `/v1/objections/${objection}/decision`, op, {
          outcome: 'record_removed',
          reasons: 'the inspector entered the outcome on the wrong organization',
        });
        expect(decided.status, decided.text).toBe(200);
        expect((await recordsOf(INSPECTED)).find((r) => r.id === record.id)!.status).toBe('withdrawn');
        const removed = await seen();
        expect(removed).toEqual({ list: [], page: [], plan: [] });
        // The operator still sees the inspection done, no longer published.
        const own = await call('GET', `/v1/inspections/plans/${plan.id}`, op);
        expect(own.body.inspections.find((i: { id: number }) => i.id === id)).toMatchObject({
          outcome: 'penalty_referred',
          published_at: null,
        });
        expect((await call('GET', `/v1/inspections/plans/${plan.id}/verify`, undefined)).body.identical).toBe(
          true,
        );
      });
    },
  );
}
