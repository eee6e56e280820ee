/**
 * Keeping list entries, on every backend (product rule 9): a subject whose entries change gets one
 * audit entry naming what changed, written with the entries and their notifications in one
 * transaction; a subject whose entries come out the same gets none; a recomputation of every
 * subject adds one entry for the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord, performedRecord } from '../../test/court-feed.ts';
import { movingClock } from '../../test/moving-clock.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import type { Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import type { AuditRow } from '../store/index.ts';
import {
  ENTRIES_CHANGE_ACTION,
  type ListDeps,
  RECOMPUTE_ACTION,
  recomputeAllLists,
  recomputeLists,
} from './index.ts';

const operator: Principal = { id: 'operator:lists-test', role: 'operator' };
const COURT = 'black.court_defaulters';
const LISTED = makeResidentId('360426', '1980-05-05', 31);
const SUED = makeResidentId('360426', '1981-06-06', 33);

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('list entries kept with their audit entries', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let feed: Awaited<ReturnType<typeof courtFeed>>;
    const time = movingClock('2026-03-01T09:00:00.000Z');
    const deps = (): ListDeps => listDeps(p);
    const idOf = async (identifier: string) => (await p.store.findSubjectByIdentifier(identifier))!.id;
    const changes = async (subjectId: number): Promise<AuditRow[]> =>
      (await p.store.listAuditForSubject(subjectId, 1000))
        .filter((a) => a.action === ENTRIES_CHANGE_ACTION)
        .sort((x, y) => x.seq - y.seq);

    beforeAll(async () => {
      time.set('2026-03-01');
      ({ platform: p, cleanup } = await b.open({ clock: time.clock }));
      feed = await courtFeed(p, 'court-lists');
      // Listed by the court on 2025-06-01; SUED's judgment lists nobody.
      await feed([
        defaulterRecord('l-1', LISTED),
        {
          ...defaulterRecord('l-2', SUED, '李娜'),
          type: 'court.contract_lawsuit_lost',
          evidence: '(2025)赣0426民初7号',
        },
      ]);
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('a listing is audited on the subject’s trail, by list, day, status and end, with its actor', async () => {
      const id = await idOf(LISTED);
      const [entry] = await changes(id);
      expect(entry).toMatchObject({ subjectId: id, actor: 'operator:court-feed', role: 'operator' });
      expect(JSON.parse(entry!.detail!)).toEqual({
        entries: [
          {
            list: COURT,
            from: '2025-06-01',
            before: null,
            after: { status: 'active', until: '2027-06-01', reason: 'LISTED_COURT_DEFAULTER' },
          },
        ],
      });
      expect(await changes(id)).toHaveLength(1);
      // A subject the recomputation left unlisted has no such entry.
      expect(await changes(await idOf(SUED))).toEqual([]);
    });

    it('a recomputation that changes nothing writes no audit entry', async () => {
      const ids = [await idOf(LISTED), await idOf(SUED)];
      const audits = await p.store.countAudit();
      const r = await recomputeLists({
        ctx: p.ctx(operator, 'recompute'),
        input: { subjectIds: ids },
        deps: deps(),
      });
      expect(r).toMatchObject({ subjects: 2, changed: 0 });
      expect(await p.store.countAudit()).toBe(audits);
    });

    it('the end of a listing is audited with its notification, as before and after', async () => {
      const id = await idOf(LISTED);
      await feed([performedRecord('l-3', LISTED)]);
      const all = await changes(id);
      expect(all).toHaveLength(2);
      expect(JSON.parse(all[1]!.detail!)).toEqual({
        entries: [
          {
            list: COURT,
            from: '2025-06-01',
            before: { status: 'active', until: '2027-06-01', reason: 'LISTED_COURT_DEFAULTER' },
            after: { status: 'ended', until: '2026-02-20', reason: 'PERFORMED' },
          },
        ],
      });
      const ended = (await p.store.listNotifications(id)).filter((n) => n.kind === 'listing_ended');
      expect(ended).toMatchObject([{ listCode: COURT, effective: '2026-02-20' }]);
      // The deletion deadline counts working days: Spring Festival ran to 2026-02-23.
      const [row] = (await p.store.listListEntries([id])).filter((e) => e.listCode === COURT);
      expect(JSON.parse(row!.entry).deleteBy).toBe('2026-02-26');
    });

    it('entries, notifications and audit entries are kept together or not at all', async () => {
      const id = await idOf(SUED);
      const entries = await p.store.listListEntries([id]);
      const notes = await p.store.listNotifications(id);
      const audits = await p.store.countAudit();
      const row = {
        subjectId: id,
        listCode: COURT,
        status: 'active' as const,
        from: '2026-01-05',
        until: null,
        reasonCode: 'LISTED_COURT_DEFAULTER',
        reasonRecords: [],
        note: 'a test entry',
        entry: '{}',
        policyVersion: p.lists.version,
        computedAt: time.clock.now().toISOString(),
      };
      const note = {
        subjectId: id,
        kind: 'listing_effective',
        listCode: COURT,
        effective: '2026-01-05',
        message: 'x',
      };
      await expect(
        p.store.replaceListEntries([id], [row], {
          at: row.computedAt,
          notifications: [note],
          audit: () => {
            throw new Error('audit refused');
          },
        }),
      ).rejects.toThrow('audit refused');
      expect(await p.store.listListEntries([id])).toEqual(entries);
      expect(await p.store.listNotifications(id)).toEqual(notes);
      expect(await p.store.countAudit()).toBe(audits);
    });

    it('a recomputation of every subject adds one entry for the run, and one per subject changed', async () => {
      const audits = await p.store.countAudit();
      const ctx = p.ctx(operator, 'recompute list entries');
      const quiet = await recomputeAllLists({ ctx, input: {}, deps: deps() });
      expect(quiet).toMatchObject({ subjects: 2, changed: 0 });
      expect(await p.store.countAudit()).toBe(audits + 1);
      const runs = await rawDb(p)
        .selectFrom('audit_log')
        .select(['subject_id', 'detail'])
        .where('action', '=', RECOMPUTE_ACTION)
        .execute();
      expect(runs).toHaveLength(1);
      expect(runs[0]!.subject_id).toBeNull();
      expect(JSON.parse(runs[0]!.detail!)).toEqual({
        policy: p.lists.version,
        subjects: 2,
        changed: 0,
        entries: quiet.entries,
        notifications: 0,
      });

      // Entries left behind (an ingestion with --no-rescore): the run brings them up to date and
      // audits the one subject they changed for.
      const sued = await idOf(SUED);
      await feed([
        { ...defaulterRecord('l-4', SUED, '李娜'), evidence: '(2026)赣0426执9号', decided_at: '2026-02-27' },
      ]);
      const listed = await p.store.listListEntries([sued]);
      expect(listed.map((e) => e.status)).toEqual(['active']);
      await p.store.replaceListEntries([sued], []);
      const before = await p.store.countAudit();
      const again = await recomputeAllLists({ ctx, input: {}, deps: deps() });
      expect(again).toMatchObject({ subjects: 2, changed: 1 });
      expect(await p.store.countAudit()).toBe(before + 2);
      const [, last] = await changes(sued);
      expect(last).toMatchObject({ actor: operator.id, purpose: 'recompute list entries' });
      expect(JSON.parse(last!.detail!).entries).toEqual([
        {
          list: COURT,
          from: '2026-02-27',
          before: null,
          after: expect.objectContaining({ status: 'active' }),
        },
      ]);
    });

    it("masks a person's identifiers in an older record's case reference, where check answers and public lists show it", async () => {
      const sued = await idOf(SUED);
      const entry = () =>
        p.store.listListEntries([sued]).then((rows) => rows.find((e) => e.listCode === COURT)!);
      const before = await entry();
      const caseNumber = JSON.parse(before.entry).caseReference as string;
      // Sent before ingestion refused such evidence: a third party's ID and mobile numbers with the case.
      const other = makeResidentId('440118', '1999-09-02', 109);
      await rawDb(p)
        .updateTable('records')
        .set({ evidence: `${caseNumber} 身份证${other} 手机13800138000` })
        .where('id', '=', before.reasonRecords[0]!)
        .execute();
      await recomputeLists({
        ctx: p.ctx(operator, 'recompute'),
        input: { subjectIds: [sued] },
        deps: deps(),
      });
      expect(JSON.parse((await entry()).entry).caseReference).toBe(
        `${caseNumber} 身份证${'*'.repeat(18)} 手机${'*'.repeat(11)}`,
      );
    });

    it('tells a subject whose listing is gone with the record it rested on that it no longer stands', async () => {
      const gone = makeResidentId('360426', '1982-07-07', 35);
      await feed([{ ...defaulterRecord('w-1', gone, '赵敏'), evidence: '(2025)赣0426执300号' }]);
      const id = await idOf(gone);
      const kinds = async () =>
        (await p.store.listNotifications(id)).map((n) => [n.kind, n.listCode, n.effective]);
      expect(await kinds()).toContainEqual(['listing_effective', COURT, '2025-06-01']);
      time.set('2026-03-10');
      await feed([{ action: 'withdraw', source_record_id: 'w-1', reason: 'judgment set aside on retrial' }]);
      expect((await p.store.listListEntries([id])).filter((e) => e.listCode === COURT)).toEqual([]);
      const removed = (await p.store.listNotifications(id)).filter((n) => n.kind === 'listing_removed');
      expect(removed).toMatchObject([{ listCode: COURT, effective: '2026-03-10' }]);
      expect(removed[0]!.message).toContain(
        `Your entry on list ${COURT} from 2025-06-01 was removed on 2026-03-10`,
      );
      // Recomputed again, nothing more is said; a listing that ends on its own is told it ended, not removed.
      await recomputeLists({ ctx: p.ctx(operator, 'recompute'), input: { subjectIds: [id] }, deps: deps() });
      expect((await p.store.listNotifications(id)).filter((n) => n.kind === 'listing_removed')).toHaveLength(
        1,
      );
      const listed = await idOf(LISTED);
      expect((await p.store.listNotifications(listed)).map((n) => n.kind)).not.toContain('listing_removed');
    });
  });
}
