/**
 * What an operator's review of a hold tells the rated subject, on both backends: while a hold is
 * not yet on the rated doctor's trail (its ratings are not revealed), reading it and deciding it
 * are audited on the platform's trail and say nothing on the doctor's — a read there would tell
 * the doctor that ratings just came and were held. Once the ratings are revealed, the sweep puts
 * the hold on the doctor's trail with every line it owes (each under the operator who acted, with
 * the instant it acted), once; a read after that goes on the doctor's trail at once (product rule 9).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import { issueToken } from '../access/index.ts';
import type { Clock } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { buildApp } from './app.ts';
import { callerOf, setUpRatedDoctor } from './test-app.ts';

const DAY = 86_400_000;
const DOCTOR_ID = makeResidentId('110105', '1972-04-04', 31);
const DOCTOR_LICENCE = '110105197204040031';
const person = (k: number) =>
  makeResidentId('110105', `19${60 + (k % 40)}-0${1 + (k % 9)}-1${k % 10}`, 500 + k);

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('ratings hold trail', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-03-02T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const op = { id: 'operator:test', role: 'operator' } as const;
    const tokens: Record<string, string> = {};
    const raters = Array.from({ length: 6 }, (_, k) => person(k));
    const call = callerOf(() => app);
    const doctor = { kind: 'licence', id: DOCTOR_LICENCE };
    const day = () => now.toISOString().slice(0, 10);
    /** The doctor's trail, oldest first. */
    const trail = async () => {
      const s = await p.store.findSubjectByIdentifier(DOCTOR_ID);
      return (await p.store.listAuditForSubject(s!.id, 500)).reverse();
    };
    const holdLines = async () => (await trail()).filter((a) => a.action.startsWith('ratings.hold'));

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false });
      Object.assign(
        tokens,
        await setUpRatedDoctor(p, call, { id: DOCTOR_ID, licence: DOCTOR_LICENCE, name: '钱医生' }, raters),
      );
      tokens.reviewer = (
        await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'operator', label: 'reviewer' } })
      ).token;
    }, 60_000);
    afterAll(() => cleanup?.());

    it('says nothing on the doctor’s trail about a hold’s review until its ratings are revealed, then all of it, once', async () => {
      // Three patients send the same comment: the third opens a duplicate hold as it comes.
      const given = now;
      const statuses: string[] = [];
      for (let k = 0; k < 3; k++) {
        now = new Date(given.getTime() + k * 60_000);
        const issued = await call('POST', '/v1/interactions', tokens.hospital, {
          serving: doctor,
          service_date: day(),
          service: 'outpatient consultation',
        });
        expect(issued.status, issued.text).toBe(201);
        const r = await call('POST', '/v1/ratings', tokens[raters[k]!], {
          token: issued.body.token,
          professionalism: 1,
          honesty: 1,
          comment: 'The nurse shouted at every patient waiting in the corridor today.',
        });
        expect(r.status, r.text).toBe(201);
        statuses.push(r.body.status);
      }
      expect(statuses.at(-1)).toBe('held');

      // The reviewer reads the queue and the window, and confirms it, an hour later.
      now = new Date(given.getTime() + 3_600_000);
      const readAt = now.toISOString();
      const queue = await call('GET', '/v1/ratings/held', tokens.reviewer);
      expect(queue.status, queue.text).toBe(200);
      const hold = queue.body.holds.find((h: { reason: string }) => h.reason === 'duplicate');
      expect(hold).toBeDefined();
      expect(Object.keys(hold.detail)).not.toContain('deferred_trail');
      expect((await call('GET', `/v1/ratings/held/${hold.id}`, tokens.reviewer)).status).toBe(200);
      now = new Date(given.getTime() + 2 * 3_600_000);
      const decidedAt = now.toISOString();
      const decided = await call('POST', `/v1/ratings/held/${hold.id}/decision`, tokens.reviewer, {
        decision: 'confirm',
        reason: 'the same text from three accounts within minutes',
      });
      expect(decided.status, decided.text).toBe(200);

      // Nothing of it on the doctor's trail: the platform's trail has the reads and the decision.
      expect(await holdLines()).toEqual([]);
      const platformLines = await rawDb(p)
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('subject_id', 'is', null)
        .where('action', 'in', ['ratings.hold_read', 'ratings.hold_confirmed'])
        .execute();
      expect(platformLines.map((l) => l.action).sort()).toEqual([
        'ratings.hold_confirmed',
        'ratings.hold_read',
        'ratings.hold_read',
      ]);
      for (const l of platformLines) expect(`${l.detail}`).toContain(DOCTOR_ID);

      // The sweep before the ratings are revealed still says nothing…
      const sweep = async () =>
        expect((await call('POST', '/v1/ratings/sweep', tokens.admin)).status).toBe(200);
      now = new Date(given.getTime() + 14 * DAY - 60_000);
      await sweep();
      expect(await holdLines()).toEqual([]);
      // …and once they are, puts the hold there with the reads and the decision, each under the
      // reviewer who acted and with when it acted; a second sweep adds nothing.
      now = new Date(given.getTime() + 14 * DAY + 3 * 60_000);
      await sweep();
      await sweep();
      const lines = await holdLines();
      expect(lines.map((l) => l.action)).toEqual([
        'ratings.hold',
        'ratings.hold_read',
        'ratings.hold_read',
        'ratings.hold_confirmed',
      ]);
      const [, read1, read2, decision] = lines;
      const reviewer = read1!.actor;
      expect(reviewer).toMatch(/^operator:/);
      expect(reviewer).not.toBe('operator:test');
      expect([read2!.actor, decision!.actor]).toEqual([reviewer, reviewer]);
      expect(JSON.parse(`${read1!.detail}`)).toEqual({ hold_ids: [hold.id], done_at: readAt });
      expect(JSON.parse(`${decision!.detail}`)).toMatchObject({ hold: hold.id, done_at: decidedAt });
      for (const l of lines) for (const r of raters) expect(`${l.detail}`).not.toContain(r);

      // A read now goes on the doctor's trail at once.
      expect((await call('GET', `/v1/ratings/held/${hold.id}`, tokens.reviewer)).status).toBe(200);
      const after = await holdLines();
      expect(after).toHaveLength(5);
      expect(after.at(-1)).toMatchObject({ action: 'ratings.hold_read', actor: reviewer });
      expect(JSON.parse(`${after.at(-1)!.detail}`)).toEqual({ hold_ids: [hold.id] });
    });
  });
}
