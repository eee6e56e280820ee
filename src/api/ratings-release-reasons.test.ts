/**
 * A release clears the reason it judged, not the others, on both backends: a burst of one-star
 * ratings on a doctor, held and released by an operator as a genuine event; later the same raters'
 * comment turns out to be a campaign across doctors, which the sweep holds — the released ratings
 * with it, hidden from the published aggregate while that hold is pending — and released in turn,
 * they count again and are held for neither reason any more.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import { issueToken } from '../access/index.ts';
import type { Clock } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { HOLD_BIT } from '../ratings/engine.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DOCTOR_A = { id: makeResidentId('110105', '1971-03-03', 51), licence: 'D-110105-0051', name: '赵医生' };
const DOCTOR_B = { id: makeResidentId('110105', '1972-04-04', 52), licence: 'D-110105-0052', name: '钱医生' };
const person = (k: number) =>
  makeResidentId('110105', `19${60 + (k % 40)}-0${1 + (k % 9)}-1${k % 10}`, 300 + k);
/** The campaign's text: two of the burst's raters wrote it on doctor A, two more later on doctor B. */
const TEXT = 'The pharmacy gave my father the wrong pills and nobody apologised to us.';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('ratings released for one reason', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-01-05T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const tokens: Record<string, string> = {};
    // 30 patients with an honest history of doctor A, then 20 who bomb it in an hour.
    const history = Array.from({ length: 30 }, (_, k) => person(k));
    const burst = Array.from({ length: 20 }, (_, k) => person(30 + k));
    const call = callerOf(() => app);

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false });
      const ctx = p.ctx({ id: 'operator:test', role: 'operator' }, 'test');
      const lines = [
        ...[DOCTOR_A, DOCTOR_B].map((d) => ({
          kind: 'person',
          id_number: d.id,
          name: d.name,
          licences: [{ kind: 'doctor', number: d.licence }],
        })),
        ...[...history, ...burst].map((id, k) => ({ kind: 'person', id_number: id, name: `病人${k}` })),
      ];
      const imported = await importSubjects({
        ctx,
        input: { lines: lines.map((value, i) => ({ line: i + 1, value })) },
      });
      expect(imported.rejected).toBe(0);
      // The test's clock runs for months: these tokens live a year.
      tokens.operator = (
        await issueToken({ ctx, input: { role: 'operator', label: 'reviewer', days: 365 } })
      ).token;
      const source = await call('POST', '/v1/sources', tokens.operator, {
        code: 'hospital',
        kind: 'hospital',
      });
      expect(source.status, source.text).toBe(201);
      tokens.hospital = source.body.credential;
      for (const d of [DOCTOR_A, DOCTOR_B]) {
        const staff = await call('POST', '/v1/sources/hospital/staff', tokens.operator, {
          licence: d.licence,
          from: '2025-01-01',
        });
        expect(staff.status, staff.text).toBe(201);
      }
      for (const id of [...history, ...burst])
        tokens[id] = (
          await issueToken({ ctx, input: { role: 'rater', label: id, ref: id, days: 365 } })
        ).token;
    }, 120_000);
    afterAll(() => cleanup?.());

    const rate = async (rater: string, doctor: string, stars: number, comment?: string) => {
      const issued = await call('POST', '/v1/interactions', tokens.hospital, {
        serving: { kind: 'licence', id: doctor },
        service_date: now.toISOString().slice(0, 10),
        service: 'pharmacy counter',
      });
      expect(issued.status, issued.text).toBe(201);
      const r = await call('POST', '/v1/ratings', tokens[rater], {
        token: issued.body.token,
        professionalism: stars,
        honesty: stars,
        ...(comment ? { comment } : {}),
      });
      expect(r.status, r.text).toBe(201);
      return r.body as { id: number; status: string };
    };
    /** What the public sees of a doctor once every rating given so far is revealed (14 days on). */
    const published = async (licence: string) => {
      const was = now;
      now = new Date(now.getTime() + 14 * DAY);
      try {
        const r = await call('GET', `/v1/ratings/${licence}`, undefined);
        expect(r.status, r.text).toBe(200);
        return r.body.professionalism as { count: number; held: number };
      } finally {
        now = was;
      }
    };
    const holds = async (status: string) =>
      (await call('GET', `/v1/ratings/held?status=${status}`, tokens.operator)).body.holds as {
        id: number;
        reason: string;
        ratings: number;
        status: string;
      }[];
    const itemsOf = async (holdId: number) =>
      ((await call('GET', `/v1/ratings/held/${holdId}`, tokens.operator)).body.items as { id: number }[]).map(
        (i) => i.id,
      );
    const decide = async (holdId: number, reason: string) => {
      const r = await call('POST', `/v1/ratings/held/${holdId}/decision`, tokens.operator, {
        decision: 'release',
        reason,
      });
      expect(r.status, r.text).toBe(200);
      expect(r.body.status).toBe('released');
    };
    const reasonsOf = async (ids: number[]) =>
      (
        await rawDb(p)
          .selectFrom('ratings')
          .select(['id', 'state', 'held', 'released_reasons'])
          .where('id', 'in', ids)
          .orderBy('id')
          .execute()
      ).map((r) => [Number(r.state), Number(r.held), Number(r.released_reasons)]);

    it('ratings released as a burst are held again as a comment campaign, hidden while it is pending, and count once it is released', async () => {
      // An honest history: a rating every two days, four and five stars.
      for (const [k, rater] of history.entries()) {
        now = new Date(Date.parse('2026-01-05T09:00:00Z') + k * 2 * DAY);
        expect((await rate(rater, DOCTOR_A.licence, 4 + (k % 2))).status).toBe('published');
      }
      // The burst: 20 one-star ratings within an hour; the first two carry the same comment.
      now = new Date('2026-03-10T09:00:00Z');
      const bombed: number[] = [];
      for (const [k, rater] of burst.entries()) {
        now = new Date(Date.parse('2026-03-10T09:00:00Z') + k * 120_000);
        bombed.push((await rate(rater, DOCTOR_A.licence, 1, k < 2 ? TEXT : undefined)).id);
      }
      const [burstHold] = (await holds('pending')).filter((h) => h.reason === 'burst');
      expect(burstHold).toMatchObject({ reason: 'burst', ratings: 20 });
      expect((await published(DOCTOR_A.licence)).held).toBe(20);
      // The operator judges the burst a genuine event: the ratings count.
      await decide(burstHold!.id, 'The pharmacy really did mix up prescriptions that morning.');
      expect(await published(DOCTOR_A.licence)).toMatchObject({ count: 50, held: 0 });

      // Three days later two more of the same raters post the same comment on doctor B: two
      // raters there, so nothing is held as it comes.
      const campaign: number[] = [];
      for (const [k, rater] of burst.slice(2, 4).entries()) {
        now = new Date(Date.parse('2026-03-13T09:00:00Z') + k * HOUR);
        const r = await rate(rater, DOCTOR_B.licence, 1, TEXT);
        expect(r.status).toBe('published');
        campaign.push(r.id);
      }
      // The sweep sees the text across doctors: four raters, one campaign, held whole — the two
      // ratings of doctor A released as a burst with it.
      now = new Date('2026-03-14T09:00:00Z');
      const sweep = await call('POST', '/v1/ratings/sweep', tokens.operator);
      expect(sweep.status, sweep.text).toBe(200);
      expect(sweep.body.holds.by_reason).toEqual({ duplicate: 1 });
      const [dup] = (await holds('pending')).filter((h) => h.reason === 'duplicate');
      expect(dup).toMatchObject({ ratings: 4 });
      const released = bombed.slice(0, 2);
      expect((await itemsOf(dup!.id)).sort((a, b) => a - b)).toEqual([...released, ...campaign]);
      // While it is pending they are hidden (never deleted): still released from the burst.
      expect(await reasonsOf(released)).toEqual([
        [1, 1, HOLD_BIT.burst],
        [1, 1, HOLD_BIT.burst],
      ]);
      expect(await published(DOCTOR_A.licence)).toMatchObject({ count: 48, held: 2 });
      expect(await published(DOCTOR_B.licence)).toMatchObject({ count: 0, held: 2 });

      // Released too (the hospital's complaint form words it so): they count again.
      await decide(dup!.id, 'The hospital’s own complaint form suggests this wording.');
      expect(await published(DOCTOR_A.licence)).toMatchObject({ count: 50, held: 0 });
      expect(await published(DOCTOR_B.licence)).toMatchObject({ count: 2, held: 0 });
      expect(await reasonsOf(released)).toEqual([
        [1, 0, HOLD_BIT.burst | HOLD_BIT.duplicate],
        [1, 0, HOLD_BIT.burst | HOLD_BIT.duplicate],
      ]);
      // Released from both, they are held for neither again.
      now = new Date('2026-03-15T09:00:00Z');
      const again = await call('POST', '/v1/ratings/sweep', tokens.operator);
      expect(again.body.holds).toMatchObject({ opened_or_extended: 0 });
      expect(await holds('pending')).toEqual([]);
      expect(await published(DOCTOR_A.licence)).toMatchObject({ count: 50, held: 0 });
    });
  });
}
