import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { bearer, personRecord, registerSource, startTestApp, type TestApp } from './test-app.ts';

const DEFAULTER = '360426199101010071';
const OTHER = '11010519491231002X';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('GET /v1/subjects/{id}/score', backend), () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ backend });
      const court = await registerSource(t, 'court-s', 'court');
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [
          personRecord(DEFAULTER),
          personRecord(OTHER, { type: 'court.contract_lawsuit_lost', source_record_id: 'c-2' }),
        ],
      });
      expect(res.json()).toMatchObject({ accepted: 2 });
    });
    afterAll(async () => t?.close());

    it('explains the score of a listed defaulter, rescored as soon as the batch was stored', async () => {
      const res = await t.app.inject({
        url: `/v1/subjects/${DEFAULTER}/score`,
        headers: bearer(t.operator, { 'x-purpose': 'review' }),
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      // One act counts once: the listing's direct grade D, with no points of its own (DA: it fell from A).
      expect(body).toMatchObject({ subject: DEFAULTER, grade: 'DA', score: 1000, as_of: '2026-03-01' });
      // Told from the court's listing decision, the day its list entry starts from.
      expect(body.key_factors[0]).toMatchObject({
        type: 'court.judgment_defaulter',
        date: '2025-06-01',
        points: 0,
        grade: { letter: 'D', binds: true },
      });
      expect(body.key_factors[0].text).toMatch(/grade to D/);
      expect(body.score).toBe(
        body.base + body.breakdown.reduce((s: number, c: { points: number }) => s + c.points, 0),
      );
      // The batch's subjects were rescored on arrival: the history holds today's result.
      expect(body.history[0]).toMatchObject({ as_of: '2026-03-01', grade: 'DA' });
    });

    it("shows the latest score, grade and key factors in the subject's file", async () => {
      const res = await t.app.inject({
        url: `/v1/subjects/${DEFAULTER}`,
        headers: bearer(t.operator, { 'x-purpose': 'review' }),
      });
      expect(res.json().score).toMatchObject({
        grade: 'DA',
        as_of: '2026-03-01',
        key_factors: [{ type: 'court.judgment_defaulter', date: '2025-05-01', points: 0 }],
      });
    });

    it('reproduces the past and refuses bad dates in the one error shape', async () => {
      const past = await t.app.inject({
        url: `/v1/subjects/${DEFAULTER}/score?as_of=2025-01-01`,
        headers: bearer(t.operator, { 'x-purpose': 'review' }),
      });
      expect(past.json()).toMatchObject({ grade: 'A', score: 1000, key_factors: [] });
      const bad = await t.app.inject({
        url: `/v1/subjects/${DEFAULTER}/score?as_of=2025-13-01`,
        headers: bearer(t.operator, { 'x-purpose': 'review' }),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'invalid_input', request_id: expect.any(String) });
      // Scores are computed on days from 1970-01-01: no score as of year 0.
      for (const day of ['0000-01-01', '1969-12-31']) {
        const early = await t.app.inject({
          url: `/v1/subjects/${DEFAULTER}/score?as_of=${day}`,
          headers: bearer(t.operator, { 'x-purpose': 'review' }),
        });
        expect(early.statusCode, day).toBe(400);
        expect(early.json().error.message).toBe(
          `as-of date ${day} is before 1970-01-01: scores are computed on days counted from 1970-01-01`,
        );
      }
      const first = await t.app.inject({
        url: `/v1/subjects/${DEFAULTER}/score?as_of=1970-01-01`,
        headers: bearer(t.operator, { 'x-purpose': 'review' }),
      });
      expect(first.json()).toMatchObject({ score: 1000, as_of: '1970-01-01' });
    });

    it('is for the subject itself, operators and auditors only', async () => {
      expect((await t.app.inject({ url: `/v1/subjects/${DEFAULTER}/score` })).statusCode).toBe(401);
      const mk = async (role: string, ref?: string) =>
        (
          await t.app.inject({
            method: 'POST',
            url: '/v1/tokens',
            headers: bearer(t.operator),
            payload: { role, label: role, ...(ref ? { ref } : {}) },
          })
        ).json().token as string;
      const me = await mk('subject', DEFAULTER);
      expect(
        (await t.app.inject({ url: `/v1/subjects/${DEFAULTER}/score`, headers: bearer(me) })).statusCode,
      ).toBe(200);
      expect(
        (await t.app.inject({ url: `/v1/subjects/${OTHER}/score`, headers: bearer(me) })).statusCode,
      ).toBe(403);
      const rp = await mk('relying_party');
      expect(
        (await t.app.inject({ url: `/v1/subjects/${DEFAULTER}/score`, headers: bearer(rp) })).statusCode,
      ).toBe(403);
    });
  });
}
