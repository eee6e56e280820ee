/**
 * A score as of a past day is computed under the scoring policy in force that day and labelled
 * with its version (product rule 5), after the policy has changed; today's under today's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { fixedClock, type Principal } from '../context.ts';
import type { Platform } from '../platform/index.ts';
import { DEFAULT_SCORING_POLICY_PATH, getScoreReport } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const PERSON = '360426199101010071';
const folder = mkdtempSync(join(tmpdir(), 'credence-scoring-'));
const stricter = join(folder, 'scoring.yaml');
const shipped = readFileSync(DEFAULT_SCORING_POLICY_PATH, 'utf8');
writeFileSync(stricter, shipped.replace('\n  A: 960\n', '\n  A: 1001\n'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('a past score under the policy in force then', b), () => {
    it('keeps the grade and the version of that day after the thresholds change', async () => {
      expect(shipped).toContain('\n  A: 960\n');
      const { platform: p, cleanup, another } = await b.open({ clock: fixedClock('2026-02-01T10:00:00Z') });
      let q: Platform | undefined;
      try {
        await p.store.registerSubjects(
          [{ kind: 'person', identifier: PERSON, name: '王芳' }],
          '2026-02-01T10:00:00Z',
          {
            actor: operator.id,
            role: operator.role,
            purpose: 'set up',
            requestId: null,
          },
        );
        const report = (on: Platform, asOf?: string) =>
          getScoreReport({
            ctx: on.ctx(operator, 'read a score'),
            deps: { policy: on.scoringPolicy, catalogue: on.catalogue },
            input: { identifier: PERSON, ...(asOf ? { asOf } : {}) },
          });
        const then = await report(p);
        expect([then.score, then.grade, then.policyVersion]).toEqual([1000, 'A', p.scoringPolicy.version]);

        // From 1 March the platform runs with A from 1001.
        q = await another({ clock: fixedClock('2026-03-01T10:00:00Z'), scoringPolicyFile: stricter });
        expect(q.scoringPolicy.version).not.toBe(p.scoringPolicy.version);
        const past = await report(q, '2026-02-01');
        expect([past.score, past.grade, past.policyVersion]).toEqual([1000, 'A', p.scoringPolicy.version]);
        const today = await report(q);
        expect([today.score, today.grade, today.policyVersion]).toEqual([1000, 'B', q.scoringPolicy.version]);
      } finally {
        await q?.close();
        await cleanup();
      }
    });
  });
}
