/**
 * Citizen ratings over HTTP, on both backends: tokens that cannot be forged, reused or redeemed
 * late; an honest population of ratings of a doctor, then 200 fake one-star ratings within an
 * hour from fresh accounts, which move the published score by less than 0.1 star and are held for
 * review; a ring of 20 raters boosting each other's businesses, found by the sweep; a public
 * office rated low for a whole period, which becomes a government-affairs record with its key
 * factor; comments screened, answered and objected to once revealed; and the rated subject never
 * learns who rated.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import { issueToken } from '../access/index.ts';
import type { Clock } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { MAX_INTERACTIONS } from '../ratings/index.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFICE = makeUscc('1', '1', '110105', '00000019');
const DOCTOR_ID = makeResidentId('110105', '1975-05-05', 11);
const DOCTOR_LICENCE = '110105197505050011';
const TEACHER_LICENCE = 'T-110105-0001';
const TEACHER_ID = makeResidentId('110105', '1982-02-02', 12);
const person = (k: number) =>
  makeResidentId('110105', `19${60 + (k % 40)}-0${1 + (k % 9)}-1${k % 10}`, 100 + k);
const business = (k: number) => makeUscc('9', '1', '110105', String(10_000_000 + k));

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('citizen ratings', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-01-05T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const op = { id: 'operator:test', role: 'operator' } as const;
    const tokens: Record<string, string> = {};
    const raterIds: string[] = [];
    let nextRater = 0;

    const call = callerOf(() => app);
    /** A fresh person with a rater credential. */
    const newRater = async () => {
      const id = raterIds[nextRater++]!;
      tokens[id] ??= (
        await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'rater', label: id, ref: id } })
      ).token;
      return id;
    };
    const interaction = async (
      source: string,
      serving: { kind: string; id: string },
      service = 'consultation',
    ) => {
      const r = await call('POST', '/v1/interactions', tokens[source], {
        serving,
        service_date: now.toISOString().slice(0, 10),
        service,
      });
      expect(r.status, r.text).toBe(201);
      return r.body.token as string;
    };
    const rate = async (
      rater: string,
      token: string,
      professionalism: number,
      honesty: number,
      comment?: string,
    ) =>
      call('POST', '/v1/ratings', tokens[rater], {
        token,
        professionalism,
        honesty,
        ...(comment ? { comment } : {}),
      });
    const doctor = { kind: 'licence', id: DOCTOR_LICENCE };
    /**
     * What the public sees of the doctor once every rating given so far is revealed
     * (`reveal.after_days` on; before, a rating shows in no aggregate: ratings-privacy.test.ts).
     */
    const published = async () => {
      const was = now;
      now = new Date(now.getTime() + 14 * DAY);
      try {
        return (await call('GET', `/v1/ratings/${DOCTOR_LICENCE}`, undefined)).body;
      } finally {
        now = was;
      }
    };

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: process.env.RATINGS_DEBUG ? { level: 'error' } : false });
      for (let k = 0; k < 520; k++) raterIds.push(person(k));
      expect(new Set(raterIds).size).toBe(raterIds.length);
      const lines = [
        {
          kind: 'person',
          id_number: DOCTOR_ID,
          name: '李医生',
          licences: [{ kind: 'doctor', number: DOCTOR_LICENCE }],
        },
        {
          kind: 'person',
          id_number: TEACHER_ID,
          name: '王老师',
          licences: [{ kind: 'teacher', number: TEACHER_LICENCE }],
        },
        { kind: 'public_body', uscc: OFFICE, name: '某区政务服务中心' },
        ...raterIds.map((id, k) => ({ kind: 'person', id_number: id, name: `居民${k}` })),
        // The ring: 20 businesses, each represented by one of the last 20 persons.
        ...Array.from({ length: 20 }, (_, k) => ({
          kind: 'organization',
          uscc: business(k),
          name: `商户${k}`,
          legal_representative: { id_number: raterIds[500 + k]!, name: `居民${500 + k}` },
        })),
      ];
      const imported = await importSubjects({
        ctx: p.ctx(op, 'test'),
        input: { lines: lines.map((value, i) => ({ line: i + 1, value })) },
      });
      expect(imported.rejected).toBe(0);
      const ctx = p.ctx(op, 'test');
      const admin = (await issueToken({ ctx, input: { role: 'operator', label: 'sources' } })).token;
      // The service hall is the office's own (an own-name kind vouches for itself only), and the
      // hospital vouches for the doctor on its roster (issue 16).
      for (const [code, kind, organization] of [
        ['hospital', 'hospital', undefined],
        ['hall', 'local_government', OFFICE],
        ['shop', 'ecommerce', undefined],
      ] as const) {
        const r = await call('POST', '/v1/sources', admin, {
          code,
          kind,
          ...(organization ? { organization } : {}),
        });
        expect(r.status, r.text).toBe(201);
        tokens[code] = r.body.credential;
      }
      const staff = await call('POST', '/v1/sources/hospital/staff', admin, {
        licence: DOCTOR_LICENCE,
        from: '2025-01-01',
      });
      expect(staff.status, staff.text).toBe(201);
      // The test's clock runs past 90 days: these tokens live a year.
      tokens.operator = (
        await issueToken({ ctx, input: { role: 'operator', label: 'reviewer', days: 365 } })
      ).token;
      tokens.doctor = (
        await issueToken({ ctx, input: { role: 'subject', label: 'doctor', ref: DOCTOR_ID, days: 365 } })
      ).token;
      tokens.office = (
        await issueToken({ ctx, input: { role: 'subject', label: 'office', ref: OFFICE, days: 365 } })
      ).token;
    }, 120_000);
    afterAll(() => cleanup?.());

    it('refuses forged, malformed, reused and expired tokens, and services a source may not vouch for', async () => {
      const rater = await newRater();
      const forged = `cit_${Buffer.alloc(32, 7).toString('base64url')}`;
      let r = await rate(rater, forged, 5, 5);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/not issued by any registered service/);
      expect((await rate(rater, 'hello', 5, 5)).status).toBe(400);
      const token = await interaction('hospital', doctor);
      expect((await rate(rater, token, 6, 5)).status).toBe(400);
      r = await rate(rater, token, 4, 5, 'Listened carefully and explained the treatment.');
      expect(r.status, r.text).toBe(201);
      expect(r.body).toMatchObject({ status: 'published', comment_status: 'published' });
      // One rating is below the minimum count: the public sees its count, not its stars or comment.
      const one = await published();
      expect(one.professionalism).toMatchObject({
        count: 1,
        mean: null,
        bayesian: null,
        distribution: {},
        published: false,
      });
      expect(JSON.stringify(one)).not.toContain('Listened carefully');
      // The doctor sees nothing of it until it is 14 days old, not even its count.
      const own = (await call('GET', '/v1/me/ratings', tokens.doctor)).body;
      expect(own.professionalism).toMatchObject({ count: 0, mean: null });
      expect(own.comments).toHaveLength(0);
      r = await rate(await newRater(), token, 1, 1);
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/already been used/);
      const late = await interaction('hospital', doctor);
      now = new Date(now.getTime() + 31 * DAY);
      r = await rate(await newRater(), late, 3, 3);
      expect(r.status).toBe(410);
      expect(r.body.error.message).toMatch(/expired on/);
      now = new Date('2026-01-06T09:00:00Z');
      // A hospital vouches for its doctors, not for a school's teacher; a citizen cannot issue tokens.
      const teacher = await call('POST', '/v1/interactions', tokens.hospital, {
        serving: { kind: 'licence', id: TEACHER_LICENCE },
        service_date: '2026-01-06',
        service: 'lesson',
      });
      expect(teacher.status).toBe(403);
      expect(
        (
          await call('POST', '/v1/interactions', tokens[rater], {
            serving: doctor,
            service_date: '2026-01-06',
            service: 'x',
          })
        ).status,
      ).toBe(403);
      // Nobody rates their own service.
      tokens[DOCTOR_ID] = (
        await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'rater', label: 'self', ref: DOCTOR_ID } })
      ).token;
      expect((await rate(DOCTOR_ID, await interaction('hospital', doctor), 5, 5)).status).toBe(403);
    });

    it('counts the service day in the platform’s zone: at 01:00 in Beijing, today there is not in the future', async () => {
      const before = now;
      now = new Date('2026-01-06T17:00:00Z');
      try {
        const issue = (day: string) =>
          call('POST', '/v1/interactions', tokens.hospital, {
            serving: doctor,
            service_date: day,
            service: 'night consultation',
          });
        const today = await issue('2026-01-07');
        expect(today.status, today.text).toBe(201);
        const tomorrow = await issue('2026-01-08');
        expect(tomorrow.status).toBe(400);
        expect(tomorrow.body.error.message).toMatch(/2026-01-08 is in the future/);
      } finally {
        now = before;
      }
    });

    it('an attack of 200 fake one-star ratings within an hour moves the published score by less than 0.1 star and is held', async () => {
      // Honest patients over two months: mostly 4 and 5 stars, some 3.
      for (let k = 0; k < 60; k++) {
        now = new Date(Date.parse('2026-01-07T08:00:00Z') + k * 22 * HOUR);
        const stars = [5, 4, 4, 5, 3, 4][k % 6]!;
        const r = await rate(
          await newRater(),
          await interaction('hospital', doctor),
          stars,
          Math.min(5, stars + (k % 2)),
        );
        expect(r.body.status, r.text).toBe('published');
      }
      const before = await published();
      expect(before.professionalism.published).toBe(true);
      expect(before.professionalism.count).toBe(61);
      const bayesBefore = [before.professionalism.bayesian, before.honesty.bayesian];

      now = new Date('2026-03-05T10:00:00Z');
      const statuses: string[] = [];
      for (let k = 0; k < 200; k++) {
        now = new Date(Date.parse('2026-03-05T10:00:00Z') + k * 17_000);
        const r = await rate(await newRater(), await interaction('hospital', doctor), 1, 1);
        expect(r.status, r.text).toBe(201);
        statuses.push(r.body.status);
      }
      // The burst is held as soon as it departs from the doctor's own history.
      expect(statuses.slice(-150).every((s) => s === 'held')).toBe(true);
      const after = await published();
      expect(Math.abs(after.professionalism.bayesian - bayesBefore[0])).toBeLessThan(0.1);
      expect(Math.abs(after.honesty.bayesian - bayesBefore[1])).toBeLessThan(0.1);
      expect(after.professionalism.held).toBe(200);

      const held = await call('GET', '/v1/ratings/held', tokens.operator);
      const burst = held.body.holds.find((h: { reason: string }) => h.reason === 'burst');
      expect(burst).toMatchObject({ status: 'pending', ratings: 200, hides: true });
      expect(burst.subject.identifier).toBe(DOCTOR_ID);
      // Its window grew with the attack and its detail counts what it holds.
      expect(burst.window.to >= '2026-03-05T10:56:00').toBe(true);
      expect(burst.detail.ratings).toBe(200);
      // The review shows the ratings, never who gave them.
      const one = await call('GET', `/v1/ratings/held/${burst.id}`, tokens.operator);
      expect(one.body.items).toHaveLength(200);
      for (const id of raterIds) expect(one.text).not.toContain(id);
      // The public and the doctor cannot see the queue.
      expect((await call('GET', '/v1/ratings/held', undefined)).status).toBe(401);
      expect((await call('GET', '/v1/ratings/held', tokens.doctor)).status).toBe(403);
      // The operator's reads of the windows wait for the doctor's own trail until the ratings are
      // revealed (a read there now would tell the doctor that ratings just came and were held):
      // they are on the platform's trail meanwhile (ratings-hold-trail.test.ts follows them there).
      const trail = (await call('GET', '/v1/me?access_limit=50', tokens.doctor)).body.access_log.accesses
        .entries;
      expect(trail.filter((e: { what: string }) => e.what === 'read ratings of you held for review')).toEqual(
        [],
      );

      // Confirmed, the fake ratings stop counting for good.
      const decided = await call('POST', `/v1/ratings/held/${burst.id}/decision`, tokens.operator, {
        decision: 'confirm',
        reason: 'Two hundred fresh accounts in one hour, all one star: review bombing.',
      });
      expect(decided.body).toMatchObject({
        status: 'confirmed',
        decided_by: expect.stringMatching(/^operator:/),
      });
      expect(
        (
          await call('POST', `/v1/ratings/held/${burst.id}/decision`, tokens.operator, {
            decision: 'release',
            reason: 'changed my mind',
          })
        ).status,
      ).toBe(409);
      const final = await published();
      expect(final.professionalism.held).toBe(0);
      expect(final.professionalism.count).toBe(61);
    });

    it('screens comments, lets the rated subject answer and object, and never shows who rated', async () => {
      now = new Date('2026-03-06T09:00:00Z');
      const phone = await rate(
        await newRater(),
        await interaction('hospital', doctor),
        2,
        2,
        'Call me on 13912345678 about him',
      );
      expect(phone.body.comment_status).toBe('held');
      const fair = await rate(
        await newRater(),
        await interaction('hospital', doctor),
        2,
        3,
        'Kept us waiting two hours.',
      );
      expect(fair.body.comment_status).toBe('published');

      // A comment over the policy's 500 characters is refused before the token is used, so the
      // rater can shorten it and rate with the same token; one far longer is refused as fast.
      const wordy = await newRater();
      const kept = await interaction('hospital', doctor);
      for (const long of ['好'.repeat(501), 'a'.repeat(9_000)]) {
        const refused = await rate(wordy, kept, 4, 4, long);
        expect(refused.status, refused.text).toBe(400);
        expect(refused.body.error.message).toContain('at most 500 are allowed');
      }
      const shortened = await rate(wordy, kept, 4, 4, '好'.repeat(500));
      expect(shortened.status, shortened.text).toBe(201);
      expect(shortened.body.comment_status).toBe('published');
      expect(JSON.stringify(await published())).not.toContain('好'.repeat(501));

      // The doctor sees the comments once they are revealed, 14 days after they were given.
      now = new Date('2026-03-20T09:00:00Z');
      const own = await call('GET', '/v1/me/ratings', tokens.doctor);
      expect(own.status).toBe(200);
      expect(own.body.held_comments).toBe(1);
      const comment = own.body.comments.find(
        (c: { comment: string }) => c.comment === 'Kept us waiting two hours.',
      );
      expect(comment.rating_id).toBe(fair.body.id);
      // Neither the day it was given (Friday 6 March) nor the service: with them, a rating that
      // mostly comes right after the visit would point at the patient. The week's Monday only.
      expect(comment.week).toBe('2026-03-02');
      expect(comment).not.toHaveProperty('day');
      expect(comment).not.toHaveProperty('service');
      expect(own.text).not.toContain('2026-03-06');
      expect(own.text).not.toContain('consultation');
      const replied = await call('POST', `/v1/me/ratings/${fair.body.id}/reply`, tokens.doctor, {
        text: 'We have added a second doctor on Tuesdays.',
      });
      expect(replied.status, replied.text).toBe(200);
      const pub = await published();
      expect(
        pub.comments.find((c: { comment: string }) => c.comment === 'Kept us waiting two hours.').reply,
      ).toBe('We have added a second doctor on Tuesdays.');
      expect(JSON.stringify(pub)).not.toContain('13912345678');
      const shownPublicly = pub.comments.find(
        (c: { comment: string }) => c.comment === 'Kept us waiting two hours.',
      );
      expect(shownPublicly.week).toBe('2026-03-02');
      expect(shownPublicly).not.toHaveProperty('day');
      expect(JSON.stringify(pub)).not.toContain('2026-03-06');

      // An objection goes to the queue; the rating keeps counting until an operator decides.
      const count = pub.professionalism.count;
      const objected = await call('POST', `/v1/me/ratings/${fair.body.id}/objection`, tokens.doctor, {
        reason: 'That patient was seen on time; the wait was at another desk.',
      });
      expect(objected.status, objected.text).toBe(201);
      expect(
        (
          await call('POST', `/v1/me/ratings/${fair.body.id}/objection`, tokens.doctor, {
            reason: 'again and again',
          })
        ).status,
      ).toBe(409);
      expect((await published()).professionalism.count).toBe(count);
      const released = await call(
        'POST',
        `/v1/ratings/held/${objected.body.held_window}/decision`,
        tokens.operator,
        {
          decision: 'release',
          reason: 'The wait is documented by the hospital.',
        },
      );
      expect(released.body.status).toBe('released');
      expect((await published()).professionalism.count).toBe(count);
      // Another subject's rating is a 404, like a missing one.
      expect(
        (
          await call('POST', `/v1/me/ratings/${fair.body.id}/objection`, tokens.office, {
            reason: 'not mine at all',
          })
        ).status,
      ).toBe(404);

      // Nothing the doctor reads names a rater: its ratings, its file, its access log.
      const file = await call('GET', '/v1/me', tokens.doctor);
      expect(file.status).toBe(200);
      for (const text of [own.text, file.text, JSON.stringify(pub)])
        for (const id of raterIds.slice(0, nextRater)) expect(text).not.toContain(id);
      // Nor the entries of its trail, which it may read from the audit log byte for byte.
      const doctorRow = await p.store.findSubjectByIdentifier(DOCTOR_ID);
      const trail = await rawDb(p)
        .selectFrom('audit_log')
        .innerJoin('audit_contexts', 'audit_contexts.id', 'audit_log.context_id')
        .select(['audit_contexts.actor', 'audit_contexts.role', 'audit_log.detail', 'audit_log.action'])
        .where('audit_log.subject_id', '=', doctorRow!.id)
        .execute();
      // No entry tells the moment a rating came (its write is on the rater's trail); the hold of
      // the review bombing, decided before its ratings were revealed, waits for the sweep to put it
      // there with its reads and decision; the doctor's own objection, released, is there.
      const actions = trail.map((e) => e.action);
      expect(actions).not.toContain('rating.receive');
      expect(actions).not.toContain('ratings.hold');
      expect(actions).not.toContain('ratings.hold_confirmed');
      expect(actions).toContain('ratings.hold_released');
      for (const e of trail) {
        expect(e.role, JSON.stringify(e)).not.toBe('rater');
        for (const id of raterIds.slice(0, nextRater)) expect(`${e.actor} ${e.detail}`).not.toContain(id);
      }
    });

    it('finds a ring of 20 raters boosting each other’s businesses', async () => {
      // Each member rates 15–19 of the other members' businesses, five a day.
      const members = raterIds.slice(500, 520);
      for (const m of members)
        tokens[m] ??= (
          await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'rater', label: m, ref: m } })
        ).token;
      let day = 0;
      for (let i = 0; i < 20; i++) {
        const targets = Array.from({ length: 20 }, (_, k) => k).filter((k) => k !== i && (k + i) % 7 !== 0);
        for (let j = 0; j < targets.length; j++) {
          now = new Date(Date.parse('2026-03-10T08:00:00Z') + (day + Math.floor(j / 5)) * DAY + i * 60_000);
          const token = await interaction(
            'shop',
            { kind: 'organization', id: business(targets[j]!) },
            'purchase',
          );
          const r = await rate(members[i]!, token, 5, 5);
          expect(r.status, r.text).toBe(201);
        }
        day = 0;
      }
      // Honest shoppers rate a few of the same businesses now and then.
      for (let k = 0; k < 30; k++) {
        now = new Date(Date.parse('2026-03-11T12:00:00Z') + k * 5 * HOUR);
        await rate(
          await newRater(),
          await interaction('shop', { kind: 'organization', id: business(k % 20) }, 'purchase'),
          3 + (k % 3),
          4,
        );
      }
      now = new Date('2026-03-20T09:00:00Z');
      const sweep = await call('POST', '/v1/ratings/sweep', tokens.operator);
      expect(sweep.status, sweep.text).toBe(200);
      expect(sweep.body.holds.by_reason.ring).toBeGreaterThanOrEqual(1);
      const held = await call('GET', '/v1/ratings/held', tokens.operator);
      const ring = held.body.holds.filter((h: { reason: string }) => h.reason === 'ring');
      expect(ring.length).toBeGreaterThanOrEqual(1);
      for (const h of ring) expect(Object.keys(h.detail)).not.toContain('rater_ids');
      const heldIds = new Set<number>();
      for (const h of ring)
        for (const item of (await call('GET', `/v1/ratings/held/${h.id}`, tokens.operator)).body.items)
          heldIds.add(item.id);
      // Most of the ring's 5-star ratings are held; the honest shoppers' ratings are not.
      expect(heldIds.size).toBeGreaterThan(0.8 * 20 * 17);
      // Once revealed, the public sees the ring's ratings held, not counted.
      now = new Date('2026-04-03T09:00:00Z');
      const shop = (await call('GET', `/v1/ratings/${business(3)}`, undefined)).body;
      now = new Date('2026-03-20T09:00:00Z');
      expect(shop.professionalism.held).toBeGreaterThan(10);
      expect(shop.professionalism.count).toBeLessThan(5);
      // The honest population of the doctor is not a ring.
      expect((await published()).professionalism.held).toBe(0);
    });

    it('a public office rated low for a whole period gets a government-affairs record with its key factor', async () => {
      // The period 2026-03-08..2026-06-05 (periods of 90 days from 1970-01-01), three windows of 30 days.
      const office = { kind: 'public_body', id: OFFICE };
      for (let w = 0; w < 3; w++)
        for (let k = 0; k < 20; k++) {
          now = new Date(Date.parse('2026-03-09T09:00:00Z') + w * 30 * DAY + k * 1.4 * DAY);
          const r = await rate(
            await newRater(),
            await interaction('hall', office, 'business licence counter'),
            1 + (k % 2),
            2,
          );
          expect(r.body.status, r.text).toBe('published');
        }
      now = new Date('2026-06-10T09:00:00Z');
      const sweep = await call('POST', '/v1/ratings/sweep', tokens.operator);
      expect(sweep.body.records).toMatchObject({
        period: { from: '2026-03-08', to: '2026-06-05' },
        stored: 1,
      });
      // A second sweep records nothing twice, nor does the next period while this record counts.
      expect((await call('POST', '/v1/ratings/sweep', tokens.operator)).body.records).toMatchObject({
        stored: 0,
      });
      const office2 = { kind: 'public_body', id: OFFICE };
      for (let k = 0; k < 60; k++) {
        now = new Date(Date.parse('2026-06-07T09:00:00Z') + k * 1.4 * DAY);
        await rate(await newRater(), await interaction('hall', office2, 'business licence counter'), 1, 2);
      }
      now = new Date('2026-09-10T09:00:00Z');
      expect((await call('POST', '/v1/ratings/sweep', tokens.operator)).body.records).toMatchObject({
        period: { from: '2026-06-06', to: '2026-09-03' },
        stored: 0,
      });
      const score = await call('GET', `/v1/subjects/${OFFICE}/score`, tokens.operator);
      expect(score.status, score.text).toBe(200);
      const factor = score.body.key_factors.find(
        (f: { type: string }) => f.type === 'gov.service_rating_low',
      );
      expect(factor).toBeDefined();
      expect(factor.text).toMatch(/rated a public office's service poorly/i);
      // It is an ordinary record of the office's file: the office can object to it like any other.
      const file = await call('GET', '/v1/me', tokens.office);
      const record = file.body.records.find((r: { type: string }) => r.type === 'gov.service_rating_low');
      expect(record).toBeDefined();
      expect(record.domain ?? 'government').toBe('government');
      // Nobody can register a source of the ratings kind to submit such records by hand.
      const forge = await call('POST', '/v1/sources', tokens.operator, {
        code: 'fake-ratings',
        kind: 'citizen_ratings',
      });
      expect(forge.status).toBe(400);
    });

    it('names the field of a refused interaction, and quotes a bad service date short', async () => {
      const issue = (body: unknown) => call('POST', '/v1/interactions', tokens.hospital, body);
      const day = now.toISOString().slice(0, 10);
      const one = { serving: doctor, service_date: day, service: 'consultation' };
      const empty = await issue({});
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/^invalid body\.serving: /);
      expect(empty.body.error.issues.map((i: { field: string }) => i.field)).toEqual([
        'body.serving',
        'body.service_date',
        'body.service',
      ]);
      const noServing = await issue({ service_date: day, service: 'consultation' });
      expect(noServing.body.error.issues.map((i: { field: string }) => i.field)).toEqual(['body.serving']);
      const tooMany = await issue({ interactions: Array(MAX_INTERACTIONS + 1).fill(one) });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toMatch(/^invalid body\.interactions: /);
      // Fields of both forms: the field that belongs to neither.
      const mixed = await issue({ interactions: [one], service: 'consultation' });
      expect(mixed.body.error.message).toBe(
        'invalid body: unknown field `service` (expected source, interactions)',
      );
      const long = await issue({ ...one, service_date: '9'.repeat(100_000) });
      expect(long.status).toBe(400);
      expect(long.body.error.message).toMatch(
        /^service_date "9{39}…" is not a calendar date: expected YYYY-MM-DD$/,
      );
      expect(long.text.length).toBeLessThan(400);
    });
  });
}
