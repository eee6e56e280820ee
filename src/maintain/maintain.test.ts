/**
 * Time's transitions applied by `runMaintenance`, on every backend: a court listing that ends on
 * its day is lifted with one `listing_ended` notification, a second run writes nothing, a day with
 * nothing due changes nothing, and a run cut short is finished by the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { movingClock } from '../../test/moving-clock.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { entryOf, evaluateMeasure } from '../lists/index.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import { addMonths, formatDay, parseDay, rescoreAllSubjects } from '../scoring/index.ts';
import { MAINTAINED_THROUGH, runMaintenance } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const dayAfter = (d: string, n = 1) => formatDay(parseDay(d) + n);

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('maintenance by date', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const time = movingClock('2024-04-20T09:00:00.000Z');
    const deps = () => listDeps(p);
    const maintain = (date?: string) =>
      runMaintenance({ ctx: p.ctx(operator, 'maintain'), input: date ? { date } : {}, deps: deps() });
    const subjectOf = async (id: string) => (await p.store.findSubjectByIdentifier(id))!.id;
    const courtList = async (subjectId: number) =>
      (await p.store.listListEntries([subjectId])).filter((e) => e.listCode === 'black.court_defaulters');
    const ended = async (subjectId: number) =>
      (await p.store.listNotifications(subjectId)).filter((n) => n.kind === 'listing_ended');
    const rail = () => p.measures.measures.find((m) => m.code === 'restrict.high_speed_rail')!;
    const railApplies = async (subjectId: number, asOf: string) =>
      evaluateMeasure({
        measure: rail(),
        entries: (await p.store.listListEntries([subjectId])).map(entryOf),
        subjectKind: 'person',
        asOf,
      }).applies;

    const LISTED = makeResidentId('360426', '1980-05-05', 31);
    const CUT_SHORT = makeResidentId('360426', '1981-06-06', 33);
    let feed: Awaited<ReturnType<typeof courtFeed>>;

    beforeAll(async () => {
      time.set('2024-04-20');
      ({ platform: p, cleanup } = await b.open({ clock: time.clock }));
      feed = await courtFeed(p, 'court-maintain');
      // Decided two years before the listing's end (24 months from the day it took effect).
      await feed([
        {
          ...defaulterRecord('m-1', LISTED),
          occurred_at: '2024-03-01',
          decided_at: '2024-03-15',
          evidence: '(2024)赣0426执31号',
        },
        {
          ...defaulterRecord('m-2', CUT_SHORT),
          occurred_at: '2024-03-01',
          decided_at: '2024-03-15',
          evidence: '(2024)赣0426执33号',
        },
      ]);
    }, 120_000);
    afterAll(async () => cleanup?.());

    it("keeps each computed subject's next transition day, no later than its listing's end", async () => {
      const id = await subjectOf(LISTED);
      const [entry] = await courtList(id);
      expect(entry).toMatchObject({ status: 'active' });
      expect(entry!.until).toBe(formatDay(addMonths(parseDay(entry!.from), 24)));
      const [due] = await p.store.listDueDays([id]);
      expect(due!.dueDay! > '2024-04-20').toBe(true);
      expect(due!.dueDay! <= entry!.until!).toBe(true);
    });

    it('a day with nothing due changes nothing', async () => {
      const id = await subjectOf(LISTED);
      const [due] = await p.store.listDueDays([id]);
      const quiet = dayAfter(due!.dueDay!, -1);
      time.set(quiet);
      const entries = await p.store.listListEntries([id]);
      const notes = await p.store.listNotifications(id);
      const scores = await p.store.listScores(id);
      const r = await maintain();
      expect(r).toEqual({ date: quiet, subjects: 0, transitions: 0, notifications: 0, archived: 0 });
      expect(await p.store.listListEntries([id])).toEqual(entries);
      expect(await p.store.listNotifications(id)).toEqual(notes);
      expect(await p.store.listScores(id)).toEqual(scores);
      expect(await p.store.getMeta(MAINTAINED_THROUGH)).toBe(quiet);
    });

    it('on the day a listing ends: lifts the measure, writes one listing_ended; a second run writes nothing', async () => {
      const id = await subjectOf(LISTED);
      const [entry] = await courtList(id);
      const end = entry!.until!;
      time.set(dayAfter(end, -1));
      expect(await railApplies(id, dayAfter(end, -1))).toBe(true);
      time.set(end);
      const audits = await p.store.countAudit();
      const first = await maintain(end);
      expect(first.date).toBe(end);
      expect(first.subjects).toBeGreaterThanOrEqual(1);
      expect(first.transitions).toBeGreaterThanOrEqual(1);
      expect(first.notifications).toBeGreaterThanOrEqual(1);
      const [after] = await courtList(id);
      expect(after).toMatchObject({ status: 'ended', until: end, reasonCode: 'EXPIRED' });
      expect(await railApplies(id, end)).toBe(false);
      const notes = await ended(id);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ listCode: 'black.court_defaulters', effective: end });
      // One audit entry for the whole run, and one for each subject whose entries changed (the
      // listings decided the same day ended together).
      expect(await p.store.countAudit()).toBe(audits + 1 + first.transitions);
      expect(await p.store.getMeta(MAINTAINED_THROUGH)).toBe(end);

      const entries = await p.store.listListEntries([id]);
      const all = await p.store.listNotifications(id);
      const second = await maintain(end);
      expect(second).toEqual({ date: end, subjects: 0, transitions: 0, notifications: 0, archived: 0 });
      expect(await p.store.listListEntries([id])).toEqual(entries);
      expect(await p.store.listNotifications(id)).toEqual(all);
    });

    it('a run cut short is finished by the next', async () => {
      const id = await subjectOf(CUT_SHORT);
      const [entry] = await courtList(id);
      // The first subject's run above reached this one too (same decision day): listed again
      // under a later decision to have a transition still due.
      expect(entry!.status).toBe('ended');
      time.set(dayAfter(entry!.until!, 30));
      await feed([
        {
          ...defaulterRecord('m-3', CUT_SHORT),
          occurred_at: dayAfter(entry!.until!, 10),
          decided_at: dayAfter(entry!.until!, 20),
          evidence: '(2026)赣0426执90号',
        },
      ]);
      const [listed] = (await courtList(id)).filter((e) => e.status !== 'ended');
      const end = listed!.until!;
      time.set(end);
      const store = p.store;
      // The page's entries, scores, notifications and due days are one transaction: cut there.
      const replace = store.replaceListEntries.bind(store);
      store.replaceListEntries = async () => {
        throw new Error('power cut');
      };
      try {
        await expect(maintain()).rejects.toThrow('power cut');
      } finally {
        store.replaceListEntries = replace;
      }
      expect((await p.store.listDueDays([id]))[0]!.dueDay! <= end).toBe(true);
      const again = await maintain();
      expect(again.subjects).toBeGreaterThanOrEqual(1);
      expect((await courtList(id)).every((e) => e.status === 'ended')).toBe(true);
      expect((await ended(id)).filter((n) => n.effective === end)).toHaveLength(1);
      expect((await maintain()).subjects).toBe(0);
    });

    it('full rescoring gives every subject with a record still counting its due day', async () => {
      const today = formatDay(Math.floor(time.clock.now().getTime() / 86_400_000));
      const LOST = makeResidentId('360426', '1982-07-07', 35);
      await feed([
        {
          source_record_id: 'm-4',
          type: 'court.contract_lawsuit_lost',
          subject: { kind: 'person', id_number: LOST, name: '李娜' },
          occurred_at: dayAfter(today, -20),
          decided_at: dayAfter(today, -10),
          amount: 1000,
          evidence: '(2028)赣0426民初4号',
        },
      ]);
      const id = await subjectOf(LOST);
      expect((await p.store.listDueDays([id]))[0]!.dueDay! > today).toBe(true);
      await p.store.setDueDays([{ subjectId: id, dueDay: null }]);
      expect(await p.store.listDueDays([id])).toEqual([]);
      await rescoreAllSubjects({
        ctx: p.ctx(operator, 'rescore'),
        deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
        input: {},
      });
      const [due] = await p.store.listDueDays([id]);
      expect(due!.dueDay! > today).toBe(true);
    });

    it('keeps due days in the store: set, lowered never raised, cleared, listed by day in pages', async () => {
      const a = await subjectOf(LISTED);
      const b2 = await subjectOf(CUT_SHORT);
      const saved = await p.store.listDueDays([a, b2]);
      await p.store.setDueDays([
        { subjectId: a, dueDay: '2040-01-10' },
        { subjectId: b2, dueDay: '2040-01-20' },
      ]);
      // A subject named twice in one call gets the earlier day (one upsert row per subject).
      await p.store.lowerDueDays([
        { subjectId: a, dueDay: '2040-01-05' },
        { subjectId: b2, dueDay: '2040-02-01' },
        { subjectId: a, dueDay: '2040-01-07' },
      ]);
      expect(await p.store.listDueDays([a, b2])).toEqual([
        { subjectId: a, dueDay: '2040-01-05' },
        { subjectId: b2, dueDay: '2040-01-20' },
      ]);
      expect(await p.store.countDueSubjects('2040-01-19')).toBeGreaterThanOrEqual(1);
      const due = await p.store.listDueSubjects('2040-01-31', 0, 1000);
      expect(due).toEqual(expect.arrayContaining([a, b2]));
      expect(await p.store.listDueSubjects('2040-01-31', Math.min(a, b2), 1000)).toContain(Math.max(a, b2));
      await p.store.setDueDays([{ subjectId: a, dueDay: null }]);
      expect(await p.store.listDueDays([a])).toEqual([]);
      await p.store.setDueDays(
        [a, b2].map((id) => ({
          subjectId: id,
          dueDay: saved.find((d) => d.subjectId === id)?.dueDay ?? null,
        })),
      );
    });

    it('is for operators only, and refuses a day after today', async () => {
      await expect(
        runMaintenance({
          ctx: p.ctx({ id: 'source:x', role: 'source' }, 'maintain'),
          input: {},
          deps: deps(),
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const today = formatDay(Math.floor(time.clock.now().getTime() / 86_400_000));
      await expect(maintain(dayAfter(today))).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(maintain('2026-13-01')).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });
}
