/**
 * What a source declares and who serves under it, over HTTP, on both backends (issue 16):
 * - a declared daily service volume, checked, changed and audited, is what over-issuing of
 *   interaction tokens is judged against (else the policy's default);
 * - an own-name source (hospital, school, employer, bank, telecom, service hall) vouches only for
 *   the organization it declared and the licensed professionals on its roster on the service day,
 *   refusing with a 403 that names what to register; a marketplace vouches for third parties;
 * - the roster is managed by the operator (all or nothing, audited on each person's trail), read
 *   by a source for itself only;
 * - a rater on the roster of the rated organization's source, or on the rated professional's
 *   source's roster, is a connected rater; so is one tied to the same organization another way
 *   (bound to it, or on another of its sources' rosters), either way round;
 * - concurrent adds of one person to a roster keep one entry; an unknown licence and one not on
 *   the roster are refused alike; a person taken off with no day named stays on through today;
 *   roster changes and reads read plainly on the person's own file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import { issueToken } from '../access/index.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import { callerOf, startTestApp, type TestApp, TODAY } from './test-app.ts';

const HOSPITAL_ORG = makeUscc('9', '1', '110105', '40000011');
const OTHER_ORG = makeUscc('9', '1', '110105', '40000012');
const OFFICE = makeUscc('1', '1', '110105', '40000013');
const DOCTOR = makeResidentId('110105', '1975-05-05', 21);
const DOCTOR_LICENCE = 'D-110105-0021';
const OTHER_DOCTOR = makeResidentId('110105', '1976-06-06', 22);
const OTHER_LICENCE = 'D-110105-0022';
/** Persons: 0–5 the hospital's staff, 6–9 strangers, 10 the shop's staff. */
const person = (k: number) => makeResidentId('110105', `19${70 + k}-03-0${1 + (k % 9)}`, 300 + k);
const STAFF = [0, 1, 2, 3, 4, 5].map(person);
const STRANGERS = [6, 7, 8, 9].map(person);
const SHOP_STAFF = person(10);
/** A nurse of the hospital's second source; the hospital's legal representative. */
const NURSE_IN = person(11);
const BOUND = person(12);
/** Added to one roster by several operators at once. */
const RUSHED = person(13);
const DAY = 86_400_000;
const daysBefore = (n: number) => new Date(Date.parse(TODAY) - n * DAY).toISOString().slice(0, 10);

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('source declarations and rosters', backend), () => {
    let t: TestApp;
    const call = callerOf(() => t.app);
    const patch = async (code: string, payload: unknown, token = t.operator) => {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/v1/sources/${code}`,
        headers: { authorization: `Bearer ${token}`, 'x-purpose': 'test' },
        payload: payload as object,
      });
      return { status: res.statusCode, body: res.json(), text: res.body };
    };
    const credentials: Record<string, string> = {};
    const raters: Record<string, string> = {};
    const issue = (source: string, serving: { kind: string; id: string }, day = TODAY) =>
      call('POST', '/v1/interactions', t.operator, {
        source,
        serving,
        service_date: day,
        service: 'consultation',
      });
    const rateWith = async (rater: string, source: string, serving: { kind: string; id: string }) => {
      const issued = await issue(source, serving);
      expect(issued.status, issued.text).toBe(201);
      raters[rater] ??= (
        await issueToken({
          ctx: t.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
          input: { role: 'rater', label: rater, ref: rater },
        })
      ).token;
      const r = await call('POST', '/v1/ratings', raters[rater], {
        token: issued.body.token,
        professionalism: 5,
        honesty: 5,
      });
      expect(r.status, r.text).toBe(201);
      return {
        status: r.body.status as string,
        connected: (await t.platform.store.ratings.findRating(r.body.id))!.connected,
      };
    };
    const auditActions = async (action: string) =>
      rawDb(t.platform)
        .selectFrom('audit_log')
        .select(['subject_id', 'detail'])
        .where('action', '=', action)
        .execute();

    beforeAll(async () => {
      t = await startTestApp({ backend });
      const lines = [
        { kind: 'organization', uscc: HOSPITAL_ORG, name: '某区人民医院有限公司' },
        { kind: 'organization', uscc: OTHER_ORG, name: '某某贸易有限公司' },
        { kind: 'public_body', uscc: OFFICE, name: '某区政务服务中心' },
        {
          kind: 'person',
          id_number: DOCTOR,
          name: '李医生',
          licences: [{ kind: 'doctor', number: DOCTOR_LICENCE }],
        },
        {
          kind: 'person',
          id_number: OTHER_DOCTOR,
          name: '王医生',
          licences: [{ kind: 'doctor', number: OTHER_LICENCE }],
        },
        ...[...STAFF, ...STRANGERS, SHOP_STAFF, NURSE_IN, BOUND, RUSHED].map((id, k) => ({
          kind: 'person',
          id_number: id,
          name: `居民${k}`,
        })),
      ];
      const imported = await importSubjects({
        ctx: t.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
        input: { lines: lines.map((value, i) => ({ line: i + 1, value })) },
      });
      expect(imported.rejected).toBe(0);
      for (const [code, kind] of [
        ['hosp', 'hospital'],
        ['hosp2', 'hospital'],
        ['hall', 'local_government'],
        ['shop', 'ecommerce'],
      ] as const) {
        const r = await call('POST', '/v1/sources', t.operator, { code, kind });
        expect(r.status, r.text).toBe(201);
        expect(r.body.source).toMatchObject({ organization: null, daily_service_volume: null });
        credentials[code] = r.body.credential;
      }
    }, 60_000);
    afterAll(async () => t.close());

    describe('a declared daily service volume', () => {
      it('is a whole number from 1 to a million, refused otherwise with what was expected', async () => {
        for (const v of [0, -3, 1_000_001]) {
          const r = await patch('shop', { daily_service_volume: v });
          expect(r.status, r.text).toBe(400);
          expect(r.body.error.message).toContain(
            'daily_service_volume must be a whole number of services a day from 1 to 1000000',
          );
        }
        expect((await patch('shop', { daily_service_volume: 2.5 })).status).toBe(400);
        const reg = await call('POST', '/v1/sources', t.operator, {
          code: 'too-big',
          kind: 'ecommerce',
          daily_service_volume: 2_000_000,
        });
        expect(reg.status).toBe(400);
        expect((await patch('nobody', { daily_service_volume: 5 })).status).toBe(404);
        expect((await patch('shop', {})).body.error.message).toMatch(/^nothing to change/);
      });

      it('is what over-issuing is judged against, changed by the operator and audited', async () => {
        const set = await patch('shop', { daily_service_volume: 3 });
        expect(set.status, set.text).toBe(200);
        expect(set.body.source.daily_service_volume).toBe(3);
        const listed = (await call('GET', '/v1/sources', t.operator)).body.sources;
        expect(listed.find((s: { code: string }) => s.code === 'shop').daily_service_volume).toBe(3);
        expect((await auditActions('source.update')).map((a) => a.detail)).toContain(
          'shop daily_service_volume 3',
        );
        // A source may not change what it declares.
        expect((await patch('shop', { daily_service_volume: 500 }, credentials.shop!)).status).toBe(403);
        // Six tokens are within twice three; the seventh is beyond: the day is held.
        for (let k = 0; k < 6; k++)
          expect((await issue('shop', { kind: 'organization', id: OTHER_ORG })).status).toBe(201);
        expect(
          await t.platform.store.ratings.findPendingHold('source_volume', `shop:${TODAY}`),
        ).toBeUndefined();
        expect((await issue('shop', { kind: 'organization', id: OTHER_ORG })).status).toBe(201);
        const hold = await t.platform.store.ratings.findPendingHold('source_volume', `shop:${TODAY}`);
        expect(hold?.detail).toMatchObject({ issued: 7, daily_service_volume: 3, volume_declared: true });
        // Cleared, the policy's default (200) stands again.
        const back = await patch('shop', { daily_service_volume: null });
        expect(back.body.source.daily_service_volume).toBeNull();
      });
    });

    describe('who a source vouches for', () => {
      it('an own-name source with no organization declared vouches for none, naming the command that fixes it', async () => {
        const r = await issue('hosp', { kind: 'organization', id: HOSPITAL_ORG });
        expect(r.status, r.text).toBe(403);
        expect(r.body.error.message).toBe(
          'hosp is a hospital source with no organization declared: it vouches only for its own organization or public body, so register which one it is with `credence sources set hosp --organization USCC` (PATCH /v1/sources/hosp {"organization": USCC})',
        );
        // The list says so beforehand, with the commands to run (sources registered before issue 16).
        const listed = (await call('GET', '/v1/sources', t.operator)).body.sources as {
          code: string;
          cannot_issue_tokens: string | null;
        }[];
        const blocked = (code: string) => listed.find((s) => s.code === code)!.cannot_issue_tokens;
        expect(blocked('hosp')).toBe(
          'cannot issue interaction tokens until it declares the organization it is: `credence sources set hosp --organization USCC` (PATCH /v1/sources/hosp), then its licensed professionals go on its roster: `credence sources staff add hosp --file staff.csv`',
        );
        // A marketplace vouches for others: nothing to declare.
        expect(blocked('shop')).toBeNull();
      });

      it('declares its organization (checked, audited on its trail) and vouches for it alone', async () => {
        expect((await patch('hosp', { organization: makeUscc('9', '1', '110105', '49999999') })).status).toBe(
          404,
        );
        expect((await patch('hosp', { organization: 'not-a-uscc' })).status).toBe(400);
        // A service hall is a public body's: a company is refused.
        const hall = await patch('hall', { organization: OTHER_ORG });
        expect(hall.status).toBe(400);
        expect(hall.body.error.message).toMatch(/a local_government source is run by a public body/);
        expect((await patch('hall', { organization: OFFICE })).status).toBe(200);
        const set = await patch('hosp', { organization: HOSPITAL_ORG });
        expect(set.status, set.text).toBe(200);
        expect(set.body.source.cannot_issue_tokens).toBeNull();
        expect(set.body.source.organization).toEqual({
          uscc: HOSPITAL_ORG,
          name: '某区人民医院有限公司',
          kind: 'organization',
        });
        const org = await t.platform.store.findSubjectByIdentifier(HOSPITAL_ORG);
        expect((await auditActions('source.update')).some((a) => Number(a.subject_id) === org!.id)).toBe(
          true,
        );
        expect((await issue('hosp', { kind: 'organization', id: HOSPITAL_ORG })).status).toBe(201);
        const other = await issue('hosp', { kind: 'organization', id: OTHER_ORG });
        expect(other.status).toBe(403);
        expect(other.body.error.message).toBe(
          `hosp vouches only for its own organization (USCC ${HOSPITAL_ORG}) and the licensed professionals on its roster, not for ${OTHER_ORG}: a service of another organization is vouched for by that organization's own source`,
        );
        // The hall vouches for its own office and for no company.
        expect((await issue('hall', { kind: 'public_body', id: OFFICE })).status).toBe(201);
        expect((await issue('hall', { kind: 'organization', id: OTHER_ORG })).status).toBe(403);
        // A marketplace vouches for the organizations that sell through it, declared or not.
        expect((await issue('shop', { kind: 'organization', id: OTHER_ORG })).status).toBe(201);
        expect((await issue('shop', { kind: 'public_body', id: OFFICE })).status).toBe(403);
      });

      it('vouches for a licensed professional only while on its roster, naming what to register', async () => {
        const doctor = { kind: 'licence', id: DOCTOR_LICENCE };
        const refused = await issue('hosp', doctor);
        expect(refused.status, refused.text).toBe(403);
        expect(refused.body.error.message).toBe(
          `licence ${DOCTOR_LICENCE} is not on the roster of hosp on ${TODAY}: a source vouches only for the licensed professionals who serve under it; if they do, register them with \`credence sources staff add hosp --licence ${DOCTOR_LICENCE} --from ${TODAY}\` (POST /v1/sources/hosp/staff)`,
        );
        const add = await call('POST', '/v1/sources/hosp/staff', t.operator, {
          licence: DOCTOR_LICENCE,
          position: 'attending physician',
          from: daysBefore(10),
        });
        expect(add.status, add.text).toBe(201);
        expect(add.body.staff).toEqual([
          expect.objectContaining({
            person: { id_number: DOCTOR, name: '李医生' },
            licence: { kind: 'doctor', number: DOCTOR_LICENCE },
            position: 'attending physician',
            from: daysBefore(10),
            until: null,
          }),
        ]);
        expect((await issue('hosp', doctor)).status).toBe(201);
        // Not before the first day, and not for another hospital.
        expect((await issue('hosp', doctor, daysBefore(11))).status).toBe(403);
        expect((await issue('hosp2', doctor)).status).toBe(403);
        // Off the roster from yesterday on: services before that stay vouchable.
        const ended = await call('POST', '/v1/sources/hosp/staff/remove', t.operator, {
          licence: DOCTOR_LICENCE,
          until: daysBefore(1),
        });
        expect(ended.status, ended.text).toBe(200);
        expect(ended.body.staff[0].until).toBe(daysBefore(1));
        expect((await issue('hosp', doctor)).status).toBe(403);
        expect((await issue('hosp', doctor, daysBefore(2))).status).toBe(201);
        expect(
          (await call('POST', '/v1/sources/hosp/staff/remove', t.operator, { licence: DOCTOR_LICENCE }))
            .status,
        ).toBe(404);
        // Back from today (a new entry: the old one stays on file, ended).
        expect(
          (await call('POST', '/v1/sources/hosp/staff', t.operator, { licence: DOCTOR_LICENCE, from: TODAY }))
            .status,
        ).toBe(201);
        expect((await issue('hosp', doctor)).status).toBe(201);
        // Taken off with no day named, the doctor stays on through today (until tomorrow): this
        // morning's patients can still be given tokens for the service.
        const off = await call('POST', '/v1/sources/hosp/staff/remove', t.operator, {
          licence: DOCTOR_LICENCE,
        });
        expect(off.status, off.text).toBe(200);
        expect(off.body.staff[0].until).toBe(daysBefore(-1));
        expect((await issue('hosp', doctor)).status).toBe(201);
      });

      it('refuses an unknown licence and one on file but not on its roster alike: it learns nothing of others’ licences', async () => {
        const unknown = await issue('hosp', { kind: 'licence', id: 'D-110105-9999' });
        const other = await issue('hosp', { kind: 'licence', id: OTHER_LICENCE });
        expect([unknown.status, other.status], unknown.text).toEqual([403, 403]);
        expect(unknown.body.error.message.replaceAll('D-110105-9999', 'N')).toBe(
          other.body.error.message.replaceAll(OTHER_LICENCE, 'N'),
        );
      });
    });

    describe('the roster', () => {
      it('adds all or nothing, naming the entry at fault; refuses overlaps and protected words', async () => {
        const before = (await call('GET', '/v1/sources/hosp2/staff', t.operator)).body.staff.length;
        const bad = await call('POST', '/v1/sources/hosp2/staff', t.operator, {
          staff: [
            { licence: OTHER_LICENCE, from: daysBefore(30) },
            { person: STAFF[0], from: '2026-02-30' },
          ],
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.issues).toEqual([{ field: 'staff.1.from', message: 'expected YYYY-MM-DD' }]);
        const both = await call('POST', '/v1/sources/hosp2/staff', t.operator, {
          licence: OTHER_LICENCE,
          person: STAFF[0],
          from: TODAY,
        });
        expect(both.body.error.message).toBe(
          'staff: name the person by licence number or by resident ID, one of them',
        );
        const late = await call('POST', '/v1/sources/hosp2/staff', t.operator, {
          person: STAFF[0],
          from: TODAY,
          until: daysBefore(1),
        });
        expect(late.status).toBe(400);
        const unknown = await call('POST', '/v1/sources/hosp2/staff', t.operator, {
          licence: 'NOPE-1',
          from: TODAY,
        });
        expect(unknown.status).toBe(404);
        const word = await call('POST', '/v1/sources/hosp2/staff', t.operator, {
          person: STAFF[0],
          position: 'HIV clinic nurse',
          from: TODAY,
        });
        expect(word.status, word.text).toBe(422);
        expect(word.body.error.code).toBe('protected_category');
        expect((await call('GET', '/v1/sources/hosp2/staff', t.operator)).body.staff).toHaveLength(before);
        const ok = await call('POST', '/v1/sources/hosp2/staff', t.operator, {
          staff: [{ licence: OTHER_LICENCE, from: daysBefore(30) }],
        });
        expect(ok.status, ok.text).toBe(201);
        const again = await call('POST', '/v1/sources/hosp2/staff', t.operator, {
          licence: OTHER_LICENCE,
          from: daysBefore(5),
        });
        expect(again.status).toBe(409);
        expect(again.body.error.message).toMatch(/is already on this roster from/);
        // Each addition is on the person's own trail.
        const doc = await t.platform.store.findSubjectByIdentifier(OTHER_DOCTOR);
        expect((await auditActions('source.staff.add')).some((a) => Number(a.subject_id) === doc!.id)).toBe(
          true,
        );
      });

      it('adds one person once when the same entry is sent several times at once: one 201, the rest 409', async () => {
        // Connections open in the pool first (on PostgreSQL), so the adds truly run side by side
        // rather than each waiting for a connection of its own while the first one commits.
        await Promise.all(Array.from({ length: 10 }, () => t.platform.store.listSources()));
        const answers = await Promise.all(
          Array.from({ length: 6 }, () =>
            call('POST', '/v1/sources/hall/staff', t.operator, { person: RUSHED, from: daysBefore(3) }),
          ),
        );
        expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
        const rows = (await call('GET', '/v1/sources/hall/staff', t.operator)).body.staff as {
          person: { id_number: string };
        }[];
        expect(rows.filter((r) => r.person.id_number === RUSHED)).toHaveLength(1);
      });

      it('is read by the operator and by the source itself only, each read audited on the persons shown', async () => {
        const own = await call('GET', '/v1/sources/hosp2/staff', credentials.hosp2);
        expect(own.status, own.text).toBe(200);
        expect(own.body.staff.map((s: { person: { id_number: string } }) => s.person.id_number)).toEqual([
          OTHER_DOCTOR,
        ]);
        const other = await call('GET', '/v1/sources/hosp/staff', credentials.hosp2);
        expect(other.status).toBe(403);
        expect(other.body.error.message).toBe('a source sees only its own roster (you are hosp2)');
        const doc = await t.platform.store.findSubjectByIdentifier(OTHER_DOCTOR);
        expect((await auditActions('source.staff.read')).some((a) => Number(a.subject_id) === doc!.id)).toBe(
          true,
        );
        expect(
          (
            await call('POST', '/v1/sources/hosp2/staff', credentials.hosp2, {
              person: STAFF[0],
              from: TODAY,
            })
          ).status,
        ).toBe(403);
      });
    });

    describe('on the trails', () => {
      it('shows roster entries and a source’s declaration on the subject’s own file in plain words', async () => {
        // Taken off with no day named: still on through today (the raters' tests below rate it).
        const ended = await call('POST', '/v1/sources/hosp2/staff/remove', t.operator, {
          licence: OTHER_LICENCE,
        });
        expect(ended.status, ended.text).toBe(200);
        const own = async (ref: string) => {
          const { token } = await issueToken({
            ctx: t.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
            input: { role: 'subject', label: ref, ref },
          });
          const me = await call('GET', '/v1/me?access_limit=100', token);
          expect(me.status, me.text).toBe(200);
          return (me.body.access_log.accesses.entries as { what: string }[]).map((e) => e.what);
        };
        expect(await own(OTHER_DOCTOR)).toEqual(
          expect.arrayContaining([
            'put you on the staff roster of a data source you serve under',
            'read a staff roster that lists you',
            'took you off the staff roster of a data source',
          ]),
        );
        expect(await own(HOSPITAL_ORG)).toContain(
          'changed what a data source declares: that it serves in your name, or no longer',
        );
      });
    });

    describe('connected raters', () => {
      beforeAll(async () => {
        const r = await call('POST', '/v1/sources/hosp/staff', t.operator, {
          staff: STAFF.map((id) => ({ person: id, position: 'nurse', from: daysBefore(60) })),
        });
        expect(r.status, r.text).toBe(201);
        expect(
          (
            await call('POST', '/v1/sources/shop/staff', t.operator, {
              person: SHOP_STAFF,
              from: daysBefore(60),
            })
          ).status,
        ).toBe(201);
      });

      it('a rater on the roster of the rated professional’s source is connected (a colleague); a stranger is not', async () => {
        const doctor = { kind: 'licence', id: DOCTOR_LICENCE };
        expect((await rateWith(STAFF[0]!, 'hosp', doctor)).connected).toBe(true);
        expect((await rateWith(STRANGERS[0]!, 'hosp', doctor)).connected).toBe(false);
        // On another source's roster only: not the doctor's colleague.
        expect((await rateWith(SHOP_STAFF, 'hosp', doctor)).connected).toBe(false);
      });

      it('a rater on the roster of a source that is the rated organization is connected: its staff are held once most', async () => {
        const hospital = { kind: 'organization', id: HOSPITAL_ORG };
        expect((await rateWith(STRANGERS[1]!, 'hosp', hospital)).connected).toBe(false);
        expect((await rateWith(STRANGERS[2]!, 'hosp', hospital)).connected).toBe(false);
        const staff = [];
        for (const id of STAFF.slice(1, 5)) staff.push(await rateWith(id, 'hosp', hospital));
        expect(staff.map((s) => s.connected)).toEqual([true, true, true, true]);
        // Four staff of six ratings: the staff's ratings are held as connected.
        expect(staff.at(-1)!.status).toBe('held');
        const held = (await call('GET', '/v1/ratings/held', t.operator)).body.holds as { reason: string }[];
        expect(held.some((h) => h.reason === 'connected')).toBe(true);
        // The shop's staff rating a company the shop sells for is not the company's staff.
        expect((await rateWith(SHOP_STAFF, 'shop', { kind: 'organization', id: OTHER_ORG })).connected).toBe(
          false,
        );
      });

      it('ties of any kind meet: bound to the organization, on another of its sources’ rosters, and the reverse', async () => {
        // hosp3 is the same hospital's second source (its outpatients, say): the same organization.
        const reg = await call('POST', '/v1/sources', t.operator, {
          code: 'hosp3',
          kind: 'hospital',
          organization: HOSPITAL_ORG,
        });
        expect(reg.status, reg.text).toBe(201);
        const nurse = await call('POST', '/v1/sources/hosp3/staff', t.operator, {
          person: NURSE_IN,
          from: daysBefore(60),
        });
        expect(nurse.status, nurse.text).toBe(201);
        const bound = await importSubjects({
          ctx: t.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
          input: {
            lines: [
              {
                line: 1,
                value: {
                  kind: 'organization',
                  uscc: HOSPITAL_ORG,
                  name: '某区人民医院有限公司',
                  legal_representative: { id_number: BOUND, name: '居民12' },
                  actual_controller: { id_number: OTHER_DOCTOR, name: '王医生' },
                },
              },
            ],
          },
        });
        expect(bound.rejected).toBe(0);
        const doctor = { kind: 'licence', id: DOCTOR_LICENCE };
        // The hospital's legal representative rating a doctor on the roster of the hospital's source.
        expect((await rateWith(BOUND, 'hosp', doctor)).connected).toBe(true);
        // A nurse of the hospital's other source rating that doctor.
        expect((await rateWith(NURSE_IN, 'hosp', doctor)).connected).toBe(true);
        // A nurse on the hospital's roster rating a doctor who serves under another source but is
        // bound to the hospital (its actual controller).
        const other = { kind: 'licence', id: OTHER_LICENCE };
        expect((await rateWith(STAFF[5]!, 'hosp2', other)).connected).toBe(true);
        expect((await rateWith(STRANGERS[3]!, 'hosp2', other)).connected).toBe(false);
      });
    });
  });
}
