/** The subject's own file and its access log through the store, on every backend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import { checkMeasure, registerRelyingParty } from '../measures/index.ts';
import type { Platform } from '../platform/index.ts';
import { CHECK_DAYS_PER_PAGE, getOwnFile, type OwnFileJson, ownFileDeps } from './index.ts';

const operator: Principal = { id: 'operator:cli@root', role: 'operator' };
const DEFAULTER = '360426199101010071';
const OTHER = '440524198503030049';
const self: Principal = { id: `subject:${DEFAULTER}`, role: 'subject', ref: DEFAULTER };
const rail: Principal = { id: 'relying_party:rail-o', role: 'relying_party', ref: 'rail-o' };
const NOW = '2026-03-01T10:00:00Z';

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle("the subject's own file", b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const own = (
      input: Parameters<typeof getOwnFile>[0]['input'] = {},
      who: Principal = self,
      purpose = 'read own file',
    ) => getOwnFile({ ctx: p.ctx(who, purpose), input, deps: ownFileDeps(p) });
    /** Checks of the defaulter by the railway on a day (the clock set to that day). */
    const checks = (day: string, n: number) =>
      checkMeasure({
        ctx: { ...p.ctx(rail, 'ticket_sale'), clock: fixedClock(`${day}T08:00:00Z`) },
        measures: p.measures,
        lists: p.lists,
        input: { measure: 'restrict.high_speed_rail', subjects: Array.from({ length: n }, () => DEFAULTER) },
      });
    /** Every check group of the defaulter, page by page. */
    const allCheckPages = async () => {
      const pages: OwnFileJson['access_log']['checks'][] = [];
      let page: string | undefined;
      do {
        const f = await own(page ? { checksPage: page } : {});
        pages.push(f.access_log.checks);
        page = f.access_log.checks.next_page ?? undefined;
      } while (page && pages.length < 10);
      return pages;
    };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: fixedClock(NOW) }));
      const ingest = await courtFeed(p, 'court-o');
      await ingest([
        defaulterRecord('d1', DEFAULTER),
        {
          source_record_id: 'k1',
          type: 'court.contract_lawsuit_lost',
          subject: { kind: 'person', id_number: DEFAULTER, name: '张伟' },
          occurred_at: '2025-10-10',
          decided_at: '2025-10-20',
          amount: 3000,
          evidence: '(2025)赣0426民初12号',
          note: 'first version',
        },
        {
          source_record_id: 'o1',
          type: 'court.contract_lawsuit_lost',
          subject: { kind: 'person', id_number: OTHER, name: '王芳' },
          occurred_at: '2026-01-10',
          amount: 3000,
          evidence: '(2026)粤0524民初12号',
        },
      ]);
      await registerRelyingParty({
        ctx: p.ctx(operator, 'set up'),
        measures: p.measures,
        input: { code: 'rail-o', kind: 'railway', name: '12306 铁路售票', purposes: ['ticket_sale'] },
      });
    });
    afterAll(async () => cleanup?.());

    it('shows every record with its source, case, the day it stops counting and the day it may be repaired', async () => {
      const f = await own();
      expect(f.subject.identifier).toBe(DEFAULTER);
      const listing = f.records.find((r) => r.type === 'court.judgment_defaulter')!;
      expect(listing).toMatchObject({
        source: { code: 'court-o' },
        case_reference: '(2025)赣0426执100号',
        status: 'active',
        repair: { eligible_from: '2026-06-01' },
      });
      expect(listing.counts_until! > f.as_of).toBe(true);
      const lawsuit = f.records.find((r) => r.type === 'court.contract_lawsuit_lost')!;
      // General severity: three months after the decision of 2025-10-20.
      expect(lawsuit.repair).toMatchObject({ eligible_from: '2026-01-20' });
    });

    it('gives at most four key factors, each with what the subject can do', async () => {
      const f = await own();
      expect(f.score.key_factors.length).toBeGreaterThan(0);
      expect(f.score.key_factors.length).toBeLessThanOrEqual(4);
      const byType = new Map(f.score.key_factors.map((k) => [k.type, k.advice.map((a) => a.kind)]));
      expect(byType.get('court.judgment_defaulter')).toEqual(
        expect.arrayContaining(['perform', 'repair_from', 'object', 'wait']),
      );
      // Already eligible: apply now.
      expect(byType.get('court.contract_lawsuit_lost')).toEqual(
        expect.arrayContaining(['repair_now', 'object']),
      );
      expect(f.measures.map((m) => m.measure)).toContain('restrict.high_speed_rail');
      expect(f.lists.find((l) => l.list === 'black.court_defaulters')).toMatchObject({ in_force: true });
    });

    it("shows a record's earlier versions: what changed it, when and why", async () => {
      const lawsuit = (await own()).records.find((r) => r.type === 'court.contract_lawsuit_lost')!;
      await p.store.reviseRecords(
        [
          {
            recordId: lawsuit.id,
            change: 'correct',
            status: 'corrected',
            reason: 'amount mistyped',
            content: {
              type: 'court.contract_lawsuit_lost',
              occurredAt: '2025-10-10',
              decidedAt: '2025-10-20',
              disclosedAt: null,
              amount: 2000,
              evidence: '(2025)赣0426民初12号',
              note: 'second version',
            },
          },
        ],
        '2026-02-15T00:00:00.000Z',
        { actor: 'source:court-o', role: 'source', purpose: 'correction', requestId: null },
      );
      const r = (await own()).records.find((x) => x.id === lawsuit.id)!;
      expect(r).toMatchObject({ status: 'corrected', amount: 2000, version: 2, note: 'second version' });
      expect(r.history).toEqual([
        expect.objectContaining({
          version: 1,
          status: 'active',
          amount: 3000,
          note: 'first version',
          change: 'correct',
          reason: 'amount mistyped',
          replaced_at: '2026-02-15T00:00:00.000Z',
        }),
      ]);
      const log = (await own()).access_log.accesses.entries;
      expect(log).toContainEqual(
        expect.objectContaining({ who: 'court-o', who_kind: 'source', action: 'record.correct' }),
      );
    });

    it('lets a subject read only its own file', async () => {
      const stranger: Principal = { id: `subject:${OTHER}`, role: 'subject', ref: OTHER };
      await expect(own({ identifier: DEFAULTER }, stranger)).rejects.toMatchObject({ code: 'forbidden' });
      expect((await own({}, stranger)).subject.identifier).toBe(OTHER);
      await expect(own({}, operator, 'x')).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('groups a flood of checks per relying party and day, by its registered name, and keeps other reads in view', async () => {
      await own({ identifier: DEFAULTER }, operator, 'loan application review');
      await checks('2026-03-01', 500);
      const f = await own();
      expect(f.access_log.checks.groups[0]).toMatchObject({
        day: '2026-03-01',
        who: '12306 铁路售票',
        relying_party: 'rail-o',
        count: 500,
        applied: 500,
        measures: ['restrict.high_speed_rail'],
        purposes: ['ticket_sale'],
      });
      const entries = f.access_log.accesses.entries;
      const read = entries.find((e) => e.purpose === 'loan application review');
      expect(read).toMatchObject({ who: 'Credence operator', who_kind: 'operator', role: 'operator' });
      expect(JSON.stringify(f.access_log)).not.toContain('cli@root');
      expect(entries[0]).toMatchObject({ who: 'You', who_kind: 'you', action: 'subject.file.read' });
    });

    it('pages the checks by day, the same before and after the check log is indexed', async () => {
      // Checks on more days than a page holds, after the flood's day.
      for (let d = 1; d <= CHECK_DAYS_PER_PAGE + 2; d++)
        await checks(new Date(Date.UTC(2026, 2, 1 + d)).toISOString().slice(0, 10), 1);
      const before = await allCheckPages();
      await p.store.indexCheckLog();
      const after = await allCheckPages();
      expect(after).toEqual(before);
      expect(before.length).toBe(2);
      const groups = before.flatMap((pg) => pg.groups);
      expect(groups.reduce((n, g) => n + g.count, 0)).toBe(500 + CHECK_DAYS_PER_PAGE + 2);
      const days = groups.map((g) => g.day);
      expect(new Set(days).size).toBe(days.length);
      expect([...days].sort().reverse()).toEqual(days);
      expect(before[0]!.groups).toHaveLength(CHECK_DAYS_PER_PAGE);
      // A cursor naming another subject's check shows only this subject's checks, indexed or not:
      // in the log's tail it is a position, on the chains it leads nowhere.
      await checkMeasure({
        ctx: p.ctx(rail, 'ticket_sale'),
        measures: p.measures,
        lists: p.lists,
        input: { measure: 'restrict.high_speed_rail', subjects: [OTHER] },
      });
      const theirs = (await own({ identifier: OTHER }, operator, 'cursor test')).access_log.checks.groups[0]!;
      expect(theirs.count).toBe(1);
      const mine = new Set(groups.map((g) => `${g.day} ${g.count}`));
      const tail = (await own({ checksPage: `${theirs.seqs[0]}.0` })).access_log.checks.groups;
      for (const g of tail) expect(mine.has(`${g.day} ${g.count}`)).toBe(true);
      await p.store.indexCheckLog();
      expect((await own({ checksPage: `${theirs.seqs[0]}.0` })).access_log.checks.groups).toEqual([]);
    });

    it('pages the reads and writes newest first without losing or repeating one', async () => {
      for (let i = 0; i < 5; i++) await own({ identifier: DEFAULTER }, operator, `review ${i}`);
      const seen: number[] = [];
      const purposes: string[] = [];
      let page: string | undefined;
      for (let n = 0; n < 50; n++) {
        const a = (
          await own(
            { identifier: DEFAULTER, accessLimit: 4, ...(page ? { accessPage: page } : {}) },
            operator,
            'paging',
          )
        ).access_log.accesses;
        expect(a.entries.length).toBeLessThanOrEqual(4);
        seen.push(...a.entries.map((e) => e.seq));
        purposes.push(...a.entries.map((e) => e.purpose));
        if (!a.next_page) break;
        page = a.next_page;
      }
      expect([...seen].sort((x, y) => y - x)).toEqual(seen);
      expect(new Set(seen).size).toBe(seen.length);
      for (let i = 0; i < 5; i++) expect(purposes).toContain(`review ${i}`);
      // The oldest entries: the subject's registration and its records' batch.
      expect(purposes.slice(-1)).toEqual(['court feed']);
    });
  });
}
