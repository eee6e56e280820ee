/** Relying parties and checks through the store, on every backend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord, performedRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { auditEntriesOf } from '../../test/store-fixtures.ts';
import { type Clock, type Ctx, fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { checkMeasure, listRelyingParties, registerRelyingParty, setRelyingPartyPurposes } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const DEFAULTER = '360426199101010071';
const CLEAN = '440524188001010014';
const MINOR = '110105201001010010';
/** On file, with a record that lists nobody. */
const KNOWN = '440524198503030049';

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('relying-party checks', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let another: (opts?: { clock?: Clock }) => Promise<Platform>;
    let ingest: Awaited<ReturnType<typeof courtFeed>>;
    const airline: Principal = { id: 'relying_party:air-m', role: 'relying_party', ref: 'air-m' };
    const check = (subject: string, measure = 'restrict.air_travel', who: Principal = airline) =>
      checkMeasure({
        ctx: p.ctx(who, 'ticket_sale'),
        measures: p.measures,
        lists: p.lists,
        input: { measure, subjects: [subject] },
      }).then((a) => a[0]!);
    /** A request's ctx as the API builds it when the caller sent no `x-purpose`. */
    const unstated = (who: Principal): Ctx => ({ ...p.ctx(who, 'check a measure'), purposeStated: false });
    /** The refused checks audited so far, oldest first. */
    const refusals = () => auditEntriesOf(p.store, 'measure.check.refused');

    beforeAll(async () => {
      ({ platform: p, cleanup, another } = await b.open({ clock: fixedClock('2026-03-01T10:00:00Z') }));
      ingest = await courtFeed(p, 'court-m');
      await registerRelyingParty({
        ctx: p.ctx(operator, 'set up'),
        measures: p.measures,
        input: { code: 'air-m', kind: 'airline', purposes: ['ticket_sale', 'boarding'] },
      });
      await ingest([
        defaulterRecord('d1', DEFAULTER),
        {
          source_record_id: 'k1',
          type: 'court.contract_lawsuit_lost',
          subject: { kind: 'person', id_number: KNOWN, name: '王芳' },
          occurred_at: '2026-01-10',
          decided_at: '2026-01-20',
          amount: 3000,
          evidence: '(2026)粤0524民初12号',
        },
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

    it('refuses a relying party whose name or legal basis names a protected category, naming the field', async () => {
      for (const [field, extra] of [
        ['name', { name: 'Airline desk for Uyghur passengers' }],
        ['legal_basis', { legalBasis: 'Rules on flights for HIV carriers' }],
      ] as const)
        await expect(
          registerRelyingParty({
            ctx: p.ctx(operator, 'set up'),
            measures: p.measures,
            input: { code: `air-p-${field}`, kind: 'airline', purposes: ['boarding'], ...extra },
          }),
        ).rejects.toMatchObject({ code: 'protected_category', issues: [{ field }] });
    });
    it('answers yes with the reason, the list, the period and the case to contest for a listed defaulter, and no for others', async () => {
      expect(await check(DEFAULTER)).toMatchObject({
        applies: true,
        measure: 'restrict.air_travel',
        reason_code: 'LISTED_COURT_DEFAULTER',
        list: 'black.court_defaulters',
        from: expect.stringMatching(/^2025-06/),
        until: expect.any(String),
        case_reference: '(2025)赣0426执100号',
        check_id: expect.any(String),
      });
      expect(await check(CLEAN)).toMatchObject({ applies: false, reason_code: 'NOT_APPLICABLE' });
      // A minor is never put on the defaulter list.
      expect(await check(MINOR)).toMatchObject({ applies: false, list: null });
    });

    it('gives an identifier not on file exactly the answer of a subject on file to whom the measure does not apply', async () => {
      const ctx = p.ctx(operator, 'compare answers');
      const withoutId = ({ check_id, subject, ...rest }: { check_id: string; subject: string }) => rest;
      let compared = 0;
      for (const m of p.measures.measures) {
        const [unknown, known, minor] = await checkMeasure({
          ctx,
          measures: p.measures,
          lists: p.lists,
          input: { measure: m.code, subjects: [CLEAN, KNOWN, MINOR] },
        });
        // Whatever the reason (not listed, no grade, grade not met, kind not covered): one answer.
        expect(withoutId(unknown!)).toEqual({
          applies: false,
          measure: m.code,
          reason_code: 'NOT_APPLICABLE',
          list: null,
          from: null,
          until: null,
          case_reference: null,
        });
        expect(Object.keys(unknown!)).toEqual(Object.keys(known!));
        for (const a of [known!, minor!])
          if (!a.applies) {
            expect(withoutId(a)).toEqual(withoutId(unknown!));
            compared++;
          }
      }
      expect(compared).toBeGreaterThan(p.measures.measures.length);
    });

    it('refuses a check that names no purpose, or one not registered, and audits the refusal without the identifiers', async () => {
      const before = (await refusals()).length;
      const ask = (ctx: Ctx, purpose?: string) =>
        checkMeasure({
          ctx,
          measures: p.measures,
          lists: p.lists,
          input: {
            measure: 'restrict.air_travel',
            subjects: [DEFAULTER, CLEAN],
            ...(purpose ? { purpose } : {}),
          },
        });
      await expect(ask(unstated(airline))).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/boarding, ticket_sale/),
      });
      await expect(ask(unstated(airline), 'marketing')).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringMatching(/"marketing" is not registered for air-m: .*boarding, ticket_sale/),
      });
      await expect(ask(p.ctx(airline, 'ticket sale'))).rejects.toMatchObject({ code: 'invalid_input' });
      // An operator's check names a purpose too, any purpose.
      await expect(ask(unstated(operator))).rejects.toMatchObject({ code: 'invalid_input' });
      expect(await ask(unstated(airline), 'boarding')).toHaveLength(2);
      const refused = (await refusals()).slice(before);
      expect(refused).toEqual([
        {
          actor: 'relying_party:air-m',
          purpose: '(none given)',
          subject_id: null,
          detail: { measure: 'restrict.air_travel', purpose: null, reason: 'no_purpose', subjects: 2 },
        },
        {
          actor: 'relying_party:air-m',
          purpose: 'marketing',
          subject_id: null,
          detail: {
            measure: 'restrict.air_travel',
            purpose: 'marketing',
            reason: 'purpose_not_registered',
            subjects: 2,
          },
        },
        expect.objectContaining({ purpose: 'ticket sale' }),
        expect.objectContaining({
          actor: 'operator:test',
          detail: expect.objectContaining({ reason: 'no_purpose' }),
        }),
      ]);
      for (const r of refused) expect(JSON.stringify(r)).not.toMatch(new RegExp(`${DEFAULTER}|${CLEAN}`));
      // The check that named a registered purpose is logged with it.
      const s = await p.store.findSubjectByIdentifier(DEFAULTER);
      const logged = (await p.store.listAuditForSubject(s!.id, 50)).filter(
        (t) => t.action === 'measure.check',
      );
      expect(logged[0]).toMatchObject({ actor: 'relying_party:air-m', purpose: 'boarding' });
    });

    it('refuses every check of a relying party without purposes until an operator sets them', async () => {
      const ctx = p.ctx(operator, 'set up');
      await registerRelyingParty({
        ctx,
        measures: p.measures,
        input: { code: 'air-p', kind: 'airline', purposes: ['boarding'] },
      });
      const airP: Principal = { id: 'relying_party:air-p', role: 'relying_party', ref: 'air-p' };
      await expect(check(CLEAN, 'restrict.air_travel', airP)).rejects.toMatchObject({
        code: 'invalid_input',
      });
      const rp = await setRelyingPartyPurposes({ ctx, input: { code: 'air-p', purposes: ['ticket_sale'] } });
      expect(rp.purposes).toEqual(['ticket_sale']);
      expect(await check(CLEAN, 'restrict.air_travel', airP)).toMatchObject({ applies: false });
      await expect(
        setRelyingPartyPurposes({ ctx, input: { code: 'nobody', purposes: ['ticket_sale'] } }),
      ).rejects.toMatchObject({ code: 'not_found' });
      await expect(
        setRelyingPartyPurposes({ ctx, input: { code: 'air-p', purposes: ['Ticket Sale'] } }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        setRelyingPartyPurposes({ ctx: p.ctx(airP, 'x'), input: { code: 'air-p', purposes: ['x'] } }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      expect((await listRelyingParties({ ctx })).find((r) => r.code === 'air-p')).toMatchObject({
        purposes: ['ticket_sale'],
        dailyQuota: 100_000,
      });
    });

    it('refuses checks past the daily quota with the seconds to the next day, counting each subject of a batch, across a restart', async () => {
      const ctx = p.ctx(operator, 'set up');
      await registerRelyingParty({
        ctx,
        measures: p.measures,
        input: { code: 'air-q', kind: 'airline', purposes: ['ticket_sale'], dailyQuota: 3 },
      });
      const airQ: Principal = { id: 'relying_party:air-q', role: 'relying_party', ref: 'air-q' };
      const batch = (platform: Platform, subjects: string[]) =>
        checkMeasure({
          ctx: platform.ctx(airQ, 'ticket_sale'),
          measures: platform.measures,
          lists: platform.lists,
          input: { measure: 'restrict.air_travel', subjects },
        });
      expect(await batch(p, [DEFAULTER, CLEAN])).toHaveLength(2);
      // Two used: a batch of two would pass the quota, and is refused whole.
      // 10:00 UTC is 18:00 in Beijing (TIME_ZONE): the quota is new at Beijing's midnight, in 6 hours.
      await expect(batch(p, [DEFAULTER, CLEAN])).rejects.toMatchObject({
        code: 'rate_limited',
        message: expect.stringContaining('new at midnight (Asia/Shanghai)'),
        retryAfterSeconds: 6 * 3600,
      });
      expect(await batch(p, [KNOWN])).toHaveLength(1);
      await expect(batch(p, [KNOWN])).rejects.toMatchObject({ code: 'rate_limited' });
      expect(
        (await refusals()).filter((r) => r.actor === 'relying_party:air-q').map((r) => r.detail),
      ).toEqual([
        { measure: 'restrict.air_travel', purpose: 'ticket_sale', reason: 'quota', subjects: 2 },
        { measure: 'restrict.air_travel', purpose: 'ticket_sale', reason: 'quota', subjects: 1 },
      ]);
      // A process started later counts what the check log holds for today.
      const other = await another();
      try {
        await expect(batch(other, [CLEAN])).rejects.toMatchObject({ code: 'rate_limited' });
      } finally {
        await other.close();
      }
    });

    it("counts a day's quota from midnight in the platform's zone, across a restart in the small hours", async () => {
      // 2026-03-01 20:00 UTC is 04:00 on 2 March in Beijing: that day began 4 hours ago (16:00 UTC),
      // before the UTC date of 2 March did.
      const night = fixedClock('2026-03-01T20:00:00Z');
      const first = await another({ clock: night });
      const airN: Principal = { id: 'relying_party:air-n', role: 'relying_party', ref: 'air-n' };
      const batch = (platform: Platform, subjects: string[]) =>
        checkMeasure({
          ctx: platform.ctx(airN, 'ticket_sale'),
          measures: platform.measures,
          lists: platform.lists,
          input: { measure: 'restrict.air_travel', subjects },
        });
      try {
        await registerRelyingParty({
          ctx: first.ctx(operator, 'set up'),
          measures: first.measures,
          input: { code: 'air-n', kind: 'airline', purposes: ['ticket_sale'], dailyQuota: 2 },
        });
        expect(await batch(first, [DEFAULTER, CLEAN])).toHaveLength(2);
        await expect(batch(first, [KNOWN])).rejects.toMatchObject({
          code: 'rate_limited',
          retryAfterSeconds: 20 * 3600,
        });
      } finally {
        await first.close();
      }
      // A process started an hour later counts the same Beijing day from the log: still spent.
      const later = await another({ clock: fixedClock('2026-03-01T21:00:00Z') });
      try {
        await expect(batch(later, [KNOWN])).rejects.toMatchObject({ code: 'rate_limited' });
        expect(
          (await listRelyingParties({ ctx: later.ctx(operator, 'look') })).find((r) => r.code === 'air-n'),
        ).toMatchObject({ usedToday: 2 });
      } finally {
        await later.close();
      }
      // The next Beijing day (from 16:00 UTC on 2 March) it is new again.
      const next = await another({ clock: fixedClock('2026-03-02T16:00:01Z') });
      try {
        expect(await batch(next, [KNOWN])).toHaveLength(1);
      } finally {
        await next.close();
      }
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
      // A relying party probing for measures gets the refusal of a measure not granted; an
      // operator, who may check any measure, is told that it does not exist.
      await expect(check(DEFAULTER, 'restrict.no_such')).rejects.toMatchObject({ code: 'forbidden' });
      const operator: Principal = { id: 'operator:test', role: 'operator' };
      await expect(check(DEFAULTER, 'restrict.no_such', operator)).rejects.toMatchObject({
        code: 'not_found',
      });
      const s = await p.store.findSubjectByIdentifier(DEFAULTER);
      const trail = await p.store.listAuditForSubject(s!.id, 50);
      const checks = trail.filter((t) => t.action === 'measure.check');
      expect(checks.length).toBeGreaterThanOrEqual(2);
      expect(checks[0]).toMatchObject({ actor: 'relying_party:air-m', purpose: 'ticket_sale' });
    });

    it('checks up to 1,000 subjects in one call, refusing more and bad identifiers', async () => {
      const many = await checkMeasure({
        ctx: p.ctx(airline, 'ticket_sale'),
        measures: p.measures,
        lists: p.lists,
        input: { measure: 'restrict.air_travel', subjects: [DEFAULTER, CLEAN, MINOR] },
      });
      expect(many.map((a) => a.subject)).toEqual([DEFAULTER, CLEAN, MINOR]);
      await expect(
        checkMeasure({
          ctx: p.ctx(airline, 'ticket_sale'),
          measures: p.measures,
          lists: p.lists,
          input: { measure: 'restrict.air_travel', subjects: Array(1001).fill(CLEAN) },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        checkMeasure({
          ctx: p.ctx(airline, 'ticket_sale'),
          measures: p.measures,
          lists: p.lists,
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
          input: {
            code: 'rail-m',
            kind: 'railway',
            measures: ['restrict.public_procurement'],
            purposes: ['ticket_sale'],
          },
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        registerRelyingParty({
          ctx,
          measures: p.measures,
          input: { code: 'air-m', kind: 'airline', purposes: ['ticket_sale'] },
        }),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(
        registerRelyingParty({
          ctx: p.ctx(airline, 'ticket_sale'),
          measures: p.measures,
          input: { code: 'air-z', kind: 'airline', purposes: ['ticket_sale'] },
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      for (const bad of [
        { purposes: [] },
        { purposes: ['ticket sale'] },
        { purposes: ['TicketSale'] },
        { purposes: ['ticket_sale'], dailyQuota: 0 },
        { purposes: ['ticket_sale'], dailyQuota: 2.5 },
      ])
        await expect(
          registerRelyingParty({
            ctx,
            measures: p.measures,
            input: { code: 'air-y', kind: 'airline', ...bad },
          }),
        ).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });
}
