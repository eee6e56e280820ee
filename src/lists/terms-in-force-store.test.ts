/**
 * A listing keeps the terms in force when it was decided, across a change of the lists policy the
 * platform is started with: on every backend, through the real feed and refresh.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { courtFeed, defaulterRecord } from '../../test/court-feed.ts';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { DEFAULT_LISTS_PATH } from './list-policy.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const FIRST = '360426199101010071';
const SECOND = '440524188001010014';
const folder = mkdtempSync(join(tmpdir(), 'credence-terms-'));
const longer = join(folder, 'lists.yaml');
const shipped = readFileSync(DEFAULT_LISTS_PATH, 'utf8');
// The court list's two years made three.
expect(shipped).toContain('    duration_months: 24\n');
writeFileSync(longer, shipped.replace('    duration_months: 24\n', '    duration_months: 36\n'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const courtEntry = async (p: Platform, id: string) => {
  const s = await p.store.findSubjectByIdentifier(id);
  return (await p.store.listListEntries([s!.id]))
    .filter((e) => e.listCode === 'black.court_defaulters')
    .map((e) => [e.status, e.from, e.until]);
};

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('listing terms in force when decided', b), () => {
    it('a longer term applies to cases decided after it came in force, never to one listed before', async () => {
      const { platform: p, cleanup, another } = await b.open({ clock: fixedClock('2026-02-01T10:00:00Z') });
      let q: Platform | undefined;
      let r: Platform | undefined;
      try {
        const court = await courtFeed(p, 'court-t');
        await court([defaulterRecord('t1', FIRST)]);
        expect(await courtEntry(p, FIRST)).toEqual([['active', '2025-06-01', '2027-06-01']]);

        // From 1 March the platform runs with the longer term.
        q = await another({ clock: fixedClock('2026-03-01T10:00:00Z'), listsFile: longer });
        await q.refreshSubjects(q.ctx(operator, 'refresh'), [
          (await q.store.findSubjectByIdentifier(FIRST))!.id,
        ]);
        expect(await courtEntry(q, FIRST)).toEqual([['active', '2025-06-01', '2027-06-01']]);
        expect((await q.store.listPolicyPeriods('lists')).map((x) => x.from)).toEqual([
          '2026-02-01T10:00:00.000Z',
          '2026-03-01T10:00:00.000Z',
        ]);

        // A case decided the day after gets the new term (one decided on the day of the change
        // gets the shorter: its hour is not known).
        r = await another({ clock: fixedClock('2026-03-02T10:00:00Z'), listsFile: longer });
        const later = await courtFeed(r, 'court-u');
        const sent = await later([
          {
            ...defaulterRecord('u1', SECOND, '李娜'),
            occurred_at: '2026-03-02',
            decided_at: '2026-03-02',
            evidence: '(2026)赣0426执7号',
          },
        ]);
        expect(sent).toMatchObject({ rejected: 0 });
        expect(await courtEntry(r, SECOND)).toEqual([['active', '2026-03-02', '2029-03-02']]);
        expect(await r.store.listPolicyPeriods('lists')).toHaveLength(2);
      } finally {
        await r?.close();
        await q?.close();
        await cleanup();
      }
    });
  });
}
