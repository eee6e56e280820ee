/**
 * An objection decided by correcting the record: while pending, a court listing keeps binding and
 * the relying party is told it is contested; once corrected (the court's record was a lost
 * contract lawsuit, not a listing), the measure lifts for the very next check, the earlier
 * version is kept, and a report as of the day before still shows the listing. On both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { checkMeasure } from '../measures/index.ts';
import type { Platform } from '../platform/index.ts';
import { getScoreReport } from '../scoring/index.ts';
import { decideObjection, fileObjection, objectionDeps } from './index.ts';

const F = makeResidentId('360426', '1986-06-06', 81);
const citizen: Principal = { id: `subject:${F}`, role: 'subject', ref: F };
const operator: Principal = { id: 'operator:reviewer', role: 'operator' };

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('an objection decided by a correction', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-09-28T09:00:00.000Z');
    const clock = { now: () => new Date(now.getTime()) };
    const rail = async () =>
      (
        await checkMeasure({
          ctx: p.ctx({ id: 'operator:rail-desk', role: 'operator' }, 'ticket_sale'),
          measures: p.measures,
          lists: p.lists,
          input: { measure: 'restrict.high_speed_rail', subjects: [F] },
        })
      )[0]!;
    const record = async () => {
      const s = (await p.store.findSubjectByIdentifier(F))!;
      return (await p.store.listRecordsForSubject(s.id))[0]!;
    };
    const report = (asOf: string) =>
      getScoreReport({
        ctx: p.ctx(operator, 'review'),
        input: { identifier: F, asOf },
        deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
      });

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock }));
      await (await courtFeed(p, 'court-fix'))([
        { ...defaulterRecord('fix-1', F), decided_at: '2026-06-01', occurred_at: '2026-05-01' },
      ]);
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('binds while pending (contested), lifts at once when corrected, and the past still reads as it was', async () => {
      expect(await rail()).toMatchObject({ applies: true });
      expect(await rail()).not.toHaveProperty('contested');
      const o = await fileObjection({
        ctx: p.ctx(citizen, 'object'),
        input: {
          recordId: (await record()).id,
          reason: 'the court decided a contract lawsuit, not a listing',
        },
        deps: objectionDeps(p),
      });
      expect(o.status).toBe('pending');
      // Still binding (a court's listing binds until corrected), and the answer says it is contested.
      expect(await rail()).toMatchObject({ applies: true, contested: true });

      now = new Date('2026-10-12T09:00:00.000Z');
      await decideObjection({
        ctx: p.ctx(operator, 'decide'),
        input: {
          id: o.id,
          outcome: 'record_corrected',
          reasons: 'the court confirmed the case is a lost contract lawsuit',
          correction: { type: 'court.contract_lawsuit_lost', amount: null },
        },
        deps: objectionDeps(p),
      });
      expect(await record()).toMatchObject({ type: 'court.contract_lawsuit_lost', status: 'active' });
      expect(await rail()).toMatchObject({ applies: false });
      expect((await report('2026-10-12')).grade).not.toMatch(/^D/);
      // As of the day before the decision, the listing is what was on file.
      expect((await report('2026-10-11')).grade).toMatch(/^D/);
    });
  });
}
