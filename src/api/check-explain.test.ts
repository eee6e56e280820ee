/**
 * A logged check explained and recomputed (product rule 5): its answer names the policy versions
 * and legal basis it was given under, the log keeps them, and `GET /v1/checks/{check_id}` recomputes
 * it as of its instant — under the lists policy in force then, from the records as known then —
 * for auditors and for the subject checked, never for a relying party.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { auditEntriesOf, logChecks } from '../../test/store-fixtures.ts';
import { issueToken } from '../access/index.ts';
import type { Clock } from '../context.ts';
import { DEFAULT_LISTS_PATH, listsPolicyInForce, recomputeAllLists } from '../lists/index.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import { scoringPolicyAt } from '../scoring/index.ts';
import { checkIdOf, newCheckKey } from '../store/index.ts';
import { buildApp } from './app.ts';
import { bearer, personRecord, registerSource, type TestApp, tokenFor } from './test-app.ts';

/** Listed by a judgment defaulter's record decided 2025-06-01 (a 24-month term). */
const LISTED = '360426199101010071';
/** Listed too, until its record is withdrawn. */
const WITHDRAWN = '11010519491231002X';
const MEASURE = 'restrict.high_speed_rail';

/** The lists policy with the court list's term cut to 6 months: under it, both listings ended by 2025-12-01. */
const shorterTermLists = (): string => {
  const text = readFileSync(DEFAULT_LISTS_PATH, 'utf8');
  const changed = text.replace(
    /(code: black\.court_defaulters[\s\S]*?duration_months: )24/,
    (_m, head: string) => `${head}6`,
  );
  if (changed === text) throw new Error('the court list’s term was not found in the lists policy');
  const file = join(tmpdir(), `credence-lists-${process.pid}-${Date.now()}.yaml`);
  writeFileSync(file, changed);
  return file;
};

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('explaining a logged check', backend), () => {
    let now = new Date('2026-03-01T09:00:00Z');
    const clock: Clock = { now: () => now };
    let first: {
      platform: Platform;
      cleanup: () => Promise<void>;
      another: (o?: object) => Promise<Platform>;
    };
    let app: FastifyInstance;
    let t: TestApp;
    let rail: string;
    let court: string;
    let auditor: string;
    const single = (subject: string) =>
      app.inject({
        url: `/v1/checks?subject=${subject}&measure=${MEASURE}`,
        headers: bearer(rail, { 'x-purpose': 'ticket_sale' }),
      });
    const explain = (a: FastifyInstance, checkId: string, token: string, purpose = true) =>
      a.inject({
        url: `/v1/checks/${checkId}`,
        headers: bearer(token, purpose ? { 'x-purpose': 'complaint review' } : {}),
      });
    /** Logs one check of LISTED by the railway straight into the check log, as a turn of it would. */
    const logRailCheck = async (c: {
      checkId: string;
      at: string;
      applies: boolean;
      reasonCode: string;
      checkKey?: string;
      policies?: { measures: string; lists: string };
    }) => {
      const subject = await first.platform.store.findSubjectByIdentifier(LISTED);
      const { checkId, at, applies, reasonCode, ...keyed } = c;
      await logChecks(first.platform.store, {
        actor: {
          actor: 'relying_party:rail-x',
          role: 'relying_party',
          purpose: 'ticket_sale',
          requestId: null,
        },
        at,
        rows: [{ checkId, subjectId: subject!.id, subject: LISTED, measure: MEASURE, applies, reasonCode }],
        ...keyed,
      });
    };
    /** Check IDs logged, by name: before the withdrawal, after it. */
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      first = await backend.open({ clock });
      app = await buildApp(first.platform, { logger: false });
      const { token } = await issueToken({
        ctx: first.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
        input: { role: 'operator', label: 'test' },
      });
      t = { app, platform: first.platform, operator: token, close: async () => {} };
      court = await registerSource(t, 'court-x', 'court');
      const posted = await app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [personRecord(LISTED), personRecord(WITHDRAWN)],
      });
      expect(posted.json()).toMatchObject({ accepted: 2 });
      const rp = await app.inject({
        method: 'POST',
        url: '/v1/relying-parties',
        headers: bearer(token),
        payload: { code: 'rail-x', kind: 'railway', purposes: ['ticket_sale'] },
      });
      rail = rp.json().token;
      auditor = await tokenFor(t, 'auditor');

      now = new Date('2026-03-01T10:00:00Z');
      ids.listed = (await single(LISTED)).json().check_id;
      const before = (await single(WITHDRAWN)).json();
      expect(before.applies).toBe(true);
      ids.before = before.check_id;
      // The court withdraws the record an hour later: the next check no longer applies.
      now = new Date('2026-03-01T11:00:00Z');
      const withdrawn = await app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [
          { action: 'withdraw', source_record_id: `case-${WITHDRAWN}`, reason: 'judgment set aside' },
        ],
      });
      expect(withdrawn.statusCode).toBe(200);
      now = new Date('2026-03-01T12:00:00Z');
      const after = (await single(WITHDRAWN)).json();
      expect(after.applies).toBe(false);
      ids.after = after.check_id;
    });
    afterAll(async () => {
      await app?.close();
      await first?.cleanup();
    });

    it('names the policy versions and the legal basis of an answer, and keeps the versions in the check log', async () => {
      const a = (await single(LISTED)).json();
      expect(a.basis).toEqual({
        legal_basis: first.platform.measures.byCode.get(MEASURE)!.legalBasis,
        measures_policy_version: first.platform.measures.version,
        lists_policy_version: first.platform.lists.version,
      });
      const logged = await first.platform.store.findCheck(a.check_id);
      expect(logged).toMatchObject({
        checkId: a.check_id,
        measure: MEASURE,
        applies: true,
        purpose: 'ticket_sale',
        policies: { measures: first.platform.measures.version, lists: first.platform.lists.version },
      });
    });

    it('explains a check with the records as known then: one whose record was withdrawn since still agrees', async () => {
      const res = await explain(app, ids.before!, auditor);
      expect(res.statusCode).toBe(200);
      const x = res.json();
      expect(x.check).toMatchObject({
        check_id: ids.before,
        subject: WITHDRAWN,
        at: '2026-03-01T10:00:00.000Z',
        day: '2026-03-01',
        relying_party: 'rail-x',
        purpose: 'ticket_sale',
        measure: MEASURE,
        applies: true,
        reason_code: 'LISTED_COURT_DEFAULTER',
      });
      expect(x.basis).toMatchObject({
        legal_basis: first.platform.measures.byCode.get(MEASURE)!.legalBasis,
        measures_policy_version: first.platform.measures.version,
        lists_policy_version: first.platform.lists.version,
      });
      expect(x.recomputed).toMatchObject({
        known_at: '2026-03-01T10:00:00.000Z',
        applies: true,
        reason_code: 'LISTED_COURT_DEFAULTER',
        list: 'black.court_defaulters',
        from: '2025-06-01',
      });
      expect(x.agrees).toBe(true);
      expect(x.entry).toMatchObject({ list: 'black.court_defaulters', of: 'subject' });
      expect(x.reason_records).toHaveLength(1);
      expect(x.reason_records[0]).toMatchObject({
        type: 'court.judgment_defaulter',
        status_then: 'active',
        status_now: 'withdrawn',
      });
      // The check after the withdrawal recomputes as it was answered too.
      const later = (await explain(app, ids.after!, auditor)).json();
      expect(later.check.applies).toBe(false);
      expect(later.recomputed).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
      expect(later.agrees).toBe(true);
      // Each explanation is on the checked subject's trail, with who asked and why.
      const subject = await first.platform.store.findSubjectByIdentifier(WITHDRAWN);
      const audits = await auditEntriesOf(first.platform.store, 'measure.check.explain');
      expect(audits.filter((e) => e.subject_id === subject!.id)).toEqual([
        expect.objectContaining({
          purpose: 'complaint review',
          detail: expect.objectContaining({ check_id: ids.before }),
        }),
        expect.objectContaining({ detail: expect.objectContaining({ check_id: ids.after, agrees: true }) }),
      ]);
    });

    it('refuses a relying party (403), a reader without a purpose (400) and an unknown check (404)', async () => {
      expect((await explain(app, ids.listed!, rail)).statusCode).toBe(403);
      expect((await explain(app, ids.listed!, auditor, false)).statusCode).toBe(400);
      const unknown = await explain(app, '00000000-0000-8000-8000-000000000000', auditor);
      expect(unknown.statusCode).toBe(404);
    });

    it('lets a subject explain a check of itself, found in its own file, but not a check of another', async () => {
      const own = await tokenFor(t, 'subject', LISTED);
      const me = await app.inject({ url: '/v1/me', headers: bearer(own) });
      expect(me.statusCode).toBe(200);
      const shown: string[] = me
        .json()
        .access_log.checks.groups.flatMap((g: { check_ids: string[] }) => g.check_ids);
      expect(shown).toContain(ids.listed);
      const mine = await explain(app, ids.listed!, own, false);
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ agrees: true, check: { subject: LISTED, applies: true } });
      expect(mine.json().reason_records[0]).toMatchObject({ type: 'court.judgment_defaulter' });
      const other = await explain(app, ids.before!, own, false);
      expect(other.statusCode).toBe(404);
    });

    it('tells a subject nothing of the others checked with it: random IDs, and 404 for another’s check as for none', async () => {
      const batch = await app.inject({
        method: 'POST',
        url: '/v1/checks',
        headers: bearer(rail),
        payload: { measure: MEASURE, purpose: 'ticket_sale', subjects: [LISTED, WITHDRAWN, LISTED] },
      });
      expect(batch.statusCode).toBe(200);
      const batchIds: string[] = batch.json().results.map((r: { check_id: string }) => r.check_id);
      // One group, one key; the suffixes are not a count, so one ID does not give the others.
      expect(new Set(batchIds.map((id) => id.slice(0, 23))).size).toBe(1);
      const suffixes = batchIds.map((id) => Number.parseInt(id.slice(24), 16));
      expect(new Set(suffixes).size).toBe(3);
      for (const [i, s] of suffixes.entries())
        for (const n of [-2, -1, 1, 2]) expect(suffixes.filter((o, j) => j !== i && o === s + n)).toEqual([]);
      const own = await tokenFor(t, 'subject', LISTED);
      expect((await explain(app, batchIds[0]!, own, false)).statusCode).toBe(200);
      // Another's check in the same batch and an ID of that group that was never given read alike.
      const body = (id: string) => async () => {
        const res = await explain(app, id, own, false);
        return { status: res.statusCode, message: res.json().error.message.replace(id, 'ID') };
      };
      const others = await body(batchIds[1]!)();
      const none = await body(`${batchIds[0]!.slice(0, 24)}${'0'.repeat(12)}`)();
      expect(others.status).toBe(404);
      expect(others).toEqual(none);
      // The probes are audited on the platform's trail, never on the other subject's.
      const refused = await auditEntriesOf(first.platform.store, 'measure.check.explain.refused');
      expect(refused.slice(-2)).toEqual([
        expect.objectContaining({ subject_id: null, detail: { check_id: batchIds[1], reason: 'not_own' } }),
        expect.objectContaining({ subject_id: null, detail: expect.objectContaining({ reason: 'unknown' }) }),
      ]);
    });

    it('does not list a check logged before IDs could be explained, and says so when one is asked for', async () => {
      const legacy = '5b0e3c0a-1f2d-4c3b-9a8e-7d6c5b4a3f21';
      await logRailCheck({
        checkId: legacy,
        at: now.toISOString(),
        applies: true,
        reasonCode: 'LISTED_COURT_DEFAULTER',
      });
      const own = await tokenFor(t, 'subject', LISTED);
      const me = (await app.inject({ url: '/v1/me', headers: bearer(own) })).json();
      const groups: { count: number; check_ids: string[] }[] = me.access_log.checks.groups;
      const shown = groups.flatMap((g) => g.check_ids);
      expect(shown).not.toContain(legacy);
      expect(shown).toContain(ids.listed);
      const res = await explain(app, legacy, auditor);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toMatch(
        /a check logged before then stays in the check log .* cannot be explained by its ID/,
      );
    });

    it('explains a check logged before a new lists policy under the old one, recomputing the same answer', async () => {
      // The lists policy changes a day later: the court list's term is cut to 6 months, so under
      // the new terms the listing of 2025-06-01 ended on 2025-12-01.
      now = new Date('2026-03-02T09:00:00Z');
      const listsFile = shorterTermLists();
      const second = await first.another({ clock, listsFile });
      const app2 = await buildApp(second, { logger: false });
      try {
        expect(second.lists.version).not.toBe(first.platform.lists.version);
        // The operator recomputes the lists under the new policy (`credence lists recompute`).
        await recomputeAllLists({
          ctx: second.ctx({ id: 'operator:test', role: 'operator' }, 'new lists policy'),
          input: {},
          deps: listDeps(second),
        });
        const res = await explain(app2, ids.listed!, auditor);
        expect(res.statusCode).toBe(200);
        const x = res.json();
        expect(x.basis.lists_policy_version).toBe(first.platform.lists.version);
        expect(x.recomputed).toMatchObject({
          applies: true,
          reason_code: 'LISTED_COURT_DEFAULTER',
          list: 'black.court_defaulters',
          until: '2027-06-01',
        });
        expect(x.agrees).toBe(true);
        // A check answered now, under the new terms, no longer applies, and names the new version.
        const nowChecked = await app2.inject({
          url: `/v1/checks?subject=${LISTED}&measure=${MEASURE}`,
          headers: bearer(rail, { 'x-purpose': 'ticket_sale' }),
        });
        expect(nowChecked.json()).toMatchObject({
          applies: false,
          basis: { lists_policy_version: second.lists.version },
        });
      } finally {
        await app2.close();
        await second.close();
        rmSync(listsFile, { force: true });
      }
    });

    it('logs, answers and explains under the lists policy in force a check from a process still holding the old one', async () => {
      // The second platform (above) put a new lists policy in force on this store and recomputed the
      // lists under it; this process still holds the old one in memory.
      const newer = (await first.platform.store.listPolicyPeriods('lists')).at(-1)!.version;
      expect(newer).not.toBe(first.platform.lists.version);
      now = new Date('2026-03-02T10:00:00Z');
      const a = (await single(LISTED)).json();
      expect(a).toMatchObject({ applies: false, basis: { lists_policy_version: newer } });
      expect((await first.platform.store.findCheck(a.check_id))!.policies).toEqual({
        measures: first.platform.measures.version,
        lists: newer,
      });
      const x = (await explain(app, a.check_id, auditor)).json();
      expect(x).toMatchObject({
        basis: { lists_policy_version: newer },
        recomputed: { applies: false, lists_policy_version: newer },
        agrees: true,
        version_mismatch: false,
        note: null,
      });
    });

    it('recomputes a check logged under a superseded lists policy under the one in force then, and says so', async () => {
      const newer = (await first.platform.store.listPolicyPeriods('lists')).at(-1)!.version;
      const older = first.platform.lists.version;
      // As a process that had not yet seen the new policy would have logged it.
      const key = newCheckKey();
      const checkId = checkIdOf(key, 'a1b2c3d4e5f6');
      await logRailCheck({
        checkId,
        at: '2026-03-02T10:30:00.000Z',
        applies: false,
        reasonCode: 'NOT_APPLICABLE',
        checkKey: key,
        policies: { measures: first.platform.measures.version, lists: older },
      });
      const x = (await explain(app, checkId, auditor)).json();
      expect(x).toMatchObject({
        basis: { lists_policy_version: older },
        recomputed: { applies: false, lists_policy_version: newer },
        agrees: true,
        version_mismatch: true,
      });
      expect(x.note).toContain(`lists policy ${newer.slice(0, 12)} was in force`);
    });

    it('does not recompute under a policy whose text is not on file, and still shows the answer as logged', async () => {
      const key = newCheckKey();
      const checkId = checkIdOf(key, '0123456789ab');
      const missing = 'f'.repeat(64);
      await logRailCheck({
        checkId,
        at: '2026-03-02T10:40:00.000Z',
        applies: false,
        reasonCode: 'NOT_APPLICABLE',
        checkKey: key,
        policies: { measures: missing, lists: first.platform.lists.version },
      });
      const res = await explain(app, checkId, auditor);
      expect(res.statusCode).toBe(200);
      const x = res.json();
      expect(x).toMatchObject({
        check: { check_id: checkId, applies: false, reason_code: 'NOT_APPLICABLE' },
        basis: { measures_policy_version: missing, measures_policy_label: null, measure_name: null },
        recomputed: null,
        agrees: null,
        entry: null,
        reason_records: [],
      });
      expect(x.note).toMatch(/not recomputed: the text of measures policy ffffffffffff.* is not on file/);
    });

    it('logs the lists policy another process puts in force the same day, once it recomputed the lists', async () => {
      // A process holding the shorter-term policy (in force since the second platform above) checks
      // today: its index is built for the day, and it logs that version.
      const listsFile = shorterTermLists();
      const holder = await first.another({ clock, listsFile });
      const holderApp = await buildApp(holder, { logger: false });
      const check = async () =>
        (
          await holderApp.inject({
            url: `/v1/checks?subject=${LISTED}&measure=${MEASURE}`,
            headers: bearer(rail, { 'x-purpose': 'ticket_sale' }),
          })
        ).json();
      let third: Platform | undefined;
      try {
        now = new Date('2026-03-02T11:00:00Z');
        expect(await check()).toMatchObject({
          applies: false,
          basis: { lists_policy_version: holder.lists.version },
        });
        // The same day another process puts the first lists policy back in force and recomputes.
        now = new Date('2026-03-02T12:00:00Z');
        third = await first.another({ clock });
        expect(third.lists.version).toBe(first.platform.lists.version);
        await recomputeAllLists({
          ctx: third.ctx({ id: 'operator:test', role: 'operator' }, 'lists policy back'),
          input: {},
          deps: listDeps(third),
        });
        // The holder answers from the entries kept under it, and logs and names that version.
        now = new Date('2026-03-02T12:30:00Z');
        const a = await check();
        expect(a).toMatchObject({
          applies: true,
          basis: { lists_policy_version: third.lists.version },
        });
        const x = (await explain(holderApp, a.check_id, auditor)).json();
        expect(x).toMatchObject({
          basis: { lists_policy_version: third.lists.version },
          recomputed: { applies: true, lists_policy_version: third.lists.version },
          agrees: true,
          version_mismatch: false,
        });
      } finally {
        await holderApp.close();
        await holder.close();
        await third?.close();
        rmSync(listsFile, { force: true });
      }
    });

    it('parses a scoring policy read with the list terms of an instant once, not at every explanation', async () => {
      const p = first.platform;
      const ctx = p.ctx({ id: 'auditor:test', role: 'auditor' }, 'test');
      const at = '2026-03-01T10:00:00.000Z';
      const deps = { policy: p.scoringPolicy, catalogue: p.catalogue };
      const once = await scoringPolicyAt(
        ctx,
        at,
        deps,
        await listsPolicyInForce(p.store, clock, p.lists, at),
      );
      const again = await scoringPolicyAt(
        ctx,
        at,
        deps,
        await listsPolicyInForce(p.store, clock, p.lists, at),
      );
      expect(again).toBe(once);
    });
  });
}
