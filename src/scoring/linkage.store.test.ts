/**
 * Linkage through the store, on every backend: the first binding on file (stored with no first
 * day) reaches an organization's acts only from the day it was recorded, and never an act of a
 * day before the person was 18.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Principal } from '../context.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import { getScoreReport, rescoreAllSubjects } from './index.ts';

const operator: Principal = { id: 'operator:test', role: 'operator' };
const ORG = '91110000600037341L';
// Born 2008-01-01 (GB 11643-1999 check digit 4).
const YOUNG = { id_number: '110105200801010014', name: '王芳' };

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('linkage through the store', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let now = '2025-03-05T02:00:00Z';
    const deps = () => ({ policy: p.scoringPolicy, catalogue: p.catalogue });

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock: { now: () => new Date(now) } }));
      const ctx = p.ctx(operator, 'set up');
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'tax-a', kind: 'tax' } });
      // The organization's serious act of 2025-03-01, on file with no representative named.
      const out = await ingestRecords({
        ctx,
        input: {
          source: 'tax-a',
          catalogue: p.catalogue,
          lines: [
            {
              line: 1,
              value: {
                source_record_id: 't1',
                type: 'tax.serious_evasion',
                subject: { kind: 'organization', uscc: ORG, name: '某公司' },
                occurred_at: '2025-03-01',
                amount: 5_000_000,
                evidence: '京税稽罚〔2025〕3号',
              },
            },
          ],
        },
      });
      expect(out.accepted).toBe(1);
      // On 2026-06-10 the registry import names, for the first time, a representative born 2008.
      now = '2026-06-10T02:00:00Z';
      const imported = await importSubjects({
        ctx: p.ctx(operator, 'registry import'),
        input: {
          lines: [
            { line: 1, value: { kind: 'person', ...YOUNG } },
            {
              line: 2,
              value: { kind: 'organization', uscc: ORG, name: '某公司', legal_representative: YOUNG },
            },
          ],
        },
      });
      expect(imported.rejected).toBe(0);
    });
    afterAll(async () => cleanup?.());

    it('does not count an act from before the binding on a person named later', async () => {
      const org = (await p.store.findSubjectByIdentifier(ORG))!;
      const bindings = await p.store.listBindings({ organizationIds: [org.id] });
      expect(bindings.map((x) => x.validFrom)).toEqual([null]);
      const ctx = p.ctx(operator, 'review the file');
      const r = await getScoreReport({ ctx, deps: deps(), input: { identifier: YOUNG.id_number } });
      expect(r).toMatchObject({ score: 1000, grade: 'A', keyFactors: [] });
      // The full rescoring links the same way.
      await rescoreAllSubjects({ ctx, deps: deps(), input: {} });
      const young = (await p.store.findSubjectByIdentifier(YOUNG.id_number))!;
      expect((await p.store.listScores(young.id, p.scoringPolicy.version))[0]).toMatchObject({
        score: 1000,
        grade: 'A',
      });
    });
  });
}
