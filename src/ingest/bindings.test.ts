/**
 * Who may bind whom: only a registration authority (a market regulator) or the registry import
 * sets an organization's representatives; bindings are kept with their days, and scoring links an
 * organization's act to the persons bound on the act's day. On both backends.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { checkService } from '../measures/index.ts';
import type { Platform } from '../platform/index.ts';
import { getScoreReport } from '../scoring/index.ts';
import { registerSource } from '../sources/index.ts';
import { importSubjects, ingestRecords, type LineOutcome, readNdjson } from './index.ts';

const operator = { id: 'operator:test', role: 'operator' as const };
let now = new Date('2026-01-10T10:00:00Z');
const clock = { now: () => now };

const ORG = '91110000600037341L';
const A = { id_number: '360426199101010071', name: '张伟' };
const B = { id_number: '11010519491231002X', name: '李娜' };
const C = { id_number: '440524188001010014', name: '王芳' };
const org = (extra: Record<string, unknown> = {}) => ({
  kind: 'organization',
  uscc: ORG,
  name: '某某公司',
  ...extra,
});

const ndjson = (objs: unknown[]) => Readable.from([objs.map((o) => JSON.stringify(o)).join('\n')]);

for (const b of testBackends()) {
  describe.skipIf(Boolean(b.skip))(suiteTitle('bindings', b), () => {
    let p: Platform;
    let cleanup: () => Promise<void>;
    const ingest = async (source: string, objs: unknown[], refresh = true) => {
      const outcomes: LineOutcome[] = [];
      const ctx = p.ctx(operator, 'test ingest');
      await ingestRecords({
        ctx,
        input: {
          source,
          lines: readNdjson(ndjson(objs)),
          catalogue: p.catalogue,
          onLine: (o) => outcomes.push(o),
          ...(refresh && {
            afterBatch: async (ids: number[]) => {
              await p.refreshSubjects(ctx, ids);
            },
          }),
        },
      });
      return outcomes;
    };
    const subject = async (identifier: string) => (await p.store.findSubjectByIdentifier(identifier))!;
    const bindings = async () =>
      (await p.store.listBindings({ organizationIds: [(await subject(ORG)).id] })).map((x) => ({
        role: x.role,
        person: x.personId,
        from: x.validFrom,
        until: x.validUntil,
      }));

    beforeAll(async () => {
      // Each backend's suite starts on the same day (the tests below move the clock on).
      now = new Date('2026-01-10T10:00:00Z');
      ({ platform: p, cleanup } = await b.open({ clock }));
      const ctx = p.ctx(operator, 'set up sources');
      for (const [code, kind] of [
        ['shop', 'ecommerce'],
        ['samr', 'market_regulator'],
        ['court', 'court'],
      ] as const)
        await registerSource({ ctx, catalogue: p.catalogue, input: { code, kind } });
      const r = await importSubjects({
        ctx: p.ctx(operator, 'registry import'),
        input: {
          lines: readNdjson(
            ndjson([{ kind: 'person', ...A }, org({ legal_representative: A, actual_controller: C })]),
          ),
        },
      });
      expect(r.rejected).toBe(0);
    });
    afterAll(async () => cleanup?.());

    it('keeps the registry’s first bindings as holding since before the platform knew', async () => {
      const a = await subject(A.id_number);
      const c = await subject(C.id_number);
      expect(await bindings()).toEqual([
        { role: 'legal_representative', person: a.id, from: null, until: null },
        { role: 'actual_controller', person: c.id, from: null, until: null },
      ]);
      expect((await subject(ORG)).legalRepId).toBe(a.id);
    });

    it('refuses a line from an e-commerce source naming another representative, and keeps one naming the current', async () => {
      now = new Date('2026-01-15T10:00:00Z');
      const out = await ingest('shop', [
        {
          source_record_id: 's-1',
          type: 'ecommerce.fraudulent_sale',
          subject: org({ legal_representative: B }),
          occurred_at: '2026-01-14',
        },
        {
          source_record_id: 's-2',
          type: 'ecommerce.fraudulent_sale',
          subject: org({ legal_representative: A }),
          occurred_at: '2026-01-14',
        },
        {
          source_record_id: 's-3',
          type: 'ecommerce.fraudulent_sale',
          subject: org({ actual_controller: B }),
          occurred_at: '2026-01-14',
        },
      ]);
      expect(out[0]).toMatchObject({ status: 'rejected', field: 'subject.legal_representative' });
      expect((out[0] as { reason: string }).reason).toMatch(/market_regulator/);
      expect(out[1]).toMatchObject({ status: 'stored' });
      expect(out[2]).toMatchObject({ status: 'rejected', field: 'subject.actual_controller' });
      expect(await p.store.findSubjectByIdentifier(B.id_number)).toBeUndefined();
      expect((await bindings()).every((x) => x.until === null)).toBe(true);
    });

    it('lets a market regulator change the representative, closing the former binding on that day', async () => {
      // A serious act of the organization while A represents it.
      const first = await ingest('samr', [
        {
          source_record_id: 'm-1',
          type: 'market.license_revoked',
          subject: org({ legal_representative: A }),
          occurred_at: '2026-01-12',
          evidence: '京市监罚〔2026〕1号',
        },
      ]);
      expect(first[0]).toMatchObject({ status: 'stored' });
      // 01:30 on 1 February in Beijing, still 31 January in UTC: the change is of the platform's day.
      now = new Date('2026-01-31T17:30:00Z');
      const out = await ingest('samr', [
        // A duplicate line changes nothing, whoever it names.
        {
          source_record_id: 'm-1',
          type: 'market.license_revoked',
          subject: org({ legal_representative: C }),
          occurred_at: '2026-01-12',
          evidence: '京市监罚〔2026〕1号',
        },
        {
          source_record_id: 'm-2',
          type: 'market.administrative_warning',
          subject: org({ legal_representative: B }),
          occurred_at: '2026-01-30',
        },
      ]);
      expect(out.map((o) => o.status)).toEqual(['duplicate', 'stored']);
      const a = await subject(A.id_number);
      const bb = await subject(B.id_number);
      const c = await subject(C.id_number);
      expect(await bindings()).toEqual([
        { role: 'legal_representative', person: a.id, from: null, until: '2026-02-01' },
        { role: 'actual_controller', person: c.id, from: null, until: null },
        { role: 'legal_representative', person: bb.id, from: '2026-02-01', until: null },
      ]);
      expect((await subject(ORG)).legalRepId).toBe(bb.id);
      // On the trails of the organization and of both persons.
      for (const id of [(await subject(ORG)).id, a.id, bb.id]) {
        const trail = await p.store.listAuditForSubject(id, 100);
        expect(trail.some((e) => e.action === 'subject.binding')).toBe(true);
      }
    });

    it('links an act to the person bound on its day, and a report as of a past day shows the former representative', async () => {
      // A serious act of a type the catalogue applies to persons too, while A represented it.
      const sham = await ingest('court', [
        {
          source_record_id: 'c-1',
          type: 'court.sham_litigation',
          subject: org(),
          occurred_at: '2026-01-15',
          evidence: '(2026)京0105民初1号',
        },
      ]);
      expect(sham[0]).toMatchObject({ status: 'stored' });
      const deps = { policy: p.scoringPolicy, catalogue: p.catalogue };
      const ctx = p.ctx(operator, 'review the file');
      const asA = await getScoreReport({ ctx, deps, input: { identifier: A.id_number, asOf: '2026-02-01' } });
      const asB = await getScoreReport({ ctx, deps, input: { identifier: B.id_number, asOf: '2026-02-01' } });
      expect(asA.breakdown.some((x) => x.type === 'court.sham_litigation')).toBe(true);
      expect(asB.breakdown.some((x) => x.type === 'court.sham_litigation')).toBe(false);
      // An organization's sanction (a type for organizations only) counts for the representative of
      // its day, not for the one after (REFERENCE: organization sanctions count for the representative).
      expect(asA.breakdown.some((x) => x.type === 'market.license_revoked')).toBe(true);
      expect(asB.breakdown.some((x) => x.type === 'market.license_revoked')).toBe(false);
      const before = await getScoreReport({ ctx, deps, input: { identifier: ORG, asOf: '2026-01-20' } });
      const after = await getScoreReport({ ctx, deps, input: { identifier: ORG, asOf: '2026-02-01' } });
      const rep = (r: typeof before) => r.bindings.find((x) => x.role === 'legal_representative')?.identifier;
      expect(rep(before)).toBe(A.id_number);
      expect(rep(after)).toBe(B.id_number);
    });

    it('replaces the set of principal responsible persons as a regulator names it', async () => {
      now = new Date('2026-02-10T09:00:00Z');
      const named = (persons: unknown[], id: string) =>
        ingest('samr', [
          {
            source_record_id: id,
            type: 'market.administrative_warning',
            subject: org({ principal_responsible_persons: persons }),
            occurred_at: '2026-02-09',
          },
        ]);
      expect((await named([A, C], 'm-3'))[0]).toMatchObject({ status: 'stored' });
      now = new Date('2026-02-20T09:00:00Z');
      expect((await named([C], 'm-4'))[0]).toMatchObject({ status: 'stored' });
      const a = await subject(A.id_number);
      const c = await subject(C.id_number);
      const principal = (await bindings()).filter((x) => x.role === 'principal_responsible_person');
      expect(principal).toEqual([
        { role: 'principal_responsible_person', person: a.id, from: null, until: '2026-02-20' },
        { role: 'principal_responsible_person', person: c.id, from: null, until: null },
      ]);
    });

    it("binds today's persons by an organization's listing, in each role a measure names, and follows a change at once", async () => {
      now = new Date('2026-03-10T09:00:00Z');
      const listed = await ingest('court', [
        {
          source_record_id: 'd-1',
          type: 'court.judgment_defaulter',
          subject: org(),
          occurred_at: '2026-02-01',
          decided_at: '2026-02-15',
          amount: 100_000,
          evidence: '(2026)京0105执1号',
        },
      ]);
      expect(listed[0]).toMatchObject({ status: 'stored' });
      const service = checkService(p.store, p.measures, p.lists);
      const actor = { actor: 'rp:air', role: 'relying_party', purpose: 'ticket_sale', requestId: null };
      const ask = async (day: string) => {
        const ids = await Promise.all([A, B, C].map(async (x) => (await subject(x.id_number)).id));
        return service.check(
          [A, B, C].map((x) => x.id_number),
          day,
          actor,
          `${day}T09:00:00.000Z`,
          (index) => ({
            value: ids.map((id) => index.check(id, 'restrict.air_travel')!),
            rows: [],
          }),
        );
      };
      const [a, bb, c] = await ask('2026-03-10');
      // A was the legal representative until 2026-02-01 and a principal responsible person until 2026-02-20.
      expect(a).toMatchObject({ applies: false });
      expect(bb).toMatchObject({
        applies: true,
        reason_code: 'BINDS_LEGAL_REPRESENTATIVE',
        list: 'black.court_defaulters',
      });
      expect(c).toMatchObject({ applies: true, reason_code: 'BINDS_PRINCIPAL_RESPONSIBLE_PERSON' });

      // The regulator names A again: the next check binds A and no longer B, even before any
      // score or list is recomputed (the change itself is on the checks' change feed).
      now = new Date('2026-03-10T11:00:00Z');
      const back = await ingest(
        'samr',
        [
          {
            source_record_id: 'm-5',
            type: 'market.administrative_warning',
            subject: org({ legal_representative: A }),
            occurred_at: '2026-03-09',
          },
        ],
        false,
      );
      expect(back[0]).toMatchObject({ status: 'stored' });
      const [a2, b2] = await ask('2026-03-10');
      expect(a2).toMatchObject({ applies: true, reason_code: 'BINDS_LEGAL_REPRESENTATIVE' });
      expect(b2).toMatchObject({ applies: false });
    });

    it('refuses to bind a minor, even from a market regulator', async () => {
      const minor = { id_number: '110105201001010010', name: '小明' };
      const out = await ingest('samr', [
        {
          source_record_id: 'm-minor',
          type: 'market.administrative_warning',
          subject: org({ actual_controller: minor }),
          occurred_at: '2026-03-09',
        },
      ]);
      expect(out[0]).toMatchObject({ status: 'rejected', field: 'subject.actual_controller.id_number' });
      expect(await p.store.findSubjectByIdentifier(minor.id_number)).toBeUndefined();
    });

    it('lets only the licensing source kinds attach a professional licence', async () => {
      const doctor = { kind: 'person', ...A, licences: [{ kind: 'doctor', number: 'D-110105-000001' }] };
      const out = await ingest('court', [
        {
          source_record_id: 'c-1',
          type: 'court.contract_lawsuit_lost',
          subject: doctor,
          occurred_at: '2026-01-05',
          evidence: '(2026)京0105民初1号',
        },
      ]);
      expect(out[0]).toMatchObject({ status: 'rejected', field: 'subject.licences.0.kind' });
      expect(await p.store.listLicences((await subject(A.id_number)).id)).toEqual([]);
    });
  });
}
