/**
 * The operator console's API on both backends: the dashboard's counts match what was ingested
 * (records per day and source kind, grades, list sizes at month ends), the objections due lead
 * with the overdue and their reads land on the subjects' trails; only operators and auditors get
 * in; the policy check returns each file's findings; verifying the audit log is kept and finds a
 * tampered entry by its leaf index; sources and relying parties show their use today.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import { issueToken } from '../access/index.ts';
import { AUDIT_SEQUENCER, cutAuditHead } from '../audit/index.ts';
import type { Clock } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const person = (k: number) => makeResidentId('360426', `1980-0${1 + k}-1${k}`, 40 + k);
const [EARLY, LATE, C, D, E] = [0, 1, 2, 3, 4].map(person) as [string, string, string, string, string];

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('the console API', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-02-02T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const tokens: Record<string, string> = {};
    const objections: Record<string, number> = {};
    const call = callerOf(() => app);
    const dashboard = async (who = tokens.operator) => {
      const r = await call('GET', '/v1/console/dashboard', who);
      expect(r.status, r.text).toBe(200);
      return r.body;
    };

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false, web: false });
      const ctx = p.ctx({ id: 'operator:test', role: 'operator' }, 'test');
      const issue = async (role: 'operator' | 'auditor' | 'subject', ref?: string) =>
        (await issueToken({ ctx, input: { role, label: `${role} ${ref ?? ''}`, ...(ref ? { ref } : {}) } }))
          .token;
      tokens.operator = await issue('operator');
      tokens.auditor = await issue('auditor');
      // An organization known from the registry, never scored.
      await importSubjects({
        ctx,
        input: {
          lines: [
            {
              line: 1,
              value: { kind: 'organization', uscc: makeUscc('9', '1', '110105', '30000001'), name: '某公司' },
            },
          ],
        },
      });
      const feed = await courtFeed(p, 'court-console');
      // Two records on 2 February, an objection to the first then; a month and a half later three
      // more records and an objection to the second.
      await feed([defaulterRecord('c-0', EARLY, '早'), defaulterRecord('c-1', LATE, '晚')]);
      for (const id of [EARLY, LATE]) tokens[id] = await issue('subject', id);
      const file = async (id: string) => {
        const rec = (
          await p.store.listRecordsForSubject((await p.store.findSubjectByIdentifier(id))!.id)
        )[0]!;
        const r = await call('POST', '/v1/me/objections', tokens[id], { record_id: rec.id, reason: 'paid' });
        expect(r.status, r.text).toBe(201);
        objections[id] = r.body.id;
      };
      await file(EARLY);
      now = new Date('2026-03-20T09:00:00Z');
      await feed([defaulterRecord('c-2', C), defaulterRecord('c-3', D), defaulterRecord('c-4', E)]);
      await file(LATE);
      const rp = await call('POST', '/v1/relying-parties', tokens.operator, {
        code: 'air-console',
        kind: 'airline',
        purposes: ['test'],
      });
      expect(rp.status, rp.text).toBe(201);
      tokens.relying_party = rp.body.token;
    }, 120_000);
    afterAll(() => cleanup?.());

    it('counts the records ingested per day and source kind, the grades and the list sizes', async () => {
      const d = await dashboard();
      expect(d.as_of).toBe('2026-03-20');
      expect(d.ingest_from).toBe('2025-12-21');
      expect(d.ingest).toEqual([
        { day: '2026-02-02', source_kind: 'court', count: 2 },
        { day: '2026-03-20', source_kind: 'court', count: 3 },
      ]);
      const persons = Object.values(d.grades.person as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(persons).toBe(5);
      expect(d.grades.organization).toEqual({});
      expect(d.unscored).toEqual({ person: 0, organization: 1, public_body: 0 });
      // The defaulters were listed from their decision on 2025-06-01: none at the end of May.
      const at = (month: string) =>
        d.list_sizes.months.find(
          (m: { month: string; list: string }) => m.month === month && m.list === 'black.court_defaulters',
        );
      expect(at('2025-05')).toEqual({
        month: '2025-05',
        day: '2025-05-31',
        list: 'black.court_defaulters',
        count: 0,
      });
      expect(at('2025-06')?.count).toBe(5);
      expect(at('2026-02')?.count).toBe(5);
      expect(at('2025-02')).toBeUndefined(); // twelve month ends: March 2025 to February 2026
      expect(new Set(d.list_sizes.months.map((m: { day: string }) => m.day)).size).toBe(12);
      expect(d.list_sizes.current).toContainEqual(
        expect.objectContaining({ list: 'black.court_defaulters', kind: 'black', count: 5 }),
      );
      expect(d.held_ratings).toEqual({ pending: 0, oldest: [] });
      expect(d.inspections).toEqual([]);
      expect(d.repairs_due).toEqual({ total: 0, overdue: 0, items: [] });
      // Never verified yet on this database.
      expect(
        (await call('GET', '/v1/console/audit-status', tokens.auditor)).body.last_verification,
      ).toBeNull();
    });

    it('lists the objections due with the overdue first, and puts the read on each subject’s trail', async () => {
      const d = await dashboard(tokens.auditor);
      expect(d.objections_due.total).toBe(2);
      expect(d.objections_due.overdue).toBe(1);
      expect(d.objections_due.items).toEqual([
        {
          id: objections[EARLY],
          status: 'pending',
          subject: { identifier: EARLY, name: '早' },
          filed_at: '2026-02-02T09:00:00.000Z',
          due: expect.stringMatching(/^2026-0[23]-\d\d$/),
          overdue: true,
        },
        {
          id: objections[LATE],
          status: 'pending',
          subject: { identifier: LATE, name: '晚' },
          filed_at: '2026-03-20T09:00:00.000Z',
          due: expect.stringMatching(/^2026-04-\d\d$/),
          overdue: false,
        },
      ]);
      for (const id of [EARLY, LATE]) {
        const trail = await p.store.listAuditForSubject((await p.store.findSubjectByIdentifier(id))!.id, 50);
        expect(trail.map((e) => e.action)).toContain('objection.read');
      }
      // The counts name no one: one entry without a subject says who looked and why.
      const reads = await rawDb(p)
        .selectFrom('audit_log as l')
        .innerJoin('audit_contexts as c', 'c.id', 'l.context_id')
        .select(['l.subject_id', 'c.role', 'c.purpose'])
        .where('l.action', '=', 'console.dashboard.read')
        .execute();
      expect(reads).toContainEqual({ subject_id: null, role: 'auditor', purpose: 'test' });
    });

    it('lets in operators and auditors only', async () => {
      for (const [method, url] of [
        ['GET', '/v1/console/dashboard'],
        ['GET', '/v1/console/policy-check'],
        ['GET', '/v1/console/audit-status'],
        ['POST', '/v1/console/audit-verify'],
      ] as const) {
        expect((await call(method, url, undefined)).status, `public ${url}`).toBe(401);
        expect((await call(method, url, tokens[EARLY])).status, `subject ${url}`).toBe(403);
        expect((await call(method, url, tokens.relying_party)).status, `relying party ${url}`).toBe(403);
        expect((await call(method, url, tokens.auditor)).status, `auditor ${url}`).toBe(200);
      }
    });

    it('returns the policy check’s findings per file, and proportionality under a profile', async () => {
      const r = await call('GET', '/v1/console/policy-check', tokens.operator);
      expect(r.body).toMatchObject({
        ok: true,
        profile: 'cn',
        proportionality: { checked: true, ok: true, errors: 0 },
      });
      expect(r.body.files.map((f: { kind: string }) => f.kind)).toEqual([
        'catalogue',
        'scoring',
        'lists',
        'measures',
        'calendar',
        'due-process',
        'ratings',
        'supervision',
      ]);
      expect(r.body.files[0]).toMatchObject({
        file: 'policies/catalogue.yaml',
        ok: true,
        summary: expect.stringMatching(/^catalogue .* is valid: \d+ record types$/),
        errors: [],
      });
      const eu = await call('GET', '/v1/console/policy-check?profile=eu', tokens.auditor);
      expect(eu.body).toMatchObject({ ok: false, profile: 'eu', proportionality: { ok: false } });
      const measures = eu.body.files.find((f: { kind: string }) => f.kind === 'measures');
      expect(measures.ok).toBe(false);
      expect(measures.errors[0]).toMatchObject({
        path: expect.stringMatching(/^measures\[\d+\]/),
        message: expect.stringMatching(/forbidden under profile eu/),
      });
      expect((await call('GET', '/v1/console/policy-check?profile=nowhere', tokens.operator)).status).toBe(
        400,
      );
    });

    it('keeps each verification of the audit log, and names the leaf of a tampered entry', async () => {
      const head = (await cutAuditHead({ ctx: p.ctx(AUDIT_SEQUENCER, 'cut'), deps: p.audit }))!;
      const ok = await call('POST', '/v1/console/audit-verify', tokens.auditor);
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body).toMatchObject({
        ok: true,
        tree_size: head.tree_size,
        root: head.root_hash,
        first_bad_index: null,
        at: '2026-03-20T09:00:00.000Z',
      });
      const status = await call('GET', '/v1/console/audit-status', tokens.operator);
      expect(status.body).toEqual({
        head: expect.objectContaining({ tree_size: head.tree_size, root_hash: head.root_hash }),
        last_verification: ok.body,
      });

      const db = rawDb(p);
      const leaf = 5;
      const row = await db
        .selectFrom('audit_log')
        .select(['seq', 'detail'])
        .where('leaf_index', '=', leaf)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('audit_log')
        .set({ detail: '{"forged":true}' })
        .where('seq', '=', row.seq)
        .execute();
      now = new Date('2026-03-20T10:00:00Z');
      const broken = await call('POST', '/v1/console/audit-verify', tokens.operator);
      expect(broken.body).toMatchObject({
        ok: false,
        first_bad_index: leaf,
        root: null,
        reason: expect.stringContaining(`leaf ${leaf}`),
        at: '2026-03-20T10:00:00.000Z',
      });
      expect((await call('GET', '/v1/console/audit-status', tokens.auditor)).body.last_verification).toEqual(
        broken.body,
      );
      await db.updateTable('audit_log').set({ detail: row.detail }).where('seq', '=', row.seq).execute();
      expect((await call('POST', '/v1/console/audit-verify', tokens.operator)).body.ok).toBe(true);
    });

    it('shows the records each source sent today and the checks each relying party made', async () => {
      const sources = await call('GET', '/v1/sources', tokens.auditor);
      expect(sources.body.sources).toContainEqual(
        expect.objectContaining({ code: 'court-console', kind: 'court', records_today: 3 }),
      );
      const check = await call(
        'GET',
        `/v1/checks?subject=${C}&measure=restrict.air_travel`,
        tokens.relying_party,
      );
      expect(check.status, check.text).toBe(200);
      const rps = await call('GET', '/v1/relying-parties', tokens.auditor);
      expect(rps.status, rps.text).toBe(200);
      expect(rps.body.relying_parties).toContainEqual(
        expect.objectContaining({ code: 'air-console', daily_quota: 100_000, used_today: 1 }),
      );
      expect((await call('GET', '/v1/relying-parties', tokens.relying_party)).status).toBe(403);
    });
  });
}
