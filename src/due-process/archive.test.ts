/**
 * Archival keeps a cured record for the term its cure leaves, on every backend: a defaulter who
 * performs more than a year after the listing's decision keeps the −50 deduction (grade B) for 2
 * years from the performance, through `credence maintain` runs past the listing's maximum display
 * (policies/scoring.yaml `cures`), and the record goes to the archive the day that term ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord, performedRecord } from '../../test/court-feed.ts';
import { movingClock } from '../../test/moving-clock.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { runMaintenance } from '../maintain/index.ts';
import { listDeps, type Platform } from '../platform/index.ts';
import { getScoreReport } from '../scoring/index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('archival after a cure that leaves a deduction', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const time = movingClock('2026-06-10T09:00:00.000Z');
    const LATE = makeResidentId('360426', '1984-09-09', 51);
    const CASE = '(2024)赣0426执500号';
    const maintain = () =>
      runMaintenance({
        ctx: p.ctx(operator, 'maintain'),
        input: {},
        deps: listDeps(p),
      });
    /** What the person sees after maintenance ran that day: the score and grade as of it. */
    const scoreOn = async (day: string) => {
      time.set(day);
      await maintain();
      const r = await getScoreReport({
        ctx: p.ctx(operator, 'check the score'),
        input: { identifier: LATE },
        deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
      });
      return { score: r.score, grade: r.grade };
    };
    const listing = async () => {
      const id = (await p.store.findSubjectByIdentifier(LATE))!.id;
      return (await p.store.listRecordsForSubject(id)).find((r) => r.type === 'court.judgment_defaulter')!;
    };

    beforeAll(async () => {
      time.set('2026-06-10');
      ({ platform: p, cleanup } = await b.open({ clock: time.clock }));
      const feed = await courtFeed(p, 'court-archive');
      // Listed on 2024-01-10 (maximum display to 2027-01-10), performed on 2026-06-01: the −50 the
      // performance leaves counts until 2028-06-01.
      await feed([
        {
          ...defaulterRecord('e-1', LATE),
          occurred_at: '2023-12-01',
          decided_at: '2024-01-10',
          evidence: CASE,
        },
        {
          ...performedRecord('e-2', LATE),
          occurred_at: '2026-06-01',
          decided_at: '2026-06-01',
          evidence: CASE,
        },
      ]);
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('keeps the −50 (950 B) through maintenance past the maximum display, until 2 years from the performance', async () => {
      expect(await scoreOn('2026-06-10')).toEqual({ score: 950, grade: 'B' });
      expect(await scoreOn('2027-01-10')).toEqual({ score: 950, grade: 'B' });
      expect(await scoreOn('2027-06-01')).toEqual({ score: 950, grade: 'B' });
      expect(await scoreOn('2028-05-31')).toEqual({ score: 950, grade: 'B' });
      expect((await listing()).status).toBe('active');
      // The next day maintenance visits the person is the day the term ends, not before.
      const id = (await p.store.findSubjectByIdentifier(LATE))!.id;
      expect((await p.store.listDueDays([id])).map((d) => d.dueDay)).toEqual(['2028-06-01']);
    });

    it('archives the record the day the term ends, when it no longer counts', async () => {
      expect(await scoreOn('2028-06-01')).toEqual({ score: 1000, grade: 'A' });
      expect((await listing()).status).toBe('expired');
      const id = (await p.store.findSubjectByIdentifier(LATE))!.id;
      const [latest] = await p.store.listLatestScores([id], p.scoringPolicy.version);
      expect(latest).toMatchObject({ asOf: '2028-06-01', score: 1000, grade: 'A' });
    });
  });
}
