/**
 * A citizen's objections, on every backend, along one calendar: filed on Monday 2026-09-28, just
 * before the National Day holiday (1–7 October, with Saturday 10 October a make-up working day),
 * so every clock counts across it. A court listing is confirmed and its measure binds throughout;
 * a bank record stops counting at once; records corrected and removed lift what they caused for
 * the next check; one appeal, not two, not late; the queue puts the overdue first.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Clock, Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { ingestRecords } from '../ingest/index.ts';
import { checkMeasure } from '../measures/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import {
  appealObjection,
  decideObjection,
  fileObjection,
  listObjections,
  listOwnObjections,
  objectionDeps,
  objectionJson,
} from './index.ts';

const operator: Principal = { id: 'operator:reviewer', role: 'operator' };
const auditor: Principal = { id: 'auditor:review', role: 'auditor' };
const court: Principal = { id: 'source:court-obj', role: 'source', ref: 'court-obj' };
const bank: Principal = { id: 'source:bank-obj', role: 'source', ref: 'bank-obj' };
const citizen = (id: string): Principal => ({ id: `subject:${id}`, role: 'subject', ref: id });

const movingClock = () => {
  let now = new Date('2026-09-28T09:00:00.000Z');
  const clock: Clock = { now: () => new Date(now.getTime()) };
  return {
    clock,
    set: (day: string) => (now = new Date(`${day}T09:00:00.000Z`)),
    at: (instant: string) => (now = new Date(instant)),
  };
};

const A = makeResidentId('360426', '1980-05-05', 31); // court listing, confirmed, appealed
const B = makeResidentId('360426', '1982-02-02', 41); // bank record, not counted while pending
const C = makeResidentId('360426', '1983-03-03', 51); // court listing, corrected
const D = makeResidentId('360426', '1984-04-04', 61); // court listing, removed
const E = makeResidentId('360426', '1985-05-05', 71); // court listing, left to run overdue

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('objections', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const time = movingClock();
    const deps = () => objectionDeps(p);
    const subjectOf = async (id: string) => (await p.store.findSubjectByIdentifier(id))!;
    const recordOf = async (id: string) =>
      (await p.store.listRecordsForSubject((await subjectOf(id)).id))[0]!;
    const score = async (id: string) => (await p.store.listScores((await subjectOf(id)).id))[0]!.score;
    const railApplies = async (id: string) =>
      (
        await checkMeasure({
          ctx: p.ctx({ id: 'operator:rail-desk', role: 'operator' }, 'ticket_sale'),
          measures: p.measures,
          lists: p.lists,
          input: { measure: 'restrict.high_speed_rail', subjects: [id] },
        })
      )[0]!.applies;
    const file = async (id: string, reason = 'I paid the judgment debt in full in May') =>
      fileObjection({
        ctx: p.ctx(citizen(id), 'object to a record'),
        input: { recordId: (await recordOf(id)).id, reason },
        deps: deps(),
      });
    const decide = (
      id: number,
      outcome: Parameters<typeof decideObjection>[0]['input']['outcome'],
      extra = {},
    ) =>
      decideObjection({
        ctx: p.ctx(operator, 'decide an objection'),
        input: { id, outcome, reasons: 'checked against the court file', ...extra },
        deps: deps(),
      });
    const appeal = (id: string, objection: number) =>
      appealObjection({
        ctx: p.ctx(citizen(id), 'appeal'),
        input: { id: objection, reason: 'the court did not see my receipt' },
        deps: deps(),
      });
    const queue = (
      by: Principal,
      status?: 'open' | 'all' | 'appealed' | 'pending',
      limit?: number,
      after?: string,
    ) =>
      listObjections({
        ctx: p.ctx(by, 'review objections'),
        input: { ...(status ? { status } : {}), ...(limit ? { limit } : {}), ...(after ? { after } : {}) },
        deps: deps(),
      });
    const notes = async (id: string) =>
      (await p.store.listNotifications((await subjectOf(id)).id)).map((n) => n.kind);
    const trail = async (id: string) =>
      (await p.store.listAuditForSubject((await subjectOf(id)).id, 100)).map((a) => a.action);
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: time.clock }));
      const feed = await courtFeed(p, 'court-obj');
      await feed(
        [A, C, D, E].map((id, i) => ({
          ...defaulterRecord(`obj-${i}`, id),
          occurred_at: '2026-05-01',
          decided_at: '2026-06-01',
          evidence: `(2026)赣0426执${200 + i}号`,
        })),
      );
      const clerk: Principal = { id: 'operator:bank-feed', role: 'operator' };
      await registerSource({
        ctx: p.ctx(clerk, 'set up'),
        catalogue: p.catalogue,
        input: { code: 'bank-obj', kind: 'bank' },
      });
      await ingestRecords({
        ctx: p.ctx(clerk, 'bank feed'),
        input: {
          source: 'bank-obj',
          catalogue: p.catalogue,
          lines: [
            {
              line: 1,
              value: {
                source_record_id: 'loan-1',
                type: 'bank.loan_overdue_month',
                subject: { kind: 'person', id_number: B, name: '李娜' },
                occurred_at: '2026-08-01',
                amount: 5000,
              },
            },
          ],
          afterBatch: async (s) => {
            await p.refreshSubjects(p.ctx(clerk, 'refresh'), s);
          },
        },
      });
    }, 120_000);
    afterAll(async () => cleanup?.());

    it("a subject cannot object to another's record, nor to one that does not exist: the same 404", async () => {
      const others = await recordOf(B);
      const err = fileObjection({
        ctx: p.ctx(citizen(A), 'object'),
        input: { recordId: others.id, reason: 'not mine' },
        deps: deps(),
      });
      await expect(err).rejects.toMatchObject({
        code: 'not_found',
        message: `there is no record ${others.id} in your file`,
      });
      await expect(
        fileObjection({
          ctx: p.ctx(citizen(A), 'object'),
          input: { recordId: 999_999, reason: 'x' },
          deps: deps(),
        }),
      ).rejects.toMatchObject({ code: 'not_found', message: 'there is no record 999999 in your file' });
      await expect(
        fileObjection({
          ctx: p.ctx(operator, 'object'),
          input: { recordId: others.id, reason: 'x' },
          deps: deps(),
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      expect((await recordOf(B)).status).toBe('active');
    });

    it('refuses an empty reason and evidence over the limits, naming the limit', async () => {
      const recordId = (await recordOf(A)).id;
      const ctx = p.ctx(citizen(A), 'object');
      await expect(
        fileObjection({ ctx, input: { recordId, reason: '   ' }, deps: deps() }),
      ).rejects.toMatchObject({
        code: 'invalid_input',
        issues: [{ field: 'reason', message: 'empty' }],
      });
      await expect(
        fileObjection({ ctx, input: { recordId, reason: 'x'.repeat(2001) }, deps: deps() }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(
        fileObjection({
          ctx,
          input: { recordId, reason: 'r', evidence: { text: 'e'.repeat(10_001) } },
          deps: deps(),
        }),
      ).rejects.toThrow(/max_text_chars/);
      const big = Buffer.alloc(2 * 1024 * 1024 + 1).toString('base64');
      await expect(
        fileObjection({
          ctx,
          input: {
            recordId,
            reason: 'r',
            evidence: {
              attachments: [{ name: 'a.pdf', media_type: 'application/pdf', content_base64: big }],
            },
          },
          deps: deps(),
        }),
      ).rejects.toThrow(/max_attachment_bytes/);
      await expect(
        fileObjection({
          ctx,
          input: {
            recordId,
            reason: 'r',
            evidence: {
              attachments: [
                { name: 'a.exe', media_type: 'application/x-msdownload', content_base64: 'AAAA' },
              ],
            },
          },
          deps: deps(),
        }),
      ).rejects.toThrow(/media_types/);
      expect((await recordOf(A)).status).toBe('active');
    });

    it('a court listing under objection: flagged at once, keeps binding, due on the working-day calendar across National Day', async () => {
      time.set('2026-09-28');
      const before = await score(A);
      expect(await railApplies(A)).toBe(true);
      const o = await fileObjection({
        ctx: p.ctx(citizen(A), 'object to a record'),
        input: {
          recordId: (await recordOf(A)).id,
          reason: 'I paid the judgment debt in full in May',
          evidence: {
            text: 'Receipt from the court cashier',
            attachments: [
              {
                name: 'receipt.pdf',
                media_type: 'application/pdf',
                content_base64: Buffer.from('%PDF-1.4 receipt').toString('base64'),
              },
            ],
          },
        },
        deps: deps(),
      });
      ids.A = o.id;
      // 15 days (SPC 2017 Art. 12, calendar days: the National Day holiday does not stop the clock);
      // the source is told within 5 working days: 29, 30 Sept; 1–7 Oct off; 8, 9, Sat 10 (make-up).
      expect(o).toMatchObject({
        status: 'pending',
        dueDay: '2026-10-13',
        sourceNoticeDue: '2026-10-10',
        countsWhilePending: true,
      });
      expect(o.attachments).toEqual([
        expect.objectContaining({ name: 'receipt.pdf', mediaType: 'application/pdf', bytes: 16 }),
      ]);
      expect((await recordOf(A)).status).toBe('disputed');
      expect(await railApplies(A)).toBe(true);
      expect(await score(A)).toBe(before);
      expect(await notes(A)).toContain(`objection.filed#${o.id}`);
      expect(await trail(A)).toEqual(expect.arrayContaining(['objection.file', 'record.dispute']));
      // The append-only log keeps the reason's digest, not the subject's own words.
      const filed = (await p.store.listAuditForSubject((await subjectOf(A)).id, 100)).find(
        (a) => a.action === 'objection.file',
      )!;
      expect(filed.detail).not.toContain('I paid the judgment debt');
      expect(JSON.parse(filed.detail!).reason_sha256).toBe(
        createHash('sha256').update('I paid the judgment debt in full in May').digest('hex'),
      );
      const attachment = await p.store.objections.findAttachment(o.id, 0);
      expect(Buffer.from(attachment!.content).toString()).toBe('%PDF-1.4 receipt');
      await expect(file(A)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('2026-10-13'),
      });
    });

    it('a bank record under objection stops counting at once (its type does not bind while pending); 20 days', async () => {
      const before = await score(B);
      const o = await file(B, 'I repaid this instalment on time; the bank booked it late');
      ids.B = o.id;
      expect(o).toMatchObject({
        countsWhilePending: false,
        dueDay: '2026-10-18',
        sourceNoticeDue: '2026-10-10',
      });
      expect(await score(B)).toBeGreaterThan(before);
      ids.C = (await file(C)).id;
      ids.D = (await file(D)).id;
      ids.E = (await file(E)).id;
    });

    it('a source sees only the objections to its own records, and its first read is the notice; the queue shows who is late', async () => {
      time.set('2026-10-12');
      const seen = await queue(court, 'all');
      expect(seen.objections.map((o) => o.id).sort()).toEqual([ids.A, ids.C, ids.D, ids.E].sort());
      expect(seen.objections.every((o) => o.sourceNotifiedAt === '2026-10-12T09:00:00.000Z')).toBe(true);
      expect(await trail(A)).toContain('objection.source_notified');
      // A second read tells nothing new.
      time.set('2026-10-13');
      expect(
        (await queue(court, 'all')).objections.every(
          (o) => o.sourceNotifiedAt === '2026-10-12T09:00:00.000Z',
        ),
      ).toBe(true);
      const all = await queue(auditor, 'pending');
      const bankOne = all.objections.find((o) => o.id === ids.B)!;
      expect(bankOne).toMatchObject({ sourceNotifiedAt: null, sourceNoticeOverdue: true });
      expect(all.objections.find((o) => o.id === ids.A)).toMatchObject({ sourceNoticeOverdue: false });
      const json = objectionJson(bankOne, { typeName: (c) => c, internal: true });
      expect(json).toMatchObject({
        subject: { identifier: B },
        record: { type: 'bank.loan_overdue_month' },
        source_notice_overdue: true,
      });
      // The bank, told late, sees its one objection and only that.
      const bankSeen = await queue(bank, 'all');
      expect(bankSeen.objections.map((o) => [o.id, o.sourceNotifiedAt])).toEqual([
        [ids.B, '2026-10-13T09:00:00.000Z'],
      ]);
      await expect(queue(citizen(A))).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('confirmed: the record is as it was, the measure applied throughout, and a second objection is refused', async () => {
      time.set('2026-10-15');
      // Product rule 2: the operator's reasons go on file and into the audit log, so they may not
      // name a protected category; the objection stays pending. (The subject's own reason is not screened.)
      await expect(
        decide(ids.A!, 'record_confirmed', { reasons: 'the subject is a known 上訪 petitioner' }),
      ).rejects.toMatchObject({ code: 'protected_category', issues: [{ field: 'reasons' }] });
      const o = await decide(ids.A!, 'record_confirmed');
      expect(o).toMatchObject({
        status: 'decided',
        outcome: 'record_confirmed',
        appealWindowEnds: '2026-10-25',
        appealable: true,
      });
      const r = await recordOf(A);
      expect(r.status).toBe('active');
      expect(r.version).toBe(3);
      expect(await railApplies(A)).toBe(true);
      expect(await notes(A)).toContain(`objection.decided#${o.id}`);
      expect(await trail(A)).toEqual(
        expect.arrayContaining(['objection.decide', 'record.objection_confirmed']),
      );
      await expect(decide(ids.A!, 'record_removed')).rejects.toMatchObject({ code: 'conflict' });
      await expect(file(A)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('appeal that decision by 2026-10-25'),
      });
    });

    it('the bank record confirmed counts again', async () => {
      const before = await score(B);
      await decide(ids.B!, 'record_confirmed');
      expect((await recordOf(B)).status).toBe('active');
      expect(await score(B)).toBeLessThan(before);
    });

    it('corrected: the content is replaced after the same checks as ingestion; a bad correction changes nothing', async () => {
      const bad = async (correction: object, pattern: RegExp) =>
        expect(decide(ids.C!, 'record_corrected', { correction })).rejects.toThrow(pattern);
      await bad({ type: 'court.no_such_type' }, /not in the catalogue/);
      await bad({ type: 'bank.loan_overdue_month' }, /may not submit/);
      await bad({ occurred_at: '2027-01-01' }, /in the future/);
      await bad({ colour: 'red' }, /not colour/);
      await bad({ amount: 80000 }, /changes nothing/);
      await expect(decide(ids.C!, 'record_corrected')).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(decide(ids.C!, 'record_confirmed', { correction: { amount: 1 } })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      expect((await recordOf(C)).status).toBe('disputed');
      const o = await decide(ids.C!, 'record_corrected', {
        correction: { amount: 30000, note: 'part paid' },
      });
      expect(o.outcome).toBe('record_corrected');
      const r = await recordOf(C);
      expect(r).toMatchObject({
        status: 'active',
        amount: 30000,
        note: 'part paid',
        evidence: '(2026)赣0426执201号',
      });
      const [old] = (await p.store.listRecordVersions([r.id])).filter(
        (v) => v.change === 'objection_corrected',
      );
      expect(old).toMatchObject({ amount: 80000, status: 'disputed' });
    });

    it('removed: the record is withdrawn and the measure lifts for the next check', async () => {
      expect(await railApplies(D)).toBe(true);
      await decide(ids.D!, 'record_removed');
      expect((await recordOf(D)).status).toBe('withdrawn');
      expect(await railApplies(D)).toBe(false);
      expect(await notes(D)).toContain(`objection.decided#${ids.D}`);
      await expect(file(D)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('withdrawn'),
      });
    });

    it('refuses an objection to a repaired or archived record: flagging it would make it count again', async () => {
      // D's record, put back as if repaired (as a granted repair leaves it) to see the filing refused.
      const r = await recordOf(D);
      await p.store.reviseRecords(
        [{ recordId: r.id, change: 'repair', status: 'repaired', reason: 'test: repaired' }],
        new Date().toISOString(),
        { actor: 'operator:reviewer', role: 'operator', purpose: 'test', requestId: null },
      );
      await expect(file(D)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('no longer counts'),
      });
      expect((await recordOf(D)).status).toBe('repaired');
    });

    it('one appeal, within 10 days of the decision, decided within 15 days of it being lodged; not two, not late, not before a decision', async () => {
      time.set('2026-10-20');
      await expect(appeal(E, ids.E!)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('not decided yet'),
      });
      await expect(appeal(B, ids.A!)).rejects.toMatchObject({ code: 'not_found' });
      const o = await appeal(A, ids.A!);
      expect(o).toMatchObject({ status: 'appealed', appealDue: '2026-11-04', appealable: false });
      expect(await notes(A)).toContain(`objection.appealed#${ids.A}`);
      expect(await trail(A)).toContain('objection.appeal');
      await expect(appeal(A, ids.A!)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('one appeal'),
      });
      time.set('2026-10-26');
      await expect(appeal(B, ids.B!)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('ended on 2026-10-25'),
      });
    });

    it('the queue puts the overdue first, then by due day, and pages', async () => {
      // 2026-10-26: E's review was due 2026-10-13; A's appeal is due 2026-11-04; F is new.
      const F = makeResidentId('360426', '1986-06-06', 81);
      const feed = await courtFeed(p, 'court-obj-2');
      await feed([
        {
          ...defaulterRecord('f-1', F),
          occurred_at: '2026-05-01',
          decided_at: '2026-06-01',
          evidence: '(2026)赣0426执300号',
        },
      ]);
      ids.F = (await file(F)).id;
      const open = await queue(operator);
      expect(open.objections.map((o) => o.id)).toEqual([ids.E, ids.A, ids.F]);
      expect(open.objections.map((o) => o.overdue)).toEqual([true, false, false]);
      const first = await queue(operator, 'open', 2);
      expect(first.objections.map((o) => o.id)).toEqual([ids.E, ids.A]);
      const second = await queue(operator, 'open', 2, first.next!);
      expect(second).toMatchObject({ next: null });
      expect(second.objections.map((o) => o.id)).toEqual([ids.F]);
      expect((await queue(operator, 'appealed')).objections.map((o) => o.id)).toEqual([ids.A]);
      const mine = await listOwnObjections({ ctx: p.ctx(citizen(E), 'read'), deps: deps() });
      expect(mine).toEqual([expect.objectContaining({ id: ids.E, overdue: true, status: 'pending' })]);
    });

    it('the appeal decision is final', async () => {
      const o = await decide(ids.A!, 'record_confirmed');
      expect(o).toMatchObject({
        status: 'appeal_decided',
        appealOutcome: 'record_confirmed',
        appealable: false,
      });
      expect(await railApplies(A)).toBe(true);
      expect(await notes(A)).toContain(`objection.appeal_decided#${ids.A}`);
      // The reasons end their sentence before the next one starts.
      const told = (await p.store.listNotifications((await subjectOf(A)).id)).find(
        (n) => n.kind === `objection.appeal_decided#${ids.A}`,
      );
      expect(told?.message).toMatch(/Reasons: checked against the court file\. This decision is final\.$/);
      expect(await trail(A)).toContain('objection.appeal_decide');
      await expect(decide(ids.A!, 'record_removed')).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('final'),
      });
      await expect(appeal(A, ids.A!)).rejects.toMatchObject({ code: 'conflict' });
      await expect(file(A)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('final'),
      });
    });

    it('an appeal never corrects a record its source withdrew meanwhile back into force', async () => {
      const G = makeResidentId('360426', '1987-07-07', 91);
      const feed = await courtFeed(p, 'court-obj-3');
      await feed([{ ...defaulterRecord('g-1', G), evidence: '(2025)赣0426执400号' }]);
      const o = await file(G);
      // Decided at 07:30 in Beijing on 27 October (23:30 UTC on the 26th): the ten days to appeal
      // count from the 27th, the platform's day, not from the UTC date.
      time.at('2026-10-26T23:30:00.000Z');
      expect(await decide(o.id, 'record_confirmed')).toMatchObject({ appealWindowEnds: '2026-11-06' });
      time.at('2026-11-06T15:00:00.000Z'); // 23:00 on 6 November in Beijing: still in time
      await appeal(G, o.id);
      expect(await railApplies(G)).toBe(true);
      // The court sets the listing aside while the appeal is pending.
      await feed([{ action: 'withdraw', source_record_id: 'g-1', reason: 'listing set aside' }]);
      expect((await recordOf(G)).status).toBe('withdrawn');
      expect(await railApplies(G)).toBe(false);
      await expect(decide(o.id, 'record_corrected', { correction: { amount: 70000 } })).rejects.toMatchObject(
        { code: 'conflict', message: expect.stringContaining('nothing left to correct') },
      );
      expect((await recordOf(G)).status).toBe('withdrawn');
      expect(await railApplies(G)).toBe(false);
      // Confirming or removing on appeal leaves it withdrawn.
      const final = await decide(o.id, 'record_removed');
      expect(final).toMatchObject({ status: 'appeal_decided', appealOutcome: 'record_removed' });
      expect((await recordOf(G)).status).toBe('withdrawn');
      expect(await railApplies(G)).toBe(false);
    });
  });
}
