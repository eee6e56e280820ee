/** Scoring through the store, on every backend: incremental equals full, as-of, permissions. */

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import {
  DEFAULT_SCORING_POLICY_PATH,
  getScoreReport,
  isScoredUnder,
  parseScoringPolicy,
  rescoreAllSubjects,
  rescoreSubjects,
} from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const DRIVER = '360426199101010071';
const REP = '11010519491231002X';
const ORG = '91110000600037341L';
const CLEAN = '440524188001010014';

const person = (id_number: string, name = '张伟') => ({ kind: 'person', id_number, name });
const rec = (id: string, type: string, subject: object, occurred_at: string, extra: object = {}) => ({
  source_record_id: id,
  type,
  subject,
  occurred_at,
  ...extra,
});

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('scoring through the store', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const deps = () => ({ policy: p.scoringPolicy, catalogue: p.catalogue });
    const report = (identifier: string, asOf?: string, principal: Principal = operator) =>
      getScoreReport({
        ctx: p.ctx(principal, 'test'),
        deps: deps(),
        input: { identifier, ...(asOf ? { asOf } : {}) },
      });

    beforeAll(async () => {
      // The registry names the representative in 2025, before the organization's act: an act
      // counts only for a person bound on its day, and a first binding holds from its recording.
      let now = '2025-08-01T10:00:00Z';
      ({ platform: p, cleanup } = await b.open({ clock: { now: () => new Date(now) } }));
      const ctx = p.ctx(operator, 'set up');
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'police-a', kind: 'police' } });
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'tax-a', kind: 'tax' } });
      const ingest = (source: string, lines: object[]) =>
        ingestRecords({
          ctx,
          input: {
            source,
            catalogue: p.catalogue,
            lines: lines.map((value, i) => ({ line: i + 1, value })),
            batchSize: 2,
            afterBatch: async (subjectIds) => {
              await rescoreSubjects({ ctx, input: { subjectIds }, deps: deps() });
            },
          },
        });
      // The registry binds the organization's legal representative; sources only name the one on file.
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
      await ingest('police-a', [
        rec('p1', 'police.drunk_driving', person(DRIVER), '2025-06-01', { decided_at: '2025-06-10' }),
        rec('p2', 'traffic.warning', person(CLEAN, '王芳'), '2025-12-01'),
      ]);
      await ingest('tax-a', [
        rec(
          't1',
          'tax.serious_evasion',
          {
            kind: 'organization',
            uscc: ORG,
            name: '某公司',
            legal_representative: { id_number: REP, name: '李娜' },
          },
          '2025-09-01',
          { amount: 5_000_000, evidence: '京税稽罚〔2025〕7号' },
        ),
        rec('t2', 'tax.arrears', { kind: 'organization', uscc: ORG, name: '某公司' }, '2025-10-01', {
          amount: 1000,
        }),
      ]);
    });
    afterAll(async () => cleanup?.());

    it('explains a score: drunk driving sets grade B, the breakdown adds up, the read is audited', async () => {
      const r = await report(DRIVER);
      expect(r.grade).toBe('B');
      expect(r.keyFactors[0]).toMatchObject({ type: 'police.drunk_driving', date: '2025-06-01' });
      expect(r.score).toBe(1000 + r.breakdown.reduce((s, c) => s + c.points, 0));
      const s = await p.store.findSubjectByIdentifier(DRIVER);
      expect((await p.store.listAuditForSubject(s!.id, 5)).map((a) => a.action)).toContain('score.read');
    });

    it("counts an organization's serious record for its legal representative", async () => {
      const rep = await report(REP);
      expect(rep.breakdown.map((c) => c.type)).toContain('tax.serious_evasion');
      expect(rep.breakdown.map((c) => c.type)).not.toContain('tax.arrears');
      expect(rep.score).toBeLessThan(1000);
    });

    it('reproduces a past result: as of a date before the records, nothing counts', async () => {
      const then = await report(DRIVER, '2025-05-01');
      expect(then).toMatchObject({ score: 1000, grade: 'A', keyFactors: [] });
      await expect(report(DRIVER, '2027-01-01')).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(report(DRIVER, '2025-02-30')).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('incremental rescoring after each batch equals full rescoring', async () => {
      const ids = await Promise.all(
        [DRIVER, REP, ORG, CLEAN].map(async (i) => (await p.store.findSubjectByIdentifier(i))!.id),
      );
      const incremental = await Promise.all(
        ids.map(async (id) => (await p.store.listScores(id, p.scoringPolicy.version))[0]!),
      );
      const summary = await rescoreAllSubjects({ ctx: p.ctx(operator, 'full'), deps: deps(), input: {} });
      expect(summary.subjects).toBe(4);
      const full = await Promise.all(
        ids.map(async (id) => (await p.store.listScores(id, p.scoringPolicy.version))[0]!),
      );
      expect(full.map((r) => [r.score, r.grade, JSON.parse(r.domains)])).toEqual(
        incremental.map((r) => [r.score, r.grade, JSON.parse(r.domains)]),
      );
      expect(full.map((r) => r.grade)).toEqual(['B', expect.any(String), expect.any(String), 'A']);
    });

    it('a new policy version is due for rescoring, and rescoring under it keeps the old results', async () => {
      const ctx = p.ctx(operator, 'policy change');
      await rescoreAllSubjects({ ctx, deps: deps(), input: {} });
      expect(await isScoredUnder(ctx, p.scoringPolicy)).toBe(true);
      const text = (await readFile(DEFAULT_SCORING_POLICY_PATH, 'utf8')).replace(
        'multiplier: 2',
        'multiplier: 3',
      );
      const next = parseScoringPolicy(text, p.catalogue, 'changed policy', p.lists);
      expect(next.version).not.toBe(p.scoringPolicy.version);
      expect(await isScoredUnder(ctx, next)).toBe(false);
      await rescoreAllSubjects({ ctx, deps: { policy: next, catalogue: p.catalogue }, input: {} });
      const id = (await p.store.findSubjectByIdentifier(DRIVER))!.id;
      const versions = new Set((await p.store.listScores(id)).map((r) => r.policyVersion));
      expect(versions).toEqual(new Set([p.scoringPolicy.version, next.version]));
    });

    it('lets a subject read its own score only, and a relying party none', async () => {
      const me = { id: `subject:${DRIVER}`, role: 'subject' as const, ref: DRIVER };
      expect((await report(DRIVER, undefined, me)).grade).toBe('B');
      await expect(report(CLEAN, undefined, me)).rejects.toMatchObject({ code: 'forbidden' });
      const rp = { id: 'relying_party:rail', role: 'relying_party' as const, ref: 'rail' };
      await expect(report(DRIVER, undefined, rp)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(
        rescoreAllSubjects({ ctx: p.ctx(rp, 'x'), deps: deps(), input: {} }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    });
  });
}
