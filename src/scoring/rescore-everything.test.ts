/**
 * A full rescoring beside a write so large that the change feed says "everything" (a refresh of
 * more than 5,000 subjects, as one ingest batch brings): only the subjects written meanwhile are
 * left to be scored again, not every subject after it. On every backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { makeResidentId } from '../identity/index.ts';
import type { Platform } from '../platform/index.ts';
import type { Store } from '../store/index.ts';
import { rescoreAllSubjects } from './index.ts';

const clerk: Principal = { id: 'operator:feeds', role: 'operator' };
const N = 6000;
const REFRESHED = 5001;

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('full rescoring beside a write of everything', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: { now: () => new Date('2026-03-01T10:00:00Z') } }));
      const people = Array.from({ length: N }, (_, i) => ({
        kind: 'person' as const,
        identifier: makeResidentId(
          '360426',
          new Date(Date.UTC(1960, 0, 1) + i * 3 * 86_400_000).toISOString().slice(0, 10),
          1,
        ),
        name: '张伟',
      }));
      await p.store.registerSubjects(people, '2026-03-01T10:00:00Z', {
        actor: clerk.id,
        role: clerk.role,
        purpose: 'set up',
        requestId: null,
      });
    }, 300_000);
    afterAll(async () => cleanup?.());

    it('leaves only the subjects refreshed meanwhile, and writes the rest', async () => {
      const ids = (await p.store.listSubjectsForScoring()).map((s) => s.id);
      const store = p.store as { scanRecordsForScoring: Store['scanRecordsForScoring'] };
      const scan = store.scanRecordsForScoring;
      store.scanRecordsForScoring = async (size, onChunk) => {
        await scan.call(p.store, size, onChunk);
        // Meanwhile, one refresh of more than 5,000 subjects: the feed says "everything".
        await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids.slice(0, REFRESHED));
      };
      try {
        const summary = await rescoreAllSubjects({
          ctx: p.ctx(clerk, 'full rescoring'),
          deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
          input: {},
        });
        expect(summary.subjects).toBe(N);
        expect(summary.skipped).toBe(REFRESHED);
        expect(summary.unsettled).toBe(0);
        expect(Object.values(summary.grades).reduce((a, n) => a + n, 0)).toBe(N);
      } finally {
        store.scanRecordsForScoring = scan;
      }
    }, 300_000);
  });
}
