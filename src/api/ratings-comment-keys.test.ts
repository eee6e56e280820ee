/**
 * Comment keys kept by an earlier engine (another number of bands, another folding) are renewed by
 * the sweep, on both backends: a comment campaign spread across an upgrade — two comments keyed the
 * old way, a third the new — is held as one, and the stored keys are the new ones afterwards.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import type { Clock } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import { COMMENT_BANDS } from '../ratings/engine.ts';
import { buildApp } from './app.ts';
import { callerOf, setUpRatedDoctor } from './test-app.ts';

const DOCTOR_ID = makeResidentId('110105', '1973-05-05', 41);
const DOCTOR_LICENCE = '110105197305050041';
const COMMENT = 'The pharmacist gave out the wrong dosage and laughed at the complaint.';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('ratings comment keys', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-04-06T09:00:00Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const tokens: Record<string, string> = {};
    const raters = Array.from({ length: 3 }, (_, k) =>
      makeResidentId('110105', `198${k}-02-0${k + 1}`, 700 + k),
    );
    const call = callerOf(() => app);

    beforeAll(async () => {
      const o = await backend.open({ clock });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false });
      Object.assign(
        tokens,
        await setUpRatedDoctor(p, call, { id: DOCTOR_ID, licence: DOCTOR_LICENCE, name: '孙医生' }, raters),
      );
    }, 60_000);
    afterAll(() => cleanup?.());

    const rate = async (k: number) => {
      now = new Date(now.getTime() + 60_000);
      const issued = await call('POST', '/v1/interactions', tokens.hospital, {
        serving: { kind: 'licence', id: DOCTOR_LICENCE },
        service_date: now.toISOString().slice(0, 10),
        service: 'pharmacy counter',
      });
      expect(issued.status, issued.text).toBe(201);
      const r = await call('POST', '/v1/ratings', tokens[raters[k]!], {
        token: issued.body.token,
        professionalism: 1,
        honesty: 1,
        comment: COMMENT,
      });
      expect(r.status, r.text).toBe(201);
      return r.body as { id: number; status: string };
    };
    const bandsOf = async (id: number) =>
      `${(await rawDb(p).selectFrom('ratings').select('comment_bands').where('id', '=', id).executeTakeFirstOrThrow()).comment_bands}`.split(
        ',',
      );

    it('renews keys an earlier engine kept, and holds the campaign they hid', async () => {
      const first = await rate(0);
      const second = await rate(1);
      // Kept by an earlier engine: eight bands, computed otherwise (here: other values).
      for (const { id } of [first, second]) {
        const old = (await bandsOf(id)).slice(0, 8).map((k) => String((Number(k) ^ 0x5bd1e995) >>> 0));
        await rawDb(p)
          .updateTable('ratings')
          .set({ comment_bands: old.join(',') })
          .where('id', '=', id)
          .execute();
      }
      // The third, keyed as now, matches neither as it comes.
      const third = await rate(2);
      expect(third.status).toBe('published');
      const sweep = await call('POST', '/v1/ratings/sweep', tokens.admin);
      expect(sweep.status, sweep.text).toBe(200);
      // The sweep renewed the old keys and found the three alike.
      for (const { id } of [first, second, third]) expect(await bandsOf(id)).toHaveLength(COMMENT_BANDS);
      const held = await call('GET', '/v1/ratings/held', tokens.admin);
      const dup = held.body.holds.find((h: { reason: string }) => h.reason === 'duplicate');
      expect(dup, JSON.stringify(held.body)).toBeDefined();
      expect(dup.ratings).toBe(3);
    });
  });
}
