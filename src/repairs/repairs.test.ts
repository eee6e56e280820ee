/**
 * Credit repair and archival on every backend, with a clock the test moves: an application made too
 * early is refused naming the day it becomes eligible; irreparable types, positive records and
 * another subject's records are refused; feedback and decision clocks count working days across
 * the National Day holiday and its make-up Saturday; a granted repair changes the score and grade
 * and lifts the listing for the next check; `credence maintain` archives a corrected record on the
 * day its maximum display ends — not before, and never one whose conduct was not corrected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord, performedRecord } from '../../test/court-feed.ts';
import { movingClock } from '../../test/moving-clock.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { DUE_PROCESS_PRINCIPAL } from '../due-process/index.ts';
import { makeResidentId } from '../identity/index.ts';
import { runMaintenance } from '../maintain/index.ts';
import { checkMeasure } from '../measures/index.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import {
  applyForRepair,
  archivedKind,
  decideRepair,
  giveRepairFeedback,
  listOwnRepairs,
  listRepairs,
  repairEligibility,
} from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const subject = (id: string): Principal => ({ id: `subject:${id}`, role: 'subject', ref: id });

const proof = { text: 'Paid the judgment debt in full on 2026-02-20; receipt attached.' };
const COMMITMENT = 'I commit to honour court judgments and contracts on time.';

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('credit repair and archival', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const time = movingClock('2026-03-01T09:00:00.000Z');
    const deps = () => ({ catalogue: p.catalogue, dueProcess: p.dueProcess, calendar: p.calendar });
    const refresh = (ids: number[]) =>
      p.refreshSubjects(p.ctx(DUE_PROCESS_PRINCIPAL, 'apply a repair decision'), ids);
    const maintain = () =>
      runMaintenance({
        ctx: p.ctx(operator, 'maintain'),
        input: {},
        deps: listDeps(p),
      });
    const idOf = async (identifier: string) => (await p.store.findSubjectByIdentifier(identifier))!.id;
    const recordOf = async (identifier: string, type = 'court.judgment_defaulter') =>
      (await p.store.listRecordsForSubject(await idOf(identifier))).find((r) => r.type === type)!;
    const apply = (who: string, recordId: number) =>
      applyForRepair({
        ctx: p.ctx(subject(who), 'repair'),
        input: { recordId, commitment: COMMITMENT, evidence: proof },
        deps: deps(),
      });
    const rail = (who: string) =>
      checkMeasure({
        ctx: p.ctx(operator, 'ticket sale'),
        measures: p.measures,
        lists: p.lists,
        input: { measure: 'restrict.high_speed_rail', subjects: [who] },
      }).then((a) => a[0]!.applies);
    const latestScore = async (who: string) => {
      const rows = await p.store.listScores(await idOf(who), p.scoringPolicy.version);
      return rows.sort((x, y) => (x.asOf < y.asOf ? 1 : x.asOf > y.asOf ? -1 : 0))[0]!;
    };

    const REPAIRED = makeResidentId('360426', '1980-05-05', 41);
    const CURED = makeResidentId('360426', '1981-06-06', 43);
    const UNCORRECTED = makeResidentId('360426', '1982-07-07', 45);
    const CONVICTED = makeResidentId('360426', '1983-08-08', 47);

    beforeAll(async () => {
      time.set('2026-03-01');
      ({ platform: p, cleanup } = await b.open({ clock: time.clock }));
      const feed = await courtFeed(p, 'court-repairs');
      await feed([
        defaulterRecord('r-1', REPAIRED),
        { ...defaulterRecord('c-1', CURED), evidence: '(2025)赣0426执200号' },
        { ...performedRecord('c-2', CURED), evidence: '(2025)赣0426执200号' },
        { ...defaulterRecord('u-1', UNCORRECTED), evidence: '(2025)赣0426执300号' },
        {
          source_record_id: 'x-1',
          type: 'court.intentional_crime_conviction',
          subject: { kind: 'person', id_number: CONVICTED, name: '李四' },
          occurred_at: '2024-01-10',
          decided_at: '2024-03-01',
          evidence: '(2024)赣0426刑初5号',
        },
      ]);
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('refuses an application before the minimum period, naming the day it becomes eligible', async () => {
      const r = await recordOf(REPAIRED);
      // Serious: 12 months from the decision of 2025-06-01.
      expect(repairEligibility(r, p.catalogue, p.dueProcess)).toMatchObject({
        eligible_from: '2026-06-01',
        display_until: '2028-06-01',
      });
      const e = await apply(REPAIRED, r.id).catch((x) => x);
      expect(e).toMatchObject({
        code: 'conflict',
        issues: [{ field: 'eligible_from', message: '2026-06-01' }],
      });
      expect(e.message).toContain('from 2026-06-01');
      expect(await listOwnRepairs({ ctx: p.ctx(subject(REPAIRED), 'read'), deps: deps() })).toEqual([]);
    });

    it('refuses an irreparable type, a positive record and another subject’s record', async () => {
      time.set('2026-09-29');
      const conviction = await recordOf(CONVICTED, 'court.intentional_crime_conviction');
      await expect(apply(CONVICTED, conviction.id)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('cannot be repaired'),
      });
      const performed = await recordOf(CURED, 'court.judgment_performed');
      await expect(apply(CURED, performed.id)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('positive record'),
      });
      await expect(apply(REPAIRED, (await recordOf(UNCORRECTED)).id)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(
        applyForRepair({
          ctx: p.ctx(subject(REPAIRED), 'repair'),
          input: { recordId: (await recordOf(REPAIRED)).id, commitment: ' ', evidence: proof },
          deps: deps(),
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('counts feedback and decision clocks in working days across National Day, then a grant lifts the listing', async () => {
      time.set('2026-09-29');
      const r = await recordOf(REPAIRED);
      expect(await rail(REPAIRED)).toBe(true);
      const before = await latestScore(REPAIRED);
      expect(before.grade.startsWith('D')).toBe(true);

      const applied = await apply(REPAIRED, r.id);
      // 09-30, then 1–7 October off, 08, 09, Saturday 10 (a make-up working day), 12–16, 19.
      expect(applied).toMatchObject({ status: 'pending', feedback_due: '2026-10-19', due: '2026-10-19' });
      await expect(apply(REPAIRED, r.id)).rejects.toMatchObject({ code: 'conflict' });

      time.set('2026-09-30');
      const accepted = await giveRepairFeedback({
        ctx: p.ctx(operator, 'feedback'),
        input: { id: applied.id, accepted: true, message: 'Complete: proof of payment received.' },
        deps: deps(),
      });
      // 08, 09 and the make-up Saturday 10 October.
      expect(accepted).toMatchObject({ status: 'accepted', decision_due: '2026-10-10', overdue: false });
      const queue = await listRepairs({ ctx: p.ctx(operator, 'queue'), input: {}, deps: deps() });
      expect(queue.repairs.map((v) => v.id)).toEqual([applied.id]);

      time.set('2026-10-08');
      // Product rule 2: the operator's reasons are kept on file and in the audit log.
      await expect(
        decideRepair({
          ctx: p.ctx(operator, 'decide'),
          input: { id: applied.id, outcome: 'granted', reasons: 'Granted; the subject is a Muslim.' },
          deps: { ...deps(), refresh },
        }),
      ).rejects.toMatchObject({ code: 'protected_category', issues: [{ field: 'reasons' }] });
      const granted = await decideRepair({
        ctx: p.ctx(operator, 'decide'),
        input: { id: applied.id, outcome: 'granted', reasons: 'Performed in full; commitment made.' },
        deps: { ...deps(), refresh },
      });
      expect(granted).toMatchObject({
        status: 'granted',
        outcome: 'granted',
        display_stop_due: '2026-10-12',
        record: { status: 'repaired' },
      });
      expect((await p.store.findRecordById(r.id))!.status).toBe('repaired');
      // The record no longer counts: the grade leaves D and the listing ends for the next check.
      const after = await latestScore(REPAIRED);
      // A direct grade D deducts no points of its own (scoring.yaml): the grade is what changes.
      expect(after.grade).toBe('A');
      expect(after.asOf).toBe('2026-10-08');
      expect(await rail(REPAIRED)).toBe(false);
      const entries = await p.store.listListEntries([await idOf(REPAIRED)]);
      expect(entries.filter((e) => e.listCode === 'black.court_defaulters' && e.status === 'active')).toEqual(
        [],
      );
      const kinds = (await p.store.listNotifications(await idOf(REPAIRED))).map((n) => n.kind);
      expect(kinds).toEqual(
        expect.arrayContaining([
          `repair.received#${applied.id}`,
          `repair.feedback#${applied.id}`,
          `repair.granted#${applied.id}`,
        ]),
      );
      await expect(
        decideRepair({
          ctx: p.ctx(operator, 'decide'),
          input: { id: applied.id, outcome: 'refused', reasons: 'again' },
          deps: { ...deps(), refresh },
        }),
      ).rejects.toMatchObject({ code: 'conflict' });
      const own = await listOwnRepairs({ ctx: p.ctx(subject(REPAIRED), 'read'), deps: deps() });
      expect(own).toMatchObject([{ id: applied.id, status: 'granted', display_stop_due: '2026-10-12' }]);
      expect(own[0]).not.toHaveProperty('decided_by');
    });

    it('a refusal keeps the record as it was, with reasons told to the subject', async () => {
      const r = await recordOf(UNCORRECTED);
      const applied = await apply(UNCORRECTED, r.id);
      const refused = await decideRepair({
        ctx: p.ctx(operator, 'decide'),
        input: { id: applied.id, outcome: 'refused', reasons: 'No proof the judgment was performed.' },
        deps: { ...deps(), refresh },
      });
      expect(refused).toMatchObject({
        status: 'refused',
        display_stop_due: null,
        record: { status: 'active' },
      });
      expect(refused.feedback).toMatchObject({ accepted: true });
      expect(await rail(UNCORRECTED)).toBe(true);
      const notes = await p.store.listNotifications(await idOf(UNCORRECTED));
      expect(notes.find((n) => n.kind === `repair.refused#${applied.id}`)?.message).toContain('No proof');
    });

    it('maintain archives a corrected record the day its maximum display ends, not before, never an uncorrected one', async () => {
      const repaired = await recordOf(REPAIRED);
      const cured = await recordOf(CURED);
      const uncorrected = await recordOf(UNCORRECTED);
      // The index: each corrected subject is due on its record's display end, found without a scan.
      time.set('2028-05-31');
      const first = await maintain();
      expect(first.archived).toBe(0);
      const due = await p.store.listDueDays([await idOf(REPAIRED), await idOf(CURED)]);
      expect(due.map((d) => d.dueDay)).toEqual(['2028-06-01', '2028-06-01']);
      expect((await p.store.findRecordById(cured.id))!.status).toBe('active');

      time.set('2028-06-01');
      const run = await maintain();
      expect(run.archived).toBe(2);
      expect((await p.store.findRecordById(repaired.id))!.status).toBe('expired');
      expect((await p.store.findRecordById(cured.id))!.status).toBe('expired');
      expect((await p.store.findRecordById(uncorrected.id))!.status).toBe('active');
      const [version] = await p.store.listRecordVersions([cured.id]);
      expect(version).toMatchObject({ status: 'active', change: 'archive' });
      const note = (await p.store.listNotifications(await idOf(CURED))).find(
        (n) => n.kind === archivedKind(cured.id),
      );
      expect(note).toMatchObject({ effective: '2028-06-01' });
      expect(note!.message).toContain('archive');
      const again = await maintain();
      expect(again).toMatchObject({ subjects: 0, archived: 0 });
    });

    it('maintain archives a one-off negative act 5 years after its day (retention), never an unperformed obligation', async () => {
      const conviction = await recordOf(CONVICTED, 'court.intentional_crime_conviction');
      const uncorrected = await recordOf(UNCORRECTED);
      // Decided 2024-03-01: kept until 2029-03-01, found by the due-day index without a scan.
      const due = await p.store.listDueDays([await idOf(CONVICTED)]);
      expect(due.map((d) => d.dueDay)).toContain('2029-03-01');
      time.set('2029-02-28');
      expect((await maintain()).archived).toBe(0);
      expect((await p.store.findRecordById(conviction.id))!.status).toBe('active');
      time.set('2029-03-01');
      const run = await maintain();
      expect(run.archived).toBe(1);
      expect((await p.store.findRecordById(conviction.id))!.status).toBe('expired');
      const [version] = (await p.store.listRecordVersions([conviction.id])).filter(
        (v) => v.change === 'archive',
      );
      expect(version).toBeDefined();
      const note = (await p.store.listNotifications(await idOf(CONVICTED))).find(
        (n) => n.kind === archivedKind(conviction.id),
      );
      expect(note).toMatchObject({ effective: '2029-03-01' });
      expect(note!.message).toMatch(/kept the 5 years the law allows negative data/);
      // A judgment never performed is an obligation that has not ended: it stays in the file.
      expect((await p.store.findRecordById(uncorrected.id))!.status).toBe('active');
    });
  });
}
