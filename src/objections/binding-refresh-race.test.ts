/**
 * A refresh computed before a person's binding was removed on objection is not written over the
 * refresh that followed the decision, on both backends: the person cleared of an organization's
 * acts does not keep its penalty (a refresh's guard covers the person's bindings as well as the
 * records it read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { refreshGate } from '../../test/refresh-gate.ts';
import type { Clock, Principal } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { ingestRecords } from '../ingest/index.ts';
import { checkMeasure } from '../measures/index.ts';
import { decideObjection, fileBindingObjection, objectionDeps } from '../objections/index.ts';
import type { Platform } from '../platform/index.ts';
import { getOwnFile, ownFileDeps } from '../rights/index.ts';
import { registerSource } from '../sources/index.ts';

const operator: Principal = { id: 'operator:reviewer', role: 'operator' };
const clerk: Principal = { id: 'operator:feeds', role: 'operator' };
const citizen = (id: string): Principal => ({ id: `subject:${id}`, role: 'subject', ref: id });
const WANG = makeResidentId('360426', '1975-03-03', 31);
const ACME = makeUscc('9', '1', '110105', '41000001');

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('a refresh beside a binding decision', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-01-05T02:00:00.000Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const feed = (source: string, lines: object[]) =>
      ingestRecords({
        ctx: p.ctx(clerk, 'feed'),
        input: {
          source,
          catalogue: p.catalogue,
          lines: lines.map((value, i) => ({ line: i + 1, value })),
          afterBatch: async (ids) => {
            await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids);
          },
        },
      });
    const flies = async (id: string) =>
      (
        await checkMeasure({
          ctx: p.ctx({ id: 'operator:airline', role: 'operator' }, 'ticket_sale'),
          measures: p.measures,
          lists: p.lists,
          input: { measure: 'restrict.air_travel', subjects: [id] },
        })
      )[0]!.applies;
    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock }));
      const ctx = p.ctx(clerk, 'set up');
      await registerSource({
        ctx,
        catalogue: p.catalogue,
        input: { code: 'samr-b', kind: 'market_regulator' },
      });
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'court-b', kind: 'court' } });
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'tax-b', kind: 'tax' } });
      await feed('samr-b', [
        {
          source_record_id: 'w-1',
          type: 'market.administrative_warning',
          subject: {
            kind: 'organization',
            uscc: ACME,
            name: '公司1',
            legal_representative: { id_number: WANG, name: '王磊' },
          },
          occurred_at: '2026-01-02',
        },
      ]);
      now = new Date('2026-02-25T02:00:00.000Z');
      await feed('court-b', [
        {
          source_record_id: 'acme-1',
          type: 'court.judgment_defaulter',
          subject: { kind: 'organization', uscc: ACME, name: '公司1' },
          occurred_at: '2026-02-01',
          decided_at: '2026-02-01',
          amount: 900000,
          evidence: '(2026)京0105执301号',
        },
      ]);
      await feed('tax-b', [
        {
          source_record_id: 'acme-t',
          type: 'tax.serious_evasion',
          subject: { kind: 'organization', uscc: ACME, name: '公司1' },
          occurred_at: '2026-02-01',
          amount: 5_000_000,
          evidence: '京税稽罚〔2026〕1号',
        },
      ]);
      now = new Date('2026-03-02T02:00:00.000Z');
      const wang = (await p.store.findSubjectByIdentifier(WANG))!;
      await p.refreshSubjects(p.ctx(clerk, 'r'), [wang.id]);
    }, 120_000);
    afterAll(() => cleanup());

    it('an older refresh does not undo a binding removed meanwhile', async () => {
      expect(await flies(WANG)).toBe(true);
      const hold = refreshGate(p);
      const wang = (await p.store.findSubjectByIdentifier(WANG))!;
      const f = await getOwnFile({ ctx: p.ctx(citizen(WANG), 'read'), input: {}, deps: ownFileDeps(p) });
      const binding = f.bindings.find((x) => x.identifier === ACME)!;
      const filed = await fileBindingObjection({
        ctx: p.ctx(citizen(WANG), 'object'),
        input: { bindingId: binding.id, reason: 'I have never held any post at this company' },
        deps: objectionDeps(p),
      });
      const gate = hold();
      const old = p.refreshSubjects(p.ctx(clerk, 'an ingest refresh of WANG'), [wang.id]);
      await gate.atRead;
      await decideObjection({
        ctx: p.ctx(operator, 'decide'),
        input: { id: filed.id, outcome: 'binding_removed', reasons: 'checked' },
        deps: objectionDeps(p),
      });
      const afterDecision = (await p.store.listLatestScores([wang.id], p.scoringPolicy.version))[0];
      gate.release();
      await old;
      const final = (await p.store.listLatestScores([wang.id], p.scoringPolicy.version))[0];
      expect(final).toEqual(afterDecision);
      expect(await flies(WANG)).toBe(false);
    });
  });
}
