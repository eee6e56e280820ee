/**
 * A full rescoring never overwrites a score made from newer records than it read, on both
 * backends. The rescoring is held right after it read every record until a court's listing (or a
 * tax authority's finding against an organization, which counts for its legal representative) is
 * ingested and refreshed; then it writes what it computed. The refreshed subjects keep their newer
 * score and grade, counted as skipped; every other subject gets the rescoring's.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { rawDb } from '../../test/raw-db.ts';
import type { Principal } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import type { Store } from '../store/index.ts';
import {
  DEFAULT_SCORING_POLICY_PATH,
  isScoredUnder,
  parseScoringPolicy,
  rescoreAllSubjects,
  type ScoringPolicy,
} from './index.ts';

const clerk: Principal = { id: 'operator:feeds', role: 'operator' };
const LISTED = makeResidentId('360426', '1980-05-05', 31);
const QUIET = makeResidentId('360426', '1984-08-08', 37);
const REP = makeResidentId('360426', '1975-03-03', 33);
const ORG = makeUscc('9', '1', '110105', '41000001');

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('a full rescoring beside a refresh', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let now = '2025-08-01T10:00:00Z';
    let line = 0;
    const ingest = (source: string, lines: object[]) =>
      ingestRecords({
        ctx: p.ctx(clerk, source),
        input: {
          source,
          catalogue: p.catalogue,
          lines: lines.map((value) => ({ line: ++line, value })),
          afterBatch: async (ids) => {
            await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids);
          },
        },
      });
    const person = (id: string) => ({ kind: 'person', id_number: id, name: '张伟' });
    const lawsuit = (id: string, key: string) => ({
      source_record_id: key,
      type: 'court.contract_lawsuit_lost',
      subject: person(id),
      occurred_at: '2026-01-10',
      decided_at: '2026-01-20',
      amount: 3000,
      evidence: `(2026)粤0524民初${key.length}号`,
    });
    const listing = (id: string, key: string) => ({
      source_record_id: key,
      type: 'court.judgment_defaulter',
      subject: person(id),
      occurred_at: '2025-05-01',
      decided_at: '2025-06-01',
      amount: 80_000,
      evidence: '(2025)赣0426执100号',
    });
    const evasion = {
      source_record_id: 't-1',
      type: 'tax.serious_evasion',
      subject: { kind: 'organization', uscc: ORG, name: '某公司' },
      occurred_at: '2025-09-01',
      amount: 5_000_000,
      evidence: '京税稽罚〔2025〕7号',
    };
    const idOf = async (identifier: string) => (await p.store.findSubjectByIdentifier(identifier))!.id;
    const scoreOf = async (identifier: string, policy: ScoringPolicy = p.scoringPolicy) => {
      const [s] = await p.store.listScores(await idOf(identifier), policy.version);
      return { score: s?.score, grade: s?.grade, computedAt: s?.computedAt };
    };

    /**
     * A full rescoring held after its read of every record until `meanwhile` is done (a write and
     * its refresh), then let go to write what it computed.
     */
    const rescoreAround = async (
      meanwhile: () => Promise<unknown>,
      policy: ScoringPolicy = p.scoringPolicy,
    ) => {
      const store = p.store as { scanRecordsForScoring: Store['scanRecordsForScoring'] };
      const scan = store.scanRecordsForScoring;
      let reached!: () => void;
      let release!: () => void;
      const atRead = new Promise<void>((ok) => {
        reached = ok;
      });
      const released = new Promise<void>((ok) => {
        release = ok;
      });
      store.scanRecordsForScoring = async (size, onChunk) => {
        await scan.call(p.store, size, onChunk);
        reached();
        await released;
      };
      try {
        const running = rescoreAllSubjects({
          ctx: p.ctx(clerk, 'full rescoring'),
          deps: { policy, catalogue: p.catalogue },
          input: {},
        });
        await Promise.race([atRead, running]);
        await meanwhile();
        release();
        return await running;
      } finally {
        store.scanRecordsForScoring = scan;
      }
    };

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: { now: () => new Date(now) } }));
      const ctx = p.ctx(clerk, 'set up');
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'court', kind: 'court' } });
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'tax', kind: 'tax' } });
      // The registry binds the representative before the organization's act, so the act counts for him.
      await importSubjects({
        ctx,
        input: {
          lines: [
            {
              line: 1,
              value: {
                kind: 'organization',
                uscc: ORG,
                name: '某公司',
                legal_representative: { id_number: REP, name: '李娜' },
              },
            },
          ],
        },
      });
      now = '2026-03-01T10:00:00Z';
      await ingest('court', [lawsuit(LISTED, 'c-1'), lawsuit(QUIET, 'c-2'), lawsuit(REP, 'c-3')]);
    });
    afterAll(async () => cleanup?.());

    it('leaves the newer score of a subject listed while it computed, and counts it as skipped', async () => {
      const before = await scoreOf(LISTED);
      expect(before.grade).not.toMatch(/^D/);
      now = '2026-03-01T11:00:00Z';
      let refreshed: Awaited<ReturnType<typeof scoreOf>> | undefined;
      const summary = await rescoreAround(async () => {
        await ingest('court', [listing(LISTED, 'c-listing')]);
        refreshed = await scoreOf(LISTED);
      });
      expect(refreshed!.grade).toMatch(/^D/);
      const after = await scoreOf(LISTED);
      expect({ score: after.score, grade: after.grade }).toEqual({
        score: refreshed!.score,
        grade: refreshed!.grade,
      });
      expect(summary).toMatchObject({ skipped: 1, unsettled: 0 });
      const runs = await rawDb(p)
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'scores.compute')
        .orderBy('seq')
        .execute();
      expect(JSON.parse(runs.at(-1)!.detail!)).toMatchObject({ subjects: 4, skipped: 1, unsettled: 0 });
      // Nobody else was touched: the rescoring wrote them.
      expect((await scoreOf(QUIET)).computedAt).toBe('2026-03-01T11:00:00.000Z');
      expect(await isScoredUnder(p.ctx(clerk, 'check'), p.scoringPolicy)).toBe(true);
    });

    it("leaves a representative's newer score after his organization's act counted for him meanwhile", async () => {
      const before = await scoreOf(REP);
      now = '2026-03-01T12:00:00Z';
      let refreshed: Awaited<ReturnType<typeof scoreOf>> | undefined;
      const summary = await rescoreAround(async () => {
        await ingest('tax', [evasion]);
        refreshed = await scoreOf(REP);
      });
      expect(refreshed!.score).toBeLessThan(before.score!);
      const after = await scoreOf(REP);
      expect({ score: after.score, grade: after.grade }).toEqual({
        score: refreshed!.score,
        grade: refreshed!.grade,
      });
      // The organization and its representative, refreshed together.
      expect(summary).toMatchObject({ skipped: 2, unsettled: 0 });
      expect((await scoreOf(QUIET)).computedAt).toBe('2026-03-01T12:00:00.000Z');
    });

    it('writes every subject when nothing changed meanwhile, under a new policy version too', async () => {
      const text = (await readFile(DEFAULT_SCORING_POLICY_PATH, 'utf8')).replace(
        'multiplier: 2',
        'multiplier: 3',
      );
      const next = parseScoringPolicy(text, p.catalogue, 'changed policy', p.lists);
      expect(next.version).not.toBe(p.scoringPolicy.version);
      now = '2026-03-01T13:00:00Z';
      const summary = await rescoreAround(async () => {}, next);
      expect(summary).toMatchObject({ subjects: 4, skipped: 0, unsettled: 0 });
      expect(Object.values(summary.grades).reduce((a, n) => a + n, 0)).toBe(4);
      // The current policy's scores from the records now, whatever an earlier run left.
      const everyone = await Promise.all([LISTED, QUIET, REP, ORG].map(idOf));
      await p.refreshSubjects(p.ctx(clerk, 'refresh'), everyone);
      for (const id of [LISTED, QUIET, REP, ORG]) {
        expect((await scoreOf(id, next)).computedAt).toBe('2026-03-01T13:00:00.000Z');
        // The same as the current policy's where the multiplier does not matter (one record of each type).
        expect((await scoreOf(id, next)).grade).toBe((await scoreOf(id)).grade);
      }
      expect(await isScoredUnder(p.ctx(clerk, 'check'), next)).toBe(true);
    });
  });
}
