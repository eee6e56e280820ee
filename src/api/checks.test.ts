import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { auditEntriesOf } from '../../test/store-fixtures.ts';
import { bearer, personRecord, registerSource, startTestApp, type TestApp } from './test-app.ts';

const LISTED = '360426199101010071';
/** On file with a record that lists nobody. */
const CLEAN = '11010519491231002X';
/** Valid, never on file. */
const NOBODY = '440524188001010014';
const CASE = '(2025)赣0426执100号';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('relying-party checks over HTTP', backend), () => {
    let t: TestApp;
    let rail: string;
    beforeAll(async () => {
      t = await startTestApp({ backend });
      const court = await registerSource(t, 'court-c', 'court');
      const posted = await t.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [
          personRecord(LISTED, { evidence: CASE }),
          personRecord(CLEAN, {
            type: 'court.contract_lawsuit_lost',
            amount: 3000,
            evidence: '(2025)京0105民初7号',
          }),
        ],
      });
      expect(posted.json()).toMatchObject({ accepted: 2 });
      const rp = await t.app.inject({
        method: 'POST',
        url: '/v1/relying-parties',
        headers: bearer(t.operator),
        payload: { code: 'rail-c', kind: 'railway', purposes: ['ticket_sale', 'refund'] },
      });
      expect(rp.statusCode).toBe(201);
      expect(rp.json().relying_party).toMatchObject({
        purposes: ['refund', 'ticket_sale'],
        daily_quota: 100_000,
      });
      expect(rp.json().relying_party.measures).toContain('restrict.high_speed_rail');
      rail = rp.json().token;
    });
    afterAll(async () => t?.close());

    const single = (subject: string, headers: Record<string, string>) =>
      t.app.inject({ url: `/v1/checks?subject=${subject}&measure=restrict.high_speed_rail`, headers });
    /** Audit entries of refused checks, newest last. */
    const refusals = async () =>
      (await auditEntriesOf(t.platform.store, 'measure.check.refused')).map(({ subject_id, ...r }) => r);

    it('answers a single check with the list, period and case to contest, and never more', async () => {
      const res = await single(LISTED, bearer(rail, { 'x-purpose': 'ticket_sale' }));
      expect(res.statusCode).toBe(200);
      expect(Object.keys(res.json()).sort()).toEqual([
        'applies',
        'basis',
        'case_reference',
        'check_id',
        'from',
        'list',
        'measure',
        'reason_code',
        'until',
      ]);
      // What it rests on: the measure's legal basis and the policy versions, nothing of the subject.
      expect(res.json().basis).toEqual({
        legal_basis: t.platform.measures.byCode.get('restrict.high_speed_rail')!.legalBasis,
        measures_policy_version: t.platform.measures.version,
        lists_policy_version: t.platform.lists.version,
      });
      expect(res.json().basis.legal_basis).toMatch(/High Consumption/);
      expect(res.json()).toMatchObject({
        applies: true,
        list: 'black.court_defaulters',
        from: expect.stringMatching(/^2025-06-/),
        until: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        case_reference: CASE,
      });
    });

    it('gives an identifier not on file the very answer of a subject on file it does not apply to', async () => {
      const headers = bearer(rail, { 'x-purpose': 'ticket_sale' });
      const unknown = await single(NOBODY, headers);
      const known = await single(CLEAN, headers);
      expect([unknown.statusCode, known.statusCode]).toEqual([200, 200]);
      const { check_id: a, basis: ub, ...u } = unknown.json();
      const { check_id: b, basis: kb, ...k } = known.json();
      expect(ub).toEqual(kb);
      expect(a).not.toBe(b);
      expect(Object.keys(unknown.json())).toEqual(Object.keys(known.json()));
      expect(u).toEqual(k);
      expect(u).toEqual({
        applies: false,
        measure: 'restrict.high_speed_rail',
        reason_code: 'NOT_APPLICABLE',
        list: null,
        from: null,
        until: null,
        case_reference: null,
      });
      // An identifier with a wrong check character reveals nothing about who is on file.
      expect((await single('110105194912310021', headers)).statusCode).toBe(400);
    });

    it('refuses a check without a purpose, or with one not registered, and audits the refusal', async () => {
      const before = (await refusals()).length;
      const none = await single(LISTED, bearer(rail));
      expect(none.statusCode).toBe(400);
      expect(none.json().error).toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/refund, ticket_sale/),
      });
      const other = await single(LISTED, bearer(rail, { 'x-purpose': 'marketing' }));
      expect(other.statusCode).toBe(400);
      expect(other.json().error.message).toMatch(
        /"marketing" is not registered for rail-c: .*refund, ticket_sale/,
      );
      const batch = await t.app.inject({
        method: 'POST',
        url: '/v1/checks',
        headers: bearer(rail),
        payload: { measure: 'restrict.high_speed_rail', subjects: [LISTED, CLEAN] },
      });
      expect(batch.statusCode).toBe(400);
      expect((await refusals()).slice(before)).toEqual([
        {
          actor: 'relying_party:rail-c',
          purpose: '(none given)',
          detail: { measure: 'restrict.high_speed_rail', purpose: null, reason: 'no_purpose', subjects: 1 },
        },
        {
          actor: 'relying_party:rail-c',
          purpose: 'marketing',
          detail: {
            measure: 'restrict.high_speed_rail',
            purpose: 'marketing',
            reason: 'purpose_not_registered',
            subjects: 1,
          },
        },
        {
          actor: 'relying_party:rail-c',
          purpose: '(none given)',
          detail: { measure: 'restrict.high_speed_rail', purpose: null, reason: 'no_purpose', subjects: 2 },
        },
      ]);
    });

    it('lets an operator set a relying party’s purposes, audited, and lists them', async () => {
      const put = (token: string, purposes: string[]) =>
        t.app.inject({
          method: 'PUT',
          url: '/v1/relying-parties/rail-c/purposes',
          headers: bearer(token),
          payload: { purposes },
        });
      expect((await put(rail, ['ticket_sale'])).statusCode).toBe(403);
      expect((await put(t.operator, ['Ticket Sale'])).statusCode).toBe(400);
      expect((await put(t.operator, [])).statusCode).toBe(400);
      const res = await put(t.operator, ['ticket_sale', 'refund', 'boarding_check']);
      expect(res.statusCode).toBe(200);
      expect(res.json().relying_party.purposes).toEqual(['boarding_check', 'refund', 'ticket_sale']);
      expect((await single(CLEAN, bearer(rail, { 'x-purpose': 'boarding_check' }))).statusCode).toBe(200);
      expect(
        (
          await t.app.inject({
            method: 'PUT',
            url: '/v1/relying-parties/nobody/purposes',
            headers: bearer(t.operator),
            payload: { purposes: ['x'] },
          })
        ).statusCode,
      ).toBe(404);
      const list = await t.app.inject({ url: '/v1/relying-parties', headers: bearer(t.operator) });
      expect(list.json().relying_parties).toContainEqual(
        expect.objectContaining({
          code: 'rail-c',
          purposes: ['boarding_check', 'refund', 'ticket_sale'],
          daily_quota: 100_000,
        }),
      );
      // Registration needs at least one purpose.
      const bare = await t.app.inject({
        method: 'POST',
        url: '/v1/relying-parties',
        headers: bearer(t.operator),
        payload: { code: 'rail-x', kind: 'railway' },
      });
      expect(bare.statusCode).toBe(400);
    });

    it('answers 429 with Retry-After past the daily quota, counting each subject of a batch, and audits it', async () => {
      const rp = await t.app.inject({
        method: 'POST',
        url: '/v1/relying-parties',
        headers: bearer(t.operator),
        payload: { code: 'rail-q', kind: 'railway', purposes: ['ticket_sale'], daily_quota: 3 },
      });
      expect(rp.json().relying_party.daily_quota).toBe(3);
      const token = rp.json().token as string;
      const headers = bearer(token, { 'x-purpose': 'ticket_sale' });
      const batch = (subjects: string[]) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/checks',
          headers: bearer(token),
          payload: { measure: 'restrict.high_speed_rail', purpose: 'ticket_sale', subjects },
        });
      expect((await batch([LISTED, CLEAN])).statusCode).toBe(200);
      expect((await single(NOBODY, headers)).statusCode).toBe(200);
      const over = await single(LISTED, headers);
      expect(over.statusCode).toBe(429);
      expect(over.json().error).toMatchObject({ code: 'rate_limited', request_id: expect.any(String) });
      // The test clock stands at 09:00 UTC, 17:00 in Beijing (TIME_ZONE): the quota is new at
      // Beijing's midnight, in 7 hours.
      expect(over.headers['retry-after']).toBe(String(7 * 3600));
      expect((await batch([CLEAN])).statusCode).toBe(429);
      expect((await refusals()).filter((r) => r.actor === 'relying_party:rail-q')).toEqual([
        expect.objectContaining({ detail: expect.objectContaining({ reason: 'quota', subjects: 1 }) }),
        expect.objectContaining({ detail: expect.objectContaining({ reason: 'quota', subjects: 1 }) }),
      ]);
    });

    it('refuses ungranted and unknown measures alike (403), anonymous callers (401) and oversized batches (400)', async () => {
      const notGranted = await t.app.inject({
        url: `/v1/checks?subject=${LISTED}&measure=restrict.air_travel`,
        headers: bearer(rail, { 'x-purpose': 'ticket_sale' }),
      });
      expect(notGranted.statusCode).toBe(403);
      expect(notGranted.json().error.code).toBe('forbidden');
      // Probing for measures that exist tells a relying party nothing: the same refusal, in one
      // call and in a batch. An operator, who may check any measure, is told it does not exist.
      const probe = await t.app.inject({
        url: `/v1/checks?subject=${LISTED}&measure=restrict.no_such_measure`,
        headers: bearer(rail, { 'x-purpose': 'ticket_sale' }),
      });
      expect(probe.statusCode).toBe(403);
      expect(probe.json().error.message.replace('restrict.no_such_measure', 'M')).toBe(
        notGranted.json().error.message.replace('restrict.air_travel', 'M'),
      );
      const batchProbe = await t.app.inject({
        method: 'POST',
        url: '/v1/checks',
        headers: bearer(rail),
        payload: { measure: 'restrict.no_such_measure', purpose: 'ticket_sale', subjects: [LISTED] },
      });
      expect(batchProbe.statusCode).toBe(403);
      const byOperator = await t.app.inject({
        url: `/v1/checks?subject=${LISTED}&measure=restrict.no_such_measure`,
        headers: bearer(t.operator, { 'x-purpose': 'ticket_sale' }),
      });
      expect(byOperator.statusCode).toBe(404);
      expect(
        (await t.app.inject({ url: `/v1/checks?subject=${LISTED}&measure=restrict.high_speed_rail` }))
          .statusCode,
      ).toBe(401);
      const big = await t.app.inject({
        method: 'POST',
        url: '/v1/checks',
        headers: bearer(rail),
        payload: {
          measure: 'restrict.high_speed_rail',
          purpose: 'ticket_sale',
          subjects: Array(1001).fill(LISTED),
        },
      });
      expect(big.statusCode).toBe(400);
    });

    it('checks many subjects in one call', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/checks',
        headers: bearer(rail),
        payload: {
          measure: 'restrict.high_speed_rail',
          purpose: 'ticket_sale',
          subjects: [LISTED, CLEAN, NOBODY],
        },
      });
      expect(res.json().results.map((r: { applies: boolean }) => r.applies)).toEqual([true, false, false]);
      expect(res.json().results[0]).toMatchObject({ subject: LISTED, case_reference: CASE });
      // The basis once for the call, never once a subject.
      expect(res.json().basis).toEqual({
        legal_basis: t.platform.measures.byCode.get('restrict.high_speed_rail')!.legalBasis,
        measures_policy_version: t.platform.measures.version,
        lists_policy_version: t.platform.lists.version,
      });
      for (const r of res.json().results) expect(r).not.toHaveProperty('basis');
    });

    it('names a malformed identifier as itself in a check of one, by its position in a batch', async () => {
      const invalid = 'is not a valid resident ID number or Unified Social Credit Code';
      const one = await single('12345', bearer(rail, { 'x-purpose': 'ticket_sale' }));
      expect(one.statusCode).toBe(400);
      expect(one.json().error).toMatchObject({
        message: `"12345" ${invalid}`,
        issues: [{ field: 'subject', message: 'invalid identifier' }],
      });
      const batch = await t.app.inject({
        method: 'POST',
        url: '/v1/checks',
        headers: bearer(rail),
        payload: { measure: 'restrict.high_speed_rail', purpose: 'ticket_sale', subjects: [LISTED, '12345'] },
      });
      expect(batch.statusCode).toBe(400);
      expect(batch.json().error).toMatchObject({
        message: `subjects[1] "12345" ${invalid}`,
        issues: [{ field: 'subjects[1]', message: 'invalid identifier' }],
      });
    });

    it('shows operators the notification outbox the listing filled, and refuses relying parties', async () => {
      const res = await t.app.inject({ url: '/v1/outbox', headers: bearer(t.operator) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ sent: 0, failed: 0, dead: 0, problems: [] });
      expect(res.json().queued).toBeGreaterThan(0);
      const denied = await t.app.inject({ url: '/v1/outbox', headers: bearer(rail) });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('forbidden');
    });

    it('requeues dead notifications for an operator only, refusing a request that names nothing', async () => {
      const post = (payload: object, token = t.operator) =>
        t.app.inject({ method: 'POST', url: '/v1/outbox/requeue', headers: bearer(token), payload });
      expect((await post({ all_dead: true })).json()).toEqual({ requeued: [] });
      const vague = await post({});
      expect(vague.statusCode).toBe(400);
      expect(vague.json().error.code).toBe('invalid_input');
      expect((await post({ ids: [1], all_dead: true })).statusCode).toBe(400);
      expect((await post({ ids: [1] }, rail)).statusCode).toBe(403);
    });
  });
}
