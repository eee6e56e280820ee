/** Relying parties and checks through the store, on every backend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord, performedRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { checkMeasure, registerRelyingParty } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const DEFAULTER = '360426199101010071';
const CLEAN = '440524188001010014';
const MINOR = '110105201001010010';

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('relying-party checks', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let ingest: Awaited<ReturnType<typeof courtFeed>>;
    const airline: Principal = { id: 'relying_party:air-m', role: 'relying_party', ref: 'air-m' };
    const check = (subject: string, measure = 'restrict.air_travel', who: Principal = airline) =>
      checkMeasure({
        ctx: p.ctx(who, 'ticket sale'),
        measures: p.measures,
        input: { measure, subjects: [subject] },
      }).then((a) => a[0]!);

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: fixedClock('2026-03-01T10:00:00Z') }));
      ingest = await courtFeed(p, 'court-m');
      await registerRelyingParty({
        ctx: p.ctx(operator, 'set up'),
        measures: p.measures,
        input: { code: 'air-m', kind: 'airline' },
      });
      await ingest([
        defaulterRecord('d1', DEFAULTER),
        {
          source_record_id: 'm1',
          type: 'court.judgment_defaulter',
          subject: { kind: 'person', id_number: MINOR, name: '小明' },
          occurred_at: '2025-05-01',
          decided_at: '2025-06-01',
          amount: 500,
          evidence: '(2025)京0105执7号',
        },
      ]);
    });
    afterAll(async () => cleanup?.());

    it('answers yes with the reason, the list and the period for a listed defaulter, and no for others', async () => {
      expect(await check(DEFAULTER)).toMatchObject({
        applies: true,
        measure: 'restrict.air_travel',
        reason_code: 'LISTED_COURT_DEFAULTER',
        list: 'black.court_defaulters',
        from: expect.stringMatching(/^2025-06/),
        until: expect.any(String),
        check_id: expect.any(String),
      });
      expect(await check(CLEAN)).toMatchObject({ applies: false, reason_code: 'UNKNOWN_SUBJECT' });
      // A minor is never put on the defaulter list.
      expect(await check(MINOR)).toMatchObject({ applies: false, list: null });
    });

    it('lifts the measure at once when a performance record arrives, and tells the subject', async () => {
      await ingest([performedRecord('d1-done', DEFAULTER)]);
      expect(await check(DEFAULTER)).toMatchObject({ applies: false, list: null });
      const s = await p.store.findSubjectByIdentifier(DEFAULTER);
      const notices = await p.store.listNotifications(s!.id);
      expect(notices.map((x) => x.kind)).toEqual(
        expect.arrayContaining(['listing_effective', 'listing_ended']),
      );
      expect((await p.store.countOutboxByState()).queued).toBeGreaterThanOrEqual(notices.length);
    });

    it('answers only about granted measures, and audits every check with its purpose', async () => {
      await expect(check(DEFAULTER, 'restrict.public_procurement')).rejects.toMatchObject({
        code: 'forbidden',
      });
      const stranger: Principal = { id: 'relying_party:nobody', role: 'relying_party', ref: 'nobody' };
      await expect(check(DEFAULTER, 'restrict.air_travel', stranger)).rejects.toMatchObject({
        code: 'forbidden',
      });
      const subject: Principal = { id: `subject:${DEFAULTER}`, role: 'subject', ref: DEFAULTER };
      await expect(check(DEFAULTER, 'restrict.air_travel', subject)).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(check(DEFAULTER, 'restrict.no_such')).rejects.toMatchObject({ code: 'not_found' });
      const s = await p.store.findSubjectByIdentifier(DEFAULTER);
      const trail = await p.store.listAuditForSubject(s!.id, 50);
      const checks = trail.filter((t) => t.action === 'measure.check');
      expect(checks.length).toBeGreaterThanOrEqual(2);
      expect(checks[0]).toMatchObject({ actor: 'relying_party:air-m', purpose: 'ticket sale' });
    });

    it('checks up to 1,000 subjects in one call, refusing more and bad identifiers', async () => {
      const many = await checkMeasure({
        ctx: p.ctx(airline, 'x'),
        measures: p.measures,
        input: { measure: 'restrict.air_travel', subjects: [DEFAULTER, CLEAN, MINOR] },
      });
      expect(many.map((a) => a.subject)).toEqual([DEFAULTER, CLEAN, MINOR]);
      await expect(
        checkMeasure({
          ctx: p.ctx(airline, 'x'),
          measures: p.measures,
          input: { measure: 'restrict.air_travel', subjects: Array(1001).fill(CLEAN) },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        checkMeasure({
          ctx: p.ctx(airline, 'x'),
          measures: p.measures,
          input: { measure: 'restrict.air_travel', subjects: ['123'] },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('registers relying parties only for measures their kind enforces', async () => {
      const ctx = p.ctx(operator, 'x');
      await expect(
        registerRelyingParty({
          ctx,
          measures: p.measures,
          input: { code: 'rail-m', kind: 'railway', measures: ['restrict.public_procurement'] },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        registerRelyingParty({ ctx, measures: p.measures, input: { code: 'air-m', kind: 'airline' } }),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(
        registerRelyingParty({
          ctx: p.ctx(airline, 'x'),
          measures: p.measures,
          input: { code: 'air-z', kind: 'airline' },
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
}
