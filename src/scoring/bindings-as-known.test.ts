/**
 * A report as of a past day reads the bindings as they were on file then (product rule 5), on every
 * backend. On 2026-03-02 the market regulator names 李娜 the legal representative of a company the
 * tax bureau finds guilty of serious evasion the same day: her report that day carries it. On
 * 2026-03-20 her objection removes the binding; asked on 2026-04-01, her report as of 2026-03-02
 * still says what it said then, and as of 2026-03-21 the company no longer counts. A binding whose
 * days are corrected later is read with its old days; one recorded later does not link yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Clock, Principal } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import { decideObjection, fileBindingObjection, objectionDeps } from '../objections/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import { getScoreReport } from './index.ts';

const operator: Principal = { id: 'operator:reviewer', role: 'operator' };
const citizen = (id: string): Principal => ({ id: `subject:${id}`, role: 'subject', ref: id });

const LI = makeResidentId('110105', '1980-01-01', 4); // bound on 03-02, removed on 03-20
const ZHOU = makeResidentId('110105', '1981-02-02', 5); // bound on 03-02, first day corrected on 03-10
const QIAN = makeResidentId('110105', '1982-03-03', 6); // bound on 03-02, removed on 03-10
const WU = makeResidentId('110105', '1983-04-04', 7); // bound on 03-05, first day moved back on 03-11
const ONE = makeUscc('9', '1', '110105', '42000001');
const TWO = makeUscc('9', '1', '110105', '42000002');
const THREE = makeUscc('9', '1', '110105', '42000003');

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('bindings as known at a past instant', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let now = new Date('2026-03-02T02:00:00.000Z');
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const at = (day: string) => (now = new Date(`${day}T02:00:00.000Z`));
    const subjectOf = async (id: string) => (await p.store.findSubjectByIdentifier(id))!;
    const report = (identifier: string, asOf?: string) =>
      getScoreReport({
        ctx: p.ctx(operator, 'review'),
        input: { identifier, ...(asOf ? { asOf } : {}) },
        deps: { policy: p.scoringPolicy, catalogue: p.catalogue },
      });
    const taxRecord = async (uscc: string) =>
      (await p.store.listRecordsForSubject((await subjectOf(uscc)).id)).find(
        (r) => r.type === 'tax.serious_evasion',
      )!.id;
    const feed = (source: string, lines: object[]) =>
      ingestRecords({
        ctx: p.ctx(operator, `${source} feed`),
        input: {
          source,
          catalogue: p.catalogue,
          lines: lines.map((value, i) => ({ line: i + 1, value })),
          afterBatch: async (ids) => {
            await p.refreshSubjects(p.ctx(operator, 'refresh'), ids);
          },
        },
      });
    const evasion = (id: string, uscc: string, occurred: string) => ({
      source_record_id: id,
      type: 'tax.serious_evasion',
      subject: { kind: 'organization', uscc, name: `公司${id}` },
      occurred_at: occurred,
      decided_at: occurred,
      amount: 2_000_000,
      evidence: `京税稽罚〔2026〕${id}号`,
    });
    const named = (id: string, uscc: string, rep: string, occurred: string) => ({
      source_record_id: id,
      type: 'market.administrative_warning',
      subject: {
        kind: 'organization',
        uscc,
        name: `公司${id}`,
        legal_representative: { id_number: rep, name: '李娜' },
      },
      occurred_at: occurred,
    });
    const bindingId = async (person: string) =>
      (await p.store.listBindings({ personIds: [(await subjectOf(person)).id] }))[0]!.id;
    /** The person objects to its binding and the operator decides at once. */
    const objectAndDecide = async (person: string, outcome: string, extra = {}) => {
      const deps = objectionDeps(p);
      const filed = await fileBindingObjection({
        ctx: p.ctx(citizen(person), 'object to a binding'),
        input: { bindingId: await bindingId(person), reason: 'the registration file says otherwise' },
        deps,
      });
      await decideObjection({
        ctx: p.ctx(operator, 'decide an objection'),
        input: {
          id: filed.id,
          outcome,
          reasons: 'checked against the registration file',
          ...extra,
        } as Parameters<typeof decideObjection>[0]['input'],
        deps,
      });
    };
    /** What the platform said on 2026-03-02 about 李娜 and 周强, as of that day. */
    const saidThen = new Map<string, Awaited<ReturnType<typeof report>>>();

    beforeAll(async () => {
      ({ platform: p, cleanup } = await b.open({ clock }));
      const ctx = p.ctx(operator, 'set up');
      for (const [code, kind] of [
        ['samr-k', 'market_regulator'],
        ['tax-k', 'tax'],
      ] as const)
        await registerSource({ ctx, catalogue: p.catalogue, input: { code, kind } });
      // 2026-03-02: 李娜 named for ONE by the market regulator; 周强 and 钱敏 by the registry import;
      // the tax bureau finds evasion by ONE and TWO that day.
      expect((await feed('samr-k', [named('w1', ONE, LI, '2026-03-01')])).accepted).toBe(1);
      const imported = await importSubjects({
        ctx: p.ctx(operator, 'registry import'),
        input: {
          lines: [
            [TWO, ZHOU],
            [THREE, QIAN],
          ].map(([uscc, rep], i) => ({
            line: i + 1,
            value: {
              kind: 'organization',
              uscc,
              name: `公司${i + 2}`,
              legal_representative: { id_number: rep, name: '周强' },
            },
          })),
        },
      });
      expect(imported.rejected).toBe(0);
      expect(
        (await feed('tax-k', [evasion('t1', ONE, '2026-03-02'), evasion('t2', TWO, '2026-03-02')])).accepted,
      ).toBe(2);
      for (const person of [LI, ZHOU]) saidThen.set(person, await report(person, '2026-03-02'));
      // 2026-03-03: evasion by THREE, represented then by 钱敏.
      at('2026-03-03');
      expect((await feed('tax-k', [evasion('t3', THREE, '2026-03-03')])).accepted).toBe(1);
      // 2026-03-05: the market regulator names 吴昊 for THREE (钱敏's period ends).
      at('2026-03-05');
      expect((await feed('samr-k', [named('w3', THREE, WU, '2026-03-05')])).accepted).toBe(1);
      // 2026-03-10: 周强's first day is corrected to after the act; 钱敏's binding is removed.
      at('2026-03-10');
      await objectAndDecide(ZHOU, 'binding_corrected', { bindingCorrection: { validFrom: '2026-03-03' } });
      await objectAndDecide(QIAN, 'binding_removed');
      // 2026-03-11: 吴昊's first day is moved back to 2026-03-02, before the act of 2026-03-03.
      at('2026-03-11');
      await objectAndDecide(WU, 'binding_corrected', { bindingCorrection: { validFrom: '2026-03-02' } });
      // 2026-03-20: 李娜's binding is removed.
      at('2026-03-20');
      await objectAndDecide(LI, 'binding_removed');
      at('2026-04-01');
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('a report as of a day before a binding was removed says what it said that day', async () => {
      const then = saidThen.get(LI)!;
      const tax = await taxRecord(ONE);
      expect(then.keyFactors.map((k) => k.recordId)).toContain(tax);
      expect(then.grade).not.toBe('A');
      const later = await report(LI, '2026-03-02');
      expect({ score: later.score, grade: later.grade }).toEqual({ score: then.score, grade: then.grade });
      expect(later.keyFactors.map((k) => k.recordId)).toContain(tax);
      expect(later.bindings.map((x) => x.identifier)).toEqual([ONE]);
      // After the removal, the company no longer counts for her.
      const after = await report(LI, '2026-03-21');
      expect(after.keyFactors.map((k) => k.recordId)).not.toContain(tax);
      expect({ score: after.score, grade: after.grade }).toEqual({ score: 1000, grade: 'A' });
      expect(after.bindings).toEqual([]);
      // A removed binding read as known before its removal (钱敏's, removed on 03-10) links as it did.
      expect((await report(QIAN, '2026-03-04')).keyFactors.map((k) => k.recordId)).toContain(
        await taxRecord(THREE),
      );
      expect((await report(QIAN)).keyFactors).toEqual([]);
      // Its period, closed by the line naming 吴昊 on 03-05, was open as known on 03-04.
      const qian = { personIds: [(await subjectOf(QIAN)).id] };
      expect(await p.store.listBindings({ ...qian, knownAt: '2026-03-04T15:59:59.999Z' })).toEqual([
        expect.objectContaining({ validUntil: null, withdrawnAt: null }),
      ]);
      expect(await p.store.listBindings({ ...qian, knownAt: '2026-03-06T15:59:59.999Z' })).toEqual([
        expect.objectContaining({ validUntil: '2026-03-05', withdrawnAt: null }),
      ]);
      expect(await p.store.listBindings({ ...qian, knownAt: '2026-03-31T15:59:59.999Z' })).toEqual([]);
    });

    it('a binding whose days were corrected later is read with its old days', async () => {
      const then = saidThen.get(ZHOU)!;
      const tax = await taxRecord(TWO);
      expect(then.keyFactors.map((k) => k.recordId)).toContain(tax);
      const later = await report(ZHOU, '2026-03-02');
      expect({ score: later.score, grade: later.grade }).toEqual({ score: then.score, grade: then.grade });
      expect(later.keyFactors.map((k) => k.recordId)).toContain(tax);
      // Today, and as of a day after the correction, the act before its new first day does not count.
      expect((await report(ZHOU)).keyFactors.map((k) => k.recordId)).not.toContain(tax);
      expect((await report(ZHOU, '2026-03-11')).keyFactors.map((k) => k.recordId)).not.toContain(tax);
    });

    it('a binding recorded after the instant does not link as of it, even with days moved back since', async () => {
      const tax = await taxRecord(THREE);
      // Today 吴昊's binding (recorded 03-05, from 03-02 since 03-11) covers the act of 03-03.
      expect((await report(WU)).keyFactors.map((k) => k.recordId)).toContain(tax);
      expect((await report(WU, '2026-03-12')).keyFactors.map((k) => k.recordId)).toContain(tax);
      // As of 03-04 nothing named him yet.
      const asOf = await report(WU, '2026-03-04');
      expect({ score: asOf.score, grade: asOf.grade, factors: asOf.keyFactors }).toEqual({
        score: 1000,
        grade: 'A',
        factors: [],
      });
      expect(asOf.bindings).toEqual([]);
      const id = (await subjectOf(WU)).id;
      expect(await p.store.listBindings({ personIds: [id], knownAt: '2026-03-04T15:59:59.999Z' })).toEqual(
        [],
      );
      // As of 03-06 it was on file, with the first day it had then (03-05): the act does not count.
      expect((await report(WU, '2026-03-06')).keyFactors.map((k) => k.recordId)).not.toContain(tax);
      expect((await report(WU, '2026-03-06')).bindings).toEqual([
        expect.objectContaining({ identifier: THREE, from: '2026-03-05' }),
      ]);
    });
  });
}
