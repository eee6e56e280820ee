/**
 * Two refreshes of one subject that overlap never leave the older one written last, on both
 * backends. The first refresh is held right after it read the subject's records until a second
 * write and its refresh are done (a court's performance, a withdrawal, a new listing); then it
 * writes what it computed from the records it read. Its entries, scores, notifications and due day
 * are left as the newer refresh wrote them: a person who performed is not kept listed, one listed
 * is not told the listing is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { refreshGate } from '../../test/refresh-gate.ts';
import { fixedClock, type Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import { ingestRecords } from '../ingest/index.ts';
import { checkMeasure } from '../measures/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';

const clerk: Principal = { id: 'operator:court-feed', role: 'operator' };
const CASE = '(2025)赣0426执100号';

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('overlapping refreshes of one subject', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let hold: ReturnType<typeof refreshGate>;
    let line = 0;
    const ingest = (lines: object[]) =>
      ingestRecords({
        ctx: p.ctx(clerk, 'court feed'),
        input: {
          source: 'court',
          catalogue: p.catalogue,
          lines: lines.map((value) => ({ line: ++line, value })),
          afterBatch: async (ids) => {
            await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids);
          },
        },
      });
    const person = (id: string) => ({ kind: 'person', id_number: id, name: '张伟' });
    const listing = (id: string, key: string) => ({
      source_record_id: key,
      type: 'court.judgment_defaulter',
      subject: person(id),
      occurred_at: '2025-05-01',
      decided_at: '2025-06-01',
      amount: 80_000,
      evidence: CASE,
    });
    const performed = (id: string, key: string) => ({
      ...listing(id, key),
      type: 'court.judgment_performed',
      occurred_at: '2026-02-20',
      decided_at: '2026-02-20',
    });
    const lawsuit = (id: string, key: string) => ({
      source_record_id: key,
      type: 'court.contract_lawsuit_lost',
      subject: person(id),
      occurred_at: '2026-01-10',
      decided_at: '2026-01-20',
      amount: 3000,
      evidence: `(2026)粤0524民初${key.length}号`,
    });
    /** The first batch's refresh reads, the second batch is written and refreshed, then the first writes. */
    const overlap = async (first: object[], second: object[]) => {
      const gate = hold();
      const done = ingest(first);
      await gate.atRead;
      await ingest(second);
      gate.release();
      await done;
    };
    const restricted = async (id: string) =>
      (
        await checkMeasure({
          ctx: p.ctx(clerk, 'check'),
          measures: p.measures,
          lists: p.lists,
          input: { measure: 'restrict.air_travel', subjects: [id] },
        })
      )[0]!.applies;
    const stateOf = async (id: string) => {
      const s = (await p.store.findSubjectByIdentifier(id))!;
      const [score] = await p.store.listLatestScores([s.id], p.scoringPolicy.version);
      return {
        entries: (await p.store.listListEntries([s.id])).map((e) => `${e.status}:${e.from}..${e.until}`),
        grade: score?.grade,
        notes: (await p.store.listNotifications(s.id)).map((n) => n.kind).sort(),
        due: (await p.store.listDueDays([s.id]))[0]?.dueDay ?? null,
      };
    };
    /** What a refresh from the records now gives. */
    const fresh = async (id: string) => {
      const s = (await p.store.findSubjectByIdentifier(id))!;
      await p.refreshSubjects(p.ctx(clerk, 'refresh again'), [s.id]);
      return stateOf(id);
    };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: fixedClock('2026-03-01T10:00:00Z') }));
      hold = refreshGate(p);
      await registerSource({
        ctx: p.ctx(clerk, 'set up'),
        catalogue: p.catalogue,
        input: { code: 'court', kind: 'court' },
      });
    });
    afterAll(() => cleanup());

    it('a performance written while an older refresh was computing lifts the listing', async () => {
      const id = makeResidentId('360426', '1980-05-05', 31);
      await ingest([listing(id, 'p-listing')]);
      expect(await restricted(id)).toBe(true);
      await overlap([lawsuit(id, 'p-lawsuit')], [performed(id, 'p-performed')]);
      expect(await restricted(id)).toBe(false);
      const state = await stateOf(id);
      expect(state.entries).toEqual(['ended:2025-06-01..2026-02-20']);
      expect(state).toEqual(await fresh(id));
    });

    it('a withdrawal written while an older refresh was computing removes the listing', async () => {
      const id = makeResidentId('360426', '1981-06-06', 33);
      await ingest([listing(id, 'w-listing')]);
      await overlap(
        [lawsuit(id, 'w-lawsuit')],
        [{ action: 'withdraw', source_record_id: 'w-listing', reason: 'sent in error' }],
      );
      expect(await restricted(id)).toBe(false);
      const state = await stateOf(id);
      expect(state.entries).toEqual([]);
      expect(state).toEqual(await fresh(id));
    });

    it('a listing written while an older refresh was computing stands, and nobody is told it is gone', async () => {
      const id = makeResidentId('360426', '1982-07-07', 35);
      await ingest([lawsuit(id, 'l-lawsuit')]);
      await overlap([lawsuit(id, 'l-lawsuit-2')], [listing(id, 'l-listing')]);
      expect(await restricted(id)).toBe(true);
      const state = await stateOf(id);
      expect(state.notes).not.toContain('listing_removed');
      expect(state.grade).toMatch(/^D/);
      expect(state).toEqual(await fresh(id));
    });
  });
}
