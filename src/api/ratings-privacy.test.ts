/**
 * What the ratings keep from the rated subject and the public, on both backends: a service naming
 * a protected category is refused when its token is issued (product rule 2), alone or in a batch,
 * and nothing of the batch is issued; the service is never shown next to a comment, to the public
 * or the rated doctor; the doctor sees a rating one by one (stars, comment, week — never its day),
 * and in the aggregates, only once it is `reveal.after_days` old, and can answer or object to it
 * only then; a hold a rating opens goes on the doctor's trail only once its ratings are revealed;
 * every read of its ratings is on its access log (product rule 9), an organization's page still
 * with its one entry.
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
import { getRatings } from '../ratings/index.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const DAY = 86_400_000;
const DOCTOR_ID = makeResidentId('110105', '1971-03-03', 21);
const DOCTOR_LICENCE = '110105197103030021';
const CLINIC = makeUscc('9', '1', '110105', '20000001');
const person = (k: number) =>
  makeResidentId('110105', `19${60 + (k % 40)}-0${1 + (k % 9)}-1${k % 10}`, 300 + k);
const HIV = 'HIV 抗病毒治疗复诊 (HIV antiretroviral follow-up), 抑郁症 depression';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('ratings privacy', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-02-02T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const op = { id: 'operator:test', role: 'operator' } as const;
    const tokens: Record<string, string> = {};
    const raters = Array.from({ length: 30 }, (_, k) => person(k));
    let nextRater = 0;
    const call = callerOf(() => app);
    const doctor = { kind: 'licence', id: DOCTOR_LICENCE };
    const day = () => now.toISOString().slice(0, 10);
    const countInteractions = async () =>
      Number(
        (
          await rawDb(p)
            .selectFrom('interactions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const rate = async (service: string, professionalism: number, comment: string) => {
      const issued = await call('POST', '/v1/interactions', tokens.hospital, {
        serving: doctor,
        service_date: day(),
        service,
      });
      expect(issued.status, issued.text).toBe(201);
      const rater = raters[nextRater++]!;
      tokens[rater] ??= (
        await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'rater', label: rater, ref: rater } })
      ).token;
      const r = await call('POST', '/v1/ratings', tokens[rater], {
        token: issued.body.token,
        professionalism,
        honesty: professionalism,
        comment,
      });
      expect(r.status, r.text).toBe(201);
      expect(r.body).toMatchObject({ status: 'published', comment_status: 'published' });
      return r.body.id as number;
    };
    /** The subject's audit trail, oldest first. */
    const trailOf = async (identifier: string) => {
      const s = await p.store.findSubjectByIdentifier(identifier);
      return (await p.store.listAuditForSubject(s!.id, 500)).reverse();
    };

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false });
      const lines = [
        {
          kind: 'person',
          id_number: DOCTOR_ID,
          name: '赵医生',
          licences: [{ kind: 'doctor', number: DOCTOR_LICENCE }],
        },
        { kind: 'organization', uscc: CLINIC, name: '某社区诊所有限公司' },
        ...raters.map((id, k) => ({ kind: 'person', id_number: id, name: `患者${k}` })),
      ];
      const imported = await importSubjects({
        ctx: p.ctx(op, 'test'),
        input: { lines: lines.map((value, i) => ({ line: i + 1, value })) },
      });
      expect(imported.rejected).toBe(0);
      const ctx = p.ctx(op, 'test');
      const admin = (await issueToken({ ctx, input: { role: 'operator', label: 'admin' } })).token;
      tokens.hospital = (
        await call('POST', '/v1/sources', admin, { code: 'hospital', kind: 'hospital' })
      ).body.credential;
      // The hospital vouches for the doctor on its roster (issue 16).
      expect(
        (
          await call('POST', '/v1/sources/hospital/staff', admin, {
            licence: DOCTOR_LICENCE,
            from: '2025-01-01',
          })
        ).status,
      ).toBe(201);
      tokens.doctor = (
        await issueToken({ ctx, input: { role: 'subject', label: 'doctor', ref: DOCTOR_ID, days: 365 } })
      ).token;
    }, 60_000);
    afterAll(() => cleanup?.());

    it('refuses a service naming a protected category, naming the field and the word; a batch issues nothing', async () => {
      const before = await countInteractions();
      const one = await call('POST', '/v1/interactions', tokens.hospital, {
        serving: doctor,
        service_date: day(),
        service: HIV,
      });
      expect(one.status, one.text).toBe(400);
      expect(one.body.error.code).toBe('invalid_input');
      expect(one.body.error.message).toMatch(/^service names a protected category \(health: "hiv"\)/);
      expect(one.body.error.message).toContain('product rule 2');
      expect(one.body.error.issues).toEqual([
        { field: 'service', message: 'protected category health: "hiv"' },
      ]);

      // Tokens are issued all or nothing: one bad item refuses the call, the good ones with it.
      const batch = await call('POST', '/v1/interactions', tokens.hospital, {
        interactions: [
          { serving: doctor, service_date: day(), service: 'outpatient consultation' },
          { serving: doctor, service_date: day(), service: '抑郁症复诊' },
          { serving: doctor, service_date: day(), service: 'follow-up visit' },
        ],
      });
      expect(batch.status, batch.text).toBe(400);
      expect(batch.body.error.message).toMatch(
        /^interactions\.1\.service names a protected category \(health: "抑郁"\)/,
      );
      expect(batch.body.error.issues[0].field).toBe('interactions.1.service');
      expect(await countInteractions()).toBe(before);
      // Worded without it, the same batch is issued whole.
      const fixed = await call('POST', '/v1/interactions', tokens.hospital, {
        interactions: [
          { serving: doctor, service_date: day(), service: 'outpatient consultation' },
          { serving: doctor, service_date: day(), service: 'follow-up visit' },
        ],
      });
      expect(fixed.status, fixed.text).toBe(201);
      expect(fixed.body.tokens).toHaveLength(2);
      expect(await countInteractions()).toBe(before + 2);
    });

    it('reveals a rating to the rated doctor only once it is old enough, and lets it be answered or objected to only then', async () => {
      const given = now;
      const id = await rate('outpatient consultation', 2, 'Did not look up from the screen once.');
      // Minutes after the visit the doctor sees nothing of it: not that it came, nor its stars,
      // comment or day.
      now = new Date(given.getTime() + 10 * 60_000);
      const fresh = await call('GET', '/v1/me/ratings', tokens.doctor);
      expect(fresh.status, fresh.text).toBe(200);
      expect(fresh.text).not.toContain('Did not look up');
      expect(fresh.body.comments).toEqual([]);
      expect(fresh.body.professionalism).toMatchObject({ count: 0, mean: null, distribution: {} });
      expect(fresh.body.reveal_after_days).toBe(14);
      // Nor can it answer or object to it: the same 404 as a rating that is not its own.
      for (const [path, body] of [
        ['reply', { text: 'I did look at you.' }],
        ['objection', { reason: 'This patient was seen by a colleague that day.' }],
      ] as const) {
        const r = await call('POST', `/v1/me/ratings/${id}/${path}`, tokens.doctor, body);
        expect(r.status, r.text).toBe(404);
        expect(r.body.error.message).toBe(
          `no rating ${id} of yours is shown to you: a rating is shown, and can be answered or objected to, 14 days after it is given`,
        );
      }
      now = new Date(given.getTime() + 14 * DAY - 1000);
      expect((await call('GET', '/v1/me/ratings', tokens.doctor)).body.comments).toEqual([]);

      // Fourteen days on, it is shown with its week, never its day nor the service it rates (with
      // them it would point at the visit), and can be answered and objected to.
      now = new Date(given.getTime() + 14 * DAY);
      const revealed = (await call('GET', '/v1/me/ratings', tokens.doctor)).body;
      expect(revealed.comments).toEqual([
        expect.objectContaining({
          rating_id: id,
          week: '2026-02-02',
          professionalism: 2,
          comment: 'Did not look up from the screen once.',
        }),
      ]);
      expect(revealed.comments[0]).not.toHaveProperty('service');
      expect(revealed.comments[0]).not.toHaveProperty('day');
      // The aggregates are the public's: one rating shows no stars.
      expect(revealed.professionalism).toMatchObject({ count: 1, mean: null });
      const replied = await call('POST', `/v1/me/ratings/${id}/reply`, tokens.doctor, {
        text: 'We have rearranged the room so the screen faces away.',
      });
      expect(replied.status, replied.text).toBe(200);
      const objected = await call('POST', `/v1/me/ratings/${id}/objection`, tokens.doctor, {
        reason: 'This patient was seen by a colleague that day.',
      });
      expect(objected.status, objected.text).toBe(201);
    });

    it('never publishes the service, and publishes a comment only once it is revealed', async () => {
      // Ten more ratings, one a day, publish the aggregate (min_count); the newest is an hour old.
      const start = now;
      const COMMENTS = [
        'Explained the results clearly.',
        'Punctual and kind.',
        'Answered every question we had.',
        'Took time to listen.',
        'Very thorough examination.',
        'Friendly with my child.',
        'Gave a written plan to follow.',
        'Short wait, good advice.',
        'Called back with the lab results.',
        'Patient with an old man like me.',
      ];
      for (let k = 0; k < 10; k++) {
        now = new Date(start.getTime() + k * DAY);
        await rate('specialist consultation', 4, COMMENTS[k]!);
      }
      now = new Date(start.getTime() + 9 * DAY + 3_600_000);
      let pub = await call('GET', `/v1/ratings/${DOCTOR_LICENCE}`, undefined);
      expect(pub.status, pub.text).toBe(200);
      // Only the ratings 14 days old count, in the aggregate as one by one: the first one alone,
      // below the minimum count, so nothing is published; the others wait their turn.
      expect(pub.body.professionalism).toMatchObject({ published: false, count: 1, distribution: {} });
      expect(pub.body.comments).toEqual([]);
      expect(pub.body.reveal_after_days).toBe(14);
      now = new Date(start.getTime() + 23 * DAY);
      pub = await call('GET', `/v1/ratings/${DOCTOR_LICENCE}`, undefined);
      expect(pub.body.professionalism).toMatchObject({ published: true, count: 11 });
      expect(pub.body.comments).toHaveLength(11);
      for (const c of pub.body.comments) expect(Object.keys(c)).not.toContain('service');
      expect(pub.text).not.toMatch(/consultation/);
      // The doctor sees neither which service each comment rates nor its day: the week only
      // (Mondays 16 and 23 February, newest first), as the public does.
      const ownRes = await call('GET', '/v1/me/ratings', tokens.doctor);
      const own = ownRes.body;
      expect(own.comments).toHaveLength(11);
      expect(ownRes.text).not.toMatch(/consultation/);
      for (const c of [...own.comments, ...pub.body.comments]) {
        expect(c).not.toHaveProperty('service');
        expect(c).not.toHaveProperty('day');
      }
      const weeks = [...Array(3).fill('2026-02-23'), ...Array(7).fill('2026-02-16'), '2026-02-02'];
      expect(own.comments.map((c: { week: string }) => c.week)).toEqual(weeks);
      expect(pub.body.comments.map((c: { week: string }) => c.week)).toEqual(weeks);
    });

    it('moves no published aggregate right after a visit: a new rating’s stars show in it only once revealed', async () => {
      const given = now;
      const shown = async () => {
        const pub = (await call('GET', `/v1/ratings/${DOCTOR_LICENCE}`, undefined)).body;
        const own = (await call('GET', '/v1/me/ratings', tokens.doctor)).body;
        // The doctor's aggregates are the public's.
        expect(own.professionalism).toEqual(pub.professionalism);
        return pub.professionalism;
      };
      const before = await shown();
      expect(before).toMatchObject({ published: true, count: 11 });
      await rate('outpatient consultation', 1, 'Rushed.');
      // An hour after the visit neither the count nor the distribution nor the mean has moved: the
      // doctor cannot read the stars of the patient just seen off the aggregate.
      now = new Date(given.getTime() + 3_600_000);
      expect(await shown()).toEqual(before);
      now = new Date(given.getTime() + 14 * DAY - 1000);
      expect(await shown()).toEqual(before);
      now = new Date(given.getTime() + 14 * DAY);
      const after = await shown();
      expect(after.count).toBe(12);
      expect(after.distribution[1]).toBe(before.distribution[1] + 1);
    });

    it('puts every read of a licensed person’s ratings on its access log, and an organization’s page still once', async () => {
      const trail = async () =>
        (await trailOf(DOCTOR_ID)).filter((a) => a.action === 'ratings.read').map((a) => a.role);
      const before = (await trail()).length;
      const pub = await call('GET', `/v1/ratings/${DOCTOR_LICENCE}`, undefined);
      expect(pub.status).toBe(200);
      // As `credence ratings show` reads them: the operator's verb, which shows no service either.
      const shown = await getRatings({
        ctx: p.ctx(op, 'look up published ratings'),
        input: { id: DOCTOR_LICENCE },
        deps: p.ratings,
      });
      expect(shown.comments.length).toBeGreaterThan(0);
      for (const c of shown.comments) expect(c).not.toHaveProperty('service');
      const after = await trail();
      expect(after).toHaveLength(before + 2);
      expect(after.slice(-2)).toEqual(['public', 'operator']);
      const entry = (await trailOf(DOCTOR_ID)).filter((a) => a.action === 'ratings.read').at(-1)!;
      expect(entry).toMatchObject({ purpose: 'look up published ratings', subjectId: expect.any(Number) });
      // The doctor reads it on its own access log.
      const log = (await call('GET', '/v1/me?access_limit=50', tokens.doctor)).body.access_log.accesses
        .entries;
      expect(
        log.filter((e: { action: string }) => e.action === 'ratings.read').length,
      ).toBeGreaterThanOrEqual(2);
      // A missing subject is the same 404 as before.
      expect((await call('GET', '/v1/ratings/NO-SUCH-LICENCE', undefined)).status).toBe(404);

      // An organization's ratings read alone are on its trail too; its page keeps its one entry.
      const clinic = async () => (await trailOf(CLINIC)).map((a) => a.action);
      expect((await call('GET', `/v1/ratings/${CLINIC}`, undefined)).status).toBe(200);
      expect((await clinic()).filter((a) => a === 'ratings.read')).toHaveLength(1);
      const page = await call('GET', `/v1/public/organizations/${CLINIC}`, undefined);
      expect(page.status, page.text).toBe(200);
      const actions = await clinic();
      expect(actions.filter((a) => a === 'lookup.organization.read')).toHaveLength(1);
      expect(actions.filter((a) => a === 'ratings.read')).toHaveLength(1);
    });

    it('puts a hold opened by a rating as it comes on the doctor’s trail only once its ratings are revealed', async () => {
      const operator = (
        await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'operator', label: 'sweeper' } })
      ).token;
      const sweep = async () => expect((await call('POST', '/v1/ratings/sweep', operator)).status).toBe(200);
      const holdsOnTrail = async () => (await trailOf(DOCTOR_ID)).filter((a) => a.action === 'ratings.hold');
      // Three patients write the same comment: the third opens a duplicate hold as it comes.
      const given = now;
      const statuses: string[] = [];
      for (let k = 0; k < 3; k++) {
        now = new Date(given.getTime() + k * 60_000);
        const issued = await call('POST', '/v1/interactions', tokens.hospital, {
          serving: doctor,
          service_date: day(),
          service: 'outpatient consultation',
        });
        const rater = raters[nextRater++]!;
        tokens[rater] ??= (
          await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'rater', label: rater, ref: rater } })
        ).token;
        const r = await call('POST', '/v1/ratings', tokens[rater], {
          token: issued.body.token,
          professionalism: 1,
          honesty: 1,
          comment: 'The receptionist was rude and the doctor came late again.',
        });
        expect(r.status, r.text).toBe(201);
        statuses.push(r.body.status);
      }
      expect(statuses.at(-1)).toBe('held');
      // The doctor's trail does not tell the moment: the hold is on the platform's, naming it there.
      expect(await holdsOnTrail()).toEqual([]);
      const platform = await rawDb(p)
        .selectFrom('audit_log')
        .select(['audit_log.detail'])
        .where('audit_log.action', '=', 'ratings.hold')
        .where('audit_log.subject_id', 'is', null)
        .execute();
      expect(platform.map((e) => JSON.parse(`${e.detail}`))).toContainEqual(
        expect.objectContaining({ reason: 'duplicate', rated: DOCTOR_ID }),
      );
      // The sweep leaves it off while the ratings are not revealed…
      now = new Date(given.getTime() + 14 * DAY - 60_000);
      await sweep();
      expect(await holdsOnTrail()).toEqual([]);
      // …and puts it there, once, when they are (product rule 9).
      now = new Date(given.getTime() + 14 * DAY + 3 * 60_000);
      await sweep();
      await sweep();
      const lines = await holdsOnTrail();
      expect(lines).toHaveLength(1);
      expect(JSON.parse(`${lines[0]!.detail}`)).toMatchObject({ reason: 'duplicate', ratings: 3 });
      expect(lines[0]!.detail).not.toContain(raters[nextRater - 1]!);
    });
  });
}
