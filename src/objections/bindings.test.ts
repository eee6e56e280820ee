/**
 * A person's objection to a binding that names it (product rule 6), on every backend. 王磊 was
 * wrongly recorded by the market regulator as the legal representative of a company the court then
 * listed as a judgment defaulter: he is barred from flights and his score carries the company's
 * listing. He objects; the operator removes the binding; his next check and his score no longer
 * reflect the company. 赵敏's binding to another company was recorded from too early a day: the
 * operator corrects its days, and linkage follows them. Another's binding is a 404, a second
 * objection a 409, and both trails show every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import type { Clock, Principal } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import { checkMeasure } from '../measures/index.ts';
import type { Platform } from '../platform/index.ts';
import { getOwnFile, ownFileDeps } from '../rights/index.ts';
import { registerSource } from '../sources/index.ts';
import {
  appealObjection,
  decideObjection,
  fileBindingObjection,
  listObjections,
  objectionDeps,
  objectionJson,
} from './index.ts';

const operator: Principal = { id: 'operator:reviewer', role: 'operator' };
const clerk: Principal = { id: 'operator:feeds', role: 'operator' };
const samr: Principal = { id: 'source:samr-b', role: 'source', ref: 'samr-b' };
const citizen = (id: string): Principal => ({ id: `subject:${id}`, role: 'subject', ref: id });

const WANG = makeResidentId('360426', '1975-03-03', 31); // wrongly bound: removed
const ZHAO = makeResidentId('360426', '1978-04-04', 41); // bound from too early: corrected
const SUN = makeResidentId('360426', '1979-05-05', 51); // bound while disputed not binding
const ACME = makeUscc('9', '1', '110105', '41000001');
const BETA = makeUscc('9', '1', '110105', '41000002');
const GAMMA = makeUscc('9', '1', '110105', '41000003');
const LI = makeResidentId('360426', '1980-06-06', 61); // removed by another process, then named again
const DELTA = makeUscc('9', '1', '110105', '41000004');

const movingClock = () => {
  let now = new Date('2026-01-05T02:00:00.000Z');
  const clock: Clock = { now: () => new Date(now.getTime()) };
  return { clock, set: (day: string) => (now = new Date(`${day}T02:00:00.000Z`)) };
};

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('objections to bindings', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    let another: (opts?: { clock?: Clock }) => Promise<Platform>;
    const time = movingClock();
    const deps = () => objectionDeps(p);
    const subjectOf = async (id: string) => (await p.store.findSubjectByIdentifier(id))!;
    /** The person's stored score, and the days of the acts that count in it (its key factors). */
    const score = async (id: string) => {
      const s = (await p.store.listScores((await subjectOf(id)).id))[0]!;
      const factors = JSON.parse(s.keyFactors) as { record_id: number }[];
      const day = new Map<number, string>();
      for (const org of [ACME, BETA, GAMMA])
        for (const r of await p.store.listRecordsForSubject((await subjectOf(org)).id))
          day.set(r.id, r.occurredAt);
      return { score: s.score, grade: s.grade, days: factors.map((k) => day.get(k.record_id)).sort() };
    };
    const flies = async (id: string) =>
      (
        await checkMeasure({
          ctx: p.ctx({ id: 'operator:airline-desk', role: 'operator' }, 'ticket_sale'),
          measures: p.measures,
          lists: p.lists,
          input: { measure: 'restrict.air_travel', subjects: [id] },
        })
      )[0]!;
    const ownFile = (id: string) =>
      getOwnFile({ ctx: p.ctx(citizen(id), 'read my file'), input: {}, deps: ownFileDeps(p) });
    const bindingOf = async (person: string, org: string) => {
      const f = await ownFile(person);
      return f.bindings.find((x) => x.identifier === org)!;
    };
    const object = (person: string, bindingId: number, d = deps()) =>
      fileBindingObjection({
        ctx: p.ctx(citizen(person), 'object to a binding'),
        input: {
          bindingId,
          reason: 'I have never held any post at this company; my ID card was stolen in 2025',
        },
        deps: d,
      });
    const decide = (
      id: number,
      outcome: Parameters<typeof decideObjection>[0]['input']['outcome'],
      extra = {},
    ) =>
      decideObjection({
        ctx: p.ctx(operator, 'decide an objection'),
        input: { id, outcome, reasons: 'checked against the registration file', ...extra },
        deps: deps(),
      });
    const trail = async (id: string) =>
      (await p.store.listAuditForSubject((await subjectOf(id)).id, 200)).map((a) => a.action);
    /** The operator's registry import: each organization with its legal representative. */
    const registryImport = (orgs: { uscc: string; name: string; rep: string; repName: string }[]) =>
      importSubjects({
        ctx: p.ctx(clerk, 'registry import'),
        input: {
          lines: orgs.map((o, i) => ({
            line: i + 1,
            value: {
              kind: 'organization',
              uscc: o.uscc,
              name: o.name,
              legal_representative: { id_number: o.rep, name: o.repName },
            },
          })),
        },
      });
    const court = (lines: object[]) =>
      ingestRecords({
        ctx: p.ctx(clerk, 'court feed'),
        input: {
          source: 'court-b',
          catalogue: p.catalogue,
          lines: lines.map((value, i) => ({ line: i + 1, value })),
          afterBatch: async (ids) => {
            await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids);
          },
        },
      });
    const tax = (lines: object[]) =>
      ingestRecords({
        ctx: p.ctx(clerk, 'tax feed'),
        input: {
          source: 'tax-b',
          catalogue: p.catalogue,
          lines: lines.map((value, i) => ({ line: i + 1, value })),
          afterBatch: async (ids) => {
            await p.refreshSubjects(p.ctx(clerk, 'refresh'), ids);
          },
        },
      });
    // A serious act of the company: linked to the person bound on its day (scoring policy linkage).
    const evasion = (id: string, uscc: string, occurred: string, n: number) => ({
      source_record_id: id,
      type: 'tax.serious_evasion',
      subject: { kind: 'organization', uscc, name: `公司${n}` },
      occurred_at: occurred,
      amount: 5_000_000,
      evidence: `京税稽罚〔2026〕${n}号`,
    });
    // The court's listing: binds the legal representative in checks (measures' `binds`).
    const defaulter = (id: string, uscc: string, occurred: string, n: number) => ({
      source_record_id: id,
      type: 'court.judgment_defaulter',
      subject: { kind: 'organization', uscc, name: `公司${n}` },
      occurred_at: occurred,
      decided_at: occurred,
      amount: 900000,
      evidence: `(2026)京0105执${300 + n}号`,
    });

    beforeAll(async () => {
      ({ platform: p, cleanup, another } = await b.open({ clock: time.clock }));
      const ctx = p.ctx(clerk, 'set up');
      await registerSource({
        ctx,
        catalogue: p.catalogue,
        input: { code: 'samr-b', kind: 'market_regulator' },
      });
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'court-b', kind: 'court' } });
      await registerSource({ ctx, catalogue: p.catalogue, input: { code: 'tax-b', kind: 'tax' } });
      // 2026-01-05: the market regulator records 王磊 as ACME's legal representative (wrongly),
      // and the registry import names 赵敏 for BETA and 孙丽 for GAMMA.
      const out = await ingestRecords({
        ctx: p.ctx(clerk, 'market regulator feed'),
        input: {
          source: 'samr-b',
          catalogue: p.catalogue,
          lines: [
            {
              line: 1,
              value: {
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
            },
          ],
        },
      });
      expect(out.accepted).toBe(1);
      const imported = await registryImport([
        { uscc: BETA, name: '公司2', rep: ZHAO, repName: '赵敏' },
        { uscc: GAMMA, name: '公司3', rep: SUN, repName: '孙丽' },
      ]);
      expect(imported.rejected).toBe(0);
      // The tax bureau finds serious evasion by ACME and GAMMA on 2026-02-01, by BETA on 2026-02-01
      // and again on 2026-02-20; the court lists each company as a judgment defaulter.
      time.set('2026-02-25');
      const evaded = await tax([
        evasion('acme-t', ACME, '2026-02-01', 1),
        evasion('beta-t1', BETA, '2026-02-01', 2),
        evasion('beta-t2', BETA, '2026-02-20', 3),
        evasion('gamma-t', GAMMA, '2026-02-01', 4),
      ]);
      expect(evaded.accepted).toBe(4);
      const listed = await court([
        defaulter('acme-1', ACME, '2026-02-01', 1),
        defaulter('beta-1', BETA, '2026-02-01', 2),
        defaulter('gamma-1', GAMMA, '2026-02-01', 4),
      ]);
      expect(listed.accepted).toBe(3);
      time.set('2026-03-02');
    }, 120_000);
    afterAll(async () => cleanup?.());

    it('a person wrongly bound as legal representative objects, the binding is removed, and his ban and score follow at once', async () => {
      // Before: the airline's check says no, through the binding; his score carries the listing.
      expect(await flies(WANG)).toMatchObject({ applies: true });
      expect((await score(WANG)).days).toEqual(['2026-02-01']);
      const binding = await bindingOf(WANG, ACME);
      expect(binding).toMatchObject({ role: 'legal_representative', disputed: false, objection_id: null });

      const filed = await object(WANG, binding.id);
      expect(filed).toMatchObject({
        kind: 'binding',
        status: 'pending',
        dueDay: '2026-03-22',
        countsWhilePending: true,
      });
      expect(filed.sourceNoticeDue).toBe('2026-03-09');
      // Disputed in his file at once; by the policy (bindings_while_disputed) it still binds meanwhile.
      expect(await bindingOf(WANG, ACME)).toMatchObject({ disputed: true, objection_id: filed.id });
      expect(await flies(WANG)).toMatchObject({ applies: true });
      const notes = (await p.store.listNotifications((await subjectOf(WANG)).id)).map((n) => n.message);
      expect(notes.join('\n')).toMatch(/objection #\d+ to your binding as legal representative of 公司1/);

      // The registration authority reads its queue: that is its notice, on both trails.
      const sourceQueue = await listObjections({
        ctx: p.ctx(samr, 'read objections'),
        input: {},
        deps: deps(),
      });
      expect(sourceQueue.objections.map((o) => o.id)).toEqual([filed.id]);
      const json = objectionJson(sourceQueue.objections[0]!, { typeName: (c) => c, internal: false });
      expect(json).toMatchObject({
        kind: 'binding',
        record: null,
        binding: {
          id: binding.id,
          role: 'legal_representative',
          organization: { identifier: ACME },
          source: 'samr-b',
        },
      });

      const decided = await decide(filed.id, 'binding_removed');
      expect(decided).toMatchObject({ status: 'decided', outcome: 'binding_removed' });
      expect(decided.binding!.withdrawnAt).not.toBeNull();
      // The next check already says yes, his score no longer counts the company's listing, and the
      // company has no legal representative in force.
      expect(await flies(WANG)).toMatchObject({ applies: false });
      expect(await score(WANG)).toEqual({ score: 1000, grade: 'A', days: [] });
      expect((await subjectOf(ACME)).legalRepId).toBeNull();
      expect((await ownFile(WANG)).bindings).toEqual([]);
      // Kept, never deleted: the objection's own look-up still finds it, withdrawn with the decision.
      const kept = await p.store.listBindings({
        organizationIds: [(await subjectOf(ACME)).id],
        withWithdrawn: true,
      });
      expect(kept).toEqual([
        expect.objectContaining({
          id: binding.id,
          disputedBy: null,
          withdrawnReason: expect.stringMatching(/registration file/),
        }),
      ]);

      // Both trails show each step.
      for (const who of [WANG, ACME]) {
        const actions = await trail(who);
        for (const a of [
          'objection.file',
          'objection.source_notified',
          'objection.decide',
          'subject.binding',
        ])
          expect(actions, `${who}: ${a}`).toContain(a);
      }
      // A withdrawn binding is nothing to object to.
      await expect(object(WANG, binding.id)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/was withdrawn on 2026-03-02/),
      });
    });

    it("another's binding, or one that does not exist, is the same 404; a second objection is a 409 naming the open one", async () => {
      const beta = await bindingOf(ZHAO, BETA);
      await expect(object(WANG, beta.id)).rejects.toMatchObject({
        code: 'not_found',
        message: `no binding ${beta.id} in your file`,
      });
      await expect(object(WANG, 999_999)).rejects.toMatchObject({
        code: 'not_found',
        message: 'no binding 999999 in your file',
      });
      await expect(
        fileBindingObjection({
          ctx: p.ctx(operator, 'object'),
          input: { bindingId: beta.id, reason: 'x' },
          deps: deps(),
        }),
      ).rejects.toMatchObject({ code: 'forbidden' });
      const first = await object(ZHAO, beta.id);
      await expect(object(ZHAO, beta.id)).rejects.toMatchObject({
        code: 'conflict',
        message: `binding ${beta.id} is already under your objection #${first.id}, to be decided by 2026-03-22`,
      });
      // A record outcome does not decide a binding, nor bad days correct it.
      await expect(decide(first.id, 'record_removed')).rejects.toMatchObject({ code: 'invalid_input' });
      for (const days of [
        { validUntil: '2026-04-01' },
        { validFrom: '2026-02-10', validUntil: '2026-02-10' },
        { validFrom: '2026-02-31' },
        { validFrom: '1990-01-01' },
      ])
        await expect(
          decide(first.id, 'binding_corrected', { bindingCorrection: days }),
        ).rejects.toMatchObject({
          code: 'invalid_input',
        });
      await expect(decide(first.id, 'binding_corrected')).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('corrected days move the linkage: an act before the new first day no longer counts, one after still does', async () => {
      const binding = await bindingOf(ZHAO, BETA);
      expect(binding.objection_id).not.toBeNull();
      expect((await score(ZHAO)).days).toEqual(['2026-02-01', '2026-02-20']);
      const decided = await decide(binding.objection_id!, 'binding_corrected', {
        bindingCorrection: { validFrom: '2026-02-15' },
      });
      expect(decided.binding).toMatchObject({ validFrom: '2026-02-15', validUntil: null, withdrawnAt: null });
      expect((await score(ZHAO)).days).toEqual(['2026-02-20']);
      // Still bound today, so the company's listing still binds her checks, and she is still its
      // legal representative.
      expect(await flies(ZHAO)).toMatchObject({ applies: true });
      expect((await subjectOf(BETA)).legalRepId).toBe((await subjectOf(ZHAO)).id);
      expect(await bindingOf(ZHAO, BETA)).toMatchObject({ from: '2026-02-15', until: null, disputed: false });

      // On appeal, the operator finds she left on 2026-02-18: the later act no longer counts, her
      // ban ends with the binding, and the company has no legal representative in force.
      await appealObjection({
        ctx: p.ctx(citizen(ZHAO), 'appeal'),
        input: {
          id: decided.id,
          reason: 'I resigned on 18 February; the minutes are attached to my objection',
        },
        deps: deps(),
      });
      const final = await decide(decided.id, 'binding_corrected', {
        bindingCorrection: { validUntil: '2026-02-18' },
      });
      expect(final).toMatchObject({ status: 'appeal_decided', appealOutcome: 'binding_corrected' });
      expect(await score(ZHAO)).toEqual({ score: 1000, grade: 'A', days: [] });
      expect(await flies(ZHAO)).toMatchObject({ applies: false });
      expect((await subjectOf(BETA)).legalRepId).toBeNull();
      for (const who of [ZHAO, BETA]) {
        const actions = await trail(who);
        for (const a of ['objection.file', 'objection.decide', 'objection.appeal', 'objection.appeal_decide'])
          expect(actions, `${who}: ${a}`).toContain(a);
        expect(actions.filter((a) => a === 'subject.binding').length).toBeGreaterThanOrEqual(2);
      }
    });

    it('where the policy says a disputed binding does not bind, it binds nobody while pending, and again once confirmed', async () => {
      expect(await flies(SUN)).toMatchObject({ applies: true });
      expect((await score(SUN)).days).toEqual(['2026-02-01']);
      const binding = await bindingOf(SUN, GAMMA);
      const d = deps();
      const filed = await object(SUN, binding.id, {
        ...d,
        policy: { ...d.policy, bindingsWhileDisputed: false },
      });
      expect(filed.countsWhilePending).toBe(false);
      // The registry import has no source to tell: the notice is marked at once.
      expect(filed.sourceNotifiedAt).not.toBeNull();
      expect(await flies(SUN)).toMatchObject({ applies: false });
      expect((await score(SUN)).days).toEqual([]);
      expect(await bindingOf(SUN, GAMMA)).toMatchObject({ disputed: true, objection_id: filed.id });
      await decide(filed.id, 'binding_confirmed');
      expect(await flies(SUN)).toMatchObject({ applies: true });
      expect((await score(SUN)).days).toEqual(['2026-02-01']);
      expect(await bindingOf(SUN, GAMMA)).toMatchObject({ disputed: false, objection_id: null });
    });

    it('a source cannot bind again whom an objection unbound, even when the CLI decided it beside this process; the registry import can', async () => {
      const samrLine = (id: string) =>
        ingestRecords({
          ctx: p.ctx(clerk, 'market regulator feed'),
          input: {
            source: 'samr-b',
            catalogue: p.catalogue,
            lines: [
              {
                line: 1,
                value: {
                  source_record_id: id,
                  type: 'market.administrative_warning',
                  subject: {
                    kind: 'organization',
                    uscc: DELTA,
                    name: '公司5',
                    legal_representative: { id_number: LI, name: '李娜' },
                  },
                  occurred_at: '2026-03-01',
                },
              },
            ],
          },
        });
      expect((await samrLine('d-1')).accepted).toBe(1);
      const binding = await bindingOf(LI, DELTA);
      const filed = await object(LI, binding.id);
      // The operator decides at the command line: another process on the same database.
      const cli = await another({ clock: time.clock });
      try {
        await decideObjection({
          ctx: cli.ctx(operator, 'decide an objection'),
          input: { id: filed.id, outcome: 'binding_removed', reasons: 'not in the registration file' },
          deps: objectionDeps(cli),
        });
      } finally {
        await cli.close();
      }
      expect((await subjectOf(DELTA)).legalRepId).toBeNull();
      expect((await ownFile(LI)).bindings).toEqual([]);
      // The regulator's feed sends its stale registration again: the line is judged against the
      // decision (not against the representative this process last wrote) and refused, so she is
      // not restricted again; nothing of the line is stored.
      const again = await samrLine('d-2');
      expect(again).toMatchObject({ accepted: 0, rejected: 1 });
      expect(
        (await p.store.listRecordsForSubject((await subjectOf(DELTA)).id)).map((r) => r.sourceRecordId),
      ).toEqual(['d-1']);
      expect((await ownFile(LI)).bindings).toEqual([]);
      expect(await flies(LI)).toMatchObject({ applies: false });
      // Once the registration file is confirmed, the operator's registry import binds her again.
      const imported = await registryImport([{ uscc: DELTA, name: '公司5', rep: LI, repName: '李娜' }]);
      expect(imported.rejected).toBe(0);
      expect((await subjectOf(DELTA)).legalRepId).toBe((await subjectOf(LI)).id);
      expect(await bindingOf(LI, DELTA)).toMatchObject({ role: 'legal_representative', disputed: false });
      // And a source's line naming her now is the binding in force: accepted.
      expect((await samrLine('d-3')).accepted).toBe(1);
    });
  });
}
