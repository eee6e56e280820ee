/**
 * One suite, every backend, real databases (CONVENTIONS.md §4). The PostgreSQL run uses the server
 * the test set-up started; where its binaries are missing the suite says so in its title.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshTestDatabase, testPostgresSkipReason } from '../../test/pg-server.ts';
import { insertCourtSource } from '../../test/store-fixtures.ts';
import { auditLeafHash, recordContentLine, subjectContentLineOf } from '../shared/audit-leaf.ts';
import { openStore, type RecordWrite, type Store } from './index.ts';

const AT = '2026-01-15T08:00:00.000Z';
const actor = { actor: 'source:court-a', role: 'source', purpose: 'ingest', requestId: 'req-1' };
/** Binding rights, as a registration authority's write has them. */
const BIND = { mayBind: true, whoMay: 'a registration authority' };
const audit = (action: string) => ({ ...actor, subjectId: null, action, detail: null });

const person = (identifier: string, name = '张伟') => ({
  kind: 'person' as const,
  identifier,
  name,
  birthDate: '1991-01-01',
  sex: 'male' as const,
});
const rec = (
  sourceRecordId: string,
  subject: RecordWrite['subject'],
  type = 'court.contract_lawsuit_lost',
): RecordWrite => ({
  sourceRecordId,
  type,
  subject,
  occurredAt: '2025-06-01',
  decidedAt: '2025-06-10',
  disclosedAt: null,
  amount: 1200.5,
  evidence: 'case (2025) 01 No. 7',
  note: null,
});

const P1 = '360426199101010071';
const P2 = '11010519491231002X';
const ORG = '91110000600037341L';

const pgSkip = testPostgresSkipReason();
const backends: {
  name: string;
  skip?: string;
  open: () => Promise<{ store: Store; cleanup: () => void }>;
}[] = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'credence-store-'));
      const store = await openStore({ backend: 'sqlite', file: join(dir, 'test.db') });
      return { store, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    skip: pgSkip,
    open: async () => ({
      store: await openStore({ backend: 'postgres', url: await freshTestDatabase() }),
      cleanup: () => {},
    }),
  },
];

for (const b of backends) {
  describe.skipIf(Boolean(b.skip))(`store on ${b.name}${b.skip ? ` (skipped: ${b.skip})` : ''}`, () => {
    let store: Store;
    let cleanup = () => {};
    let sourceId = 0;

    beforeAll(async () => {
      ({ store, cleanup } = await b.open());
      sourceId = await insertCourtSource(store, AT, actor);
    });
    afterAll(async () => {
      await store?.close();
      cleanup();
    });

    it('migrates idempotently', async () => {
      await store.migrate();
      expect(await store.getMeta('schema_created')).toBe('foundation');
    });

    it('registers sources and refuses a second one with the same code as a conflict', async () => {
      const found = await store.findSourceByCode('court-a');
      expect(found?.types).toEqual(['court.contract_lawsuit_lost']);
      expect((await store.findSourceByCredentialHash('h1'))?.code).toBe('court-a');
      await expect(
        store.insertSource(
          { code: 'court-a', kind: 'court', name: 'x', legalBasis: 'y', types: [], credentialHash: 'h2' },
          AT,
          audit('source.create'),
        ),
      ).rejects.toMatchObject({ code: 'conflict' });
    });

    it('stores a batch, creating subjects, and reports re-sent records as duplicates', async () => {
      const batch = [
        rec('r1', person(P1)),
        rec('r2', person(P1)),
        rec('r1', person(P1)),
        rec('r3', person(P2, '李娜')),
      ];
      const out = await store.writeRecordBatch(sourceId, batch, AT, actor);
      expect(out.map((o) => o.status)).toEqual(['stored', 'stored', 'duplicate', 'stored']);
      const again = await store.writeRecordBatch(sourceId, batch, AT, actor);
      expect(again.every((o) => o.status === 'duplicate')).toBe(true);
      const s1 = await store.findSubjectByIdentifier(P1);
      expect(s1).toMatchObject({ kind: 'person', name: '张伟', birthDate: '1991-01-01' });
      const records = await store.listRecordsForSubject(s1!.id);
      expect(records.map((r) => r.sourceRecordId)).toEqual(['r1', 'r2']);
      expect(records[0]).toMatchObject({
        amount: 1200.5,
        sourceCode: 'court-a',
        status: 'active',
        recordedAt: AT,
      });
      const trail = await store.listAuditForSubject(s1!.id, 10);
      expect(trail.map((t) => t.action)).toEqual(['records.create', 'subjects.create']);
      expect(trail[0]).toMatchObject({ actor: 'source:court-a', purpose: 'ingest', subjectId: s1!.id });
      expect(trail[0]!.leafHash).toMatch(/^[0-9a-f]{64}$/);
      // The batch entry commits to the content of every record it stored.
      const s2 = await store.findSubjectByIdentifier(P2);
      const all = [...records, ...(await store.listRecordsForSubject(s2!.id))].sort((a, b) => a.id - b.id);
      const digest = createHash('sha256');
      for (const r of all) digest.update(recordContentLine(r));
      expect(JSON.parse(trail[0]!.detail!)).toEqual({
        source_id: sourceId,
        records: 3,
        first_id: all[0]!.id,
        last_id: all[2]!.id,
        sha256: digest.digest('hex'),
      });
    });

    it('links an organization to its legal representative and keeps licences', async () => {
      const org = {
        kind: 'organization' as const,
        identifier: ORG,
        name: '北京某某科技有限公司',
        legalRepresentative: {
          identifier: '440524188001010014',
          name: '王芳',
          birthDate: '1880-01-01',
          sex: 'male' as const,
        },
      };
      const doc = {
        ...person('11010519491231002X', '李娜'),
        licences: [{ kind: 'doctor', number: 'D-110-0001' }],
      };
      const out = await store.writeRecordBatch(sourceId, [rec('o1', org), rec('d1', doc)], AT, actor, BIND);
      expect(out.map((o) => o.status)).toEqual(['stored', 'stored']);
      const o = await store.findSubjectByIdentifier(ORG);
      const rep = await store.findSubjectById(o!.legalRepId!);
      expect(rep).toMatchObject({ identifier: '440524188001010014', kind: 'person' });
      const lic = await store.listLicences((await store.findSubjectByIdentifier('11010519491231002X'))!.id);
      expect(lic).toEqual([expect.objectContaining({ kind: 'doctor', number: 'D-110-0001' })]);
    });

    it('audits the subjects a batch creates with one entry that commits to their content', async () => {
      const before = await store.countAudit();
      // 123 new subjects named twice each, and one already known (P1).
      const ids = Array.from({ length: 123 }, (_, i) => `1101051990010${String(i).padStart(4, '0')}X`);
      const batch = [...ids, ...ids].map((id, i) => rec(`c-${i}`, person(id, `名${i % 123}`)));
      batch.push(rec('c-known', person(P1)));
      const out = await store.writeRecordBatch(sourceId, batch, AT, actor);
      expect(out.every((o) => o.status === 'stored')).toBe(true);
      // One entry for the subjects, one for the records: not one per subject.
      expect((await store.countAudit()) - before).toBe(2);

      const subjects = await store.listSubjectsByIdentifiers(ids);
      subjects.sort((a, b) => a.id - b.id);
      const trail = await store.listAuditForSubject(subjects[7]!.id, 10);
      expect(trail.map((t) => t.action)).toEqual(['records.create', 'subjects.create']);
      const created = trail[1]!;
      expect(created).toMatchObject({ actor: actor.actor, purpose: 'ingest', subjectId: subjects[7]!.id });
      const digest = createHash('sha256');
      for (const s of subjects)
        digest.update(subjectContentLineOf(s.id, s.kind, s.identifier, s.name, s.birthDate, s.sex));
      expect(JSON.parse(created.detail!)).toEqual({
        subjects: 123,
        first_id: subjects[0]!.id,
        last_id: subjects[122]!.id,
        sha256: digest.digest('hex'),
      });
      // Each entry's leaf hash is recomputed from the log alone.
      for (const e of trail) {
        const a = { actor: e.actor, role: e.role, purpose: e.purpose, requestId: e.requestId };
        const subjectId =
          e.action === 'subjects.create' || e.action === 'records.create' ? null : e.subjectId;
        expect(auditLeafHash(a, e.at, subjectId, e.action, e.detail).toString('hex')).toBe(e.leafHash);
      }
      // A known subject's trail does not gain this batch's creation entry.
      const known = await store.findSubjectByIdentifier(P1);
      const knownTrail = await store.listAuditForSubject(known!.id, 10);
      expect(knownTrail.filter((t) => t.action === 'subjects.create')).toHaveLength(1);

      // The same batch again creates and audits nothing.
      const again = await store.writeRecordBatch(sourceId, batch, AT, actor);
      expect(again.every((o) => o.status === 'duplicate')).toBe(true);
      expect((await store.countAudit()) - before).toBe(2);
    });

    it('forgets the subjects of a batch that failed, so the next batch creates them again', async () => {
      const id = '110105199001019992';
      // No such source: the batch fails as a whole, after creating its subject.
      await expect(store.writeRecordBatch(987_654, [rec('f-1', person(id))], AT, actor)).rejects.toThrow();
      expect(await store.findSubjectByIdentifier(id)).toBeUndefined();
      const out = await store.writeRecordBatch(sourceId, [rec('f-1', person(id))], AT, actor);
      expect(out[0]).toMatchObject({ status: 'stored' });
      const s = await store.findSubjectByIdentifier(id);
      expect(out[0]).toMatchObject({ subjectId: s!.id });
    });

    it("audits a change of an organization's legal representative", async () => {
      const org = (rep: string) => ({
        kind: 'organization' as const,
        identifier: '91350100M000100Y43',
        name: '福州某某贸易有限公司',
        legalRepresentative: {
          identifier: rep,
          name: '陈静',
          birthDate: '1975-03-03',
          sex: 'female' as const,
        },
      });
      await store.writeRecordBatch(sourceId, [rec('lr-1', org('350102197503030024'))], AT, actor, BIND);
      await store.writeRecordBatch(sourceId, [rec('lr-2', org('350102197604040028'))], AT, actor, BIND);
      const o = await store.findSubjectByIdentifier('91350100M000100Y43');
      const rep = await store.findSubjectById(o!.legalRepId!);
      const former = await store.findSubjectByIdentifier('350102197503030024');
      expect(rep!.identifier).toBe('350102197604040028');
      const trail = await store.listAuditForSubject(o!.id, 10);
      expect(trail.map((t) => t.action)).toEqual([
        'records.create',
        'subject.binding',
        'records.create',
        'subject.binding',
        'subjects.create',
      ]);
      expect(JSON.parse(trail[1]!.detail!)).toEqual({
        role: 'legal_representative',
        bound: [rep!.id],
        unbound: [former!.id],
        from: AT.slice(0, 10),
      });
      // Without binding rights a line naming another person is refused and changes nothing.
      const refused = await store.writeRecordBatch(
        sourceId,
        [rec('lr-3', org('350102197503030024'))],
        AT,
        actor,
      );
      expect(refused[0]).toMatchObject({ status: 'rejected', field: 'subject.legal_representative' });
      expect((await store.findSubjectByIdentifier('91350100M000100Y43'))!.legalRepId).toBe(rep!.id);
    });

    it('rejects a record naming a known identifier with another subject kind, storing the rest', async () => {
      const wrong = { kind: 'public_body' as const, identifier: P1, name: 'x' };
      const out = await store.writeRecordBatch(
        sourceId,
        [rec('k1', wrong), rec('k2', person(P1))],
        AT,
        actor,
      );
      expect(out[0]).toMatchObject({ status: 'rejected', field: 'subject.kind' });
      expect(out[1]!.status).toBe('stored');
    });

    it('registers subjects from a registry without records, once', async () => {
      const org = {
        kind: 'public_body' as const,
        identifier: '11100000000013127D',
        name: '某市人民政府办公室',
        legalRepresentative: {
          identifier: '110101198001010010',
          name: '赵强',
          birthDate: '1980-01-01',
          sex: 'male' as const,
        },
      };
      const first = await store.registerSubjects([org, person('110101199001010015', '孙丽'), org], AT, actor);
      expect(first.map((o) => o.status)).toEqual(['created', 'created', 'existing']);
      const again = await store.registerSubjects([org, { ...org, kind: 'organization' as const }], AT, actor);
      expect(again[0]!.status).toBe('existing');
      expect(again[1]).toMatchObject({ status: 'rejected', field: 'subject.kind' });
      const body = await store.findSubjectByIdentifier('11100000000013127D');
      expect((await store.findSubjectById(body!.legalRepId!))?.name).toBe('赵强');
    });

    it('applies a batch all or nothing', async () => {
      const before = {
        records: await store.countRecords(),
        subjects: await store.countSubjects(),
        audit: await store.countAudit(),
      };
      // An unknown source id violates a foreign key in the middle of the batch.
      await expect(
        store.writeRecordBatch(999_999, [rec('z1', person('360426199101010071'))], AT, actor),
      ).rejects.toThrow();
      expect(await store.countRecords()).toBe(before.records);
      expect(await store.countSubjects()).toEqual(before.subjects);
      expect(await store.countAudit()).toBe(before.audit);
    });

    it('feeds the scoring engine: records in id order by chunk, subjects by filter', async () => {
      const chunks: number[][] = [];
      await store.scanRecordsForScoring(2, (rows) => {
        chunks.push(rows.map((r) => r.id));
      });
      const ids = chunks.flat();
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids).toHaveLength(await store.countRecords());
      expect(chunks.every((c) => c.length <= 2)).toBe(true);
      const s1 = await store.findSubjectByIdentifier(P1);
      const mine = await store.listRecordsForScoring([s1!.id]);
      expect(mine.every((r) => r.subjectId === s1!.id && r.status === 'active')).toBe(true);
      expect(mine.length).toBeGreaterThanOrEqual(2);
      const org = await store.findSubjectByIdentifier(ORG);
      const represented = await store.listSubjectsForScoring({ legalRepIds: [org!.legalRepId!] });
      expect(represented.map((s) => s.id)).toEqual([org!.id]);
      const all = await store.listSubjectsForScoring();
      expect(all.length).toBe(Object.values(await store.countSubjects()).reduce((a, b) => a + b, 0));
    });

    it('keeps scores per subject, policy version and as-of date, replacing a recomputation', async () => {
      const s1 = await store.findSubjectByIdentifier(P1);
      const row = (asOf: string, score: number) => ({
        subjectId: s1!.id,
        policyVersion: 'p1',
        asOf,
        score,
        grade: 'A',
        domains: '{}',
        keyFactors: '[]',
        computedAt: AT,
      });
      await store.saveScores([row('2026-01-01', 990), row('2026-02-01', 1000)]);
      await store.saveScores([row('2026-02-01', 950), { ...row('2026-02-01', 1010), policyVersion: 'p2' }]);
      expect((await store.listScores(s1!.id, 'p1')).map((r) => [r.asOf, r.score])).toEqual([
        ['2026-02-01', 950],
        ['2026-01-01', 990],
      ]);
      expect(await store.listScores(s1!.id)).toHaveLength(3);
    });

    it('keeps relying parties with their granted measures, purposes and quota, once per code', async () => {
      const rp = await store.insertRelyingParty(
        {
          code: 'rail-a',
          kind: 'railway',
          name: 'Rail A',
          legalBasis: 'memorandum 2016',
          measures: ['restrict.high_speed_rail'],
          purposes: ['refund', 'ticket_sale'],
          dailyQuota: 3,
        },
        AT,
        audit('relying_party.register'),
      );
      expect(await store.findRelyingPartyByCode('rail-a')).toEqual(rp);
      expect(await store.findRelyingPartyByCode('nobody')).toBeUndefined();
      await expect(
        store.insertRelyingParty(
          {
            code: 'rail-a',
            kind: 'railway',
            name: 'x',
            legalBasis: 'y',
            measures: [],
            purposes: [],
            dailyQuota: 1,
          },
          AT,
          audit('x'),
        ),
      ).rejects.toMatchObject({ code: 'conflict' });
      const changed = await store.setRelyingPartyPurposes(
        'rail-a',
        ['ticket_sale'],
        AT,
        audit('relying_party.purposes'),
      );
      expect(changed).toEqual({ ...rp, purposes: ['ticket_sale'] });
      expect((await store.listRelyingParties()).find((r) => r.code === 'rail-a')).toEqual(changed);
      expect(await store.setRelyingPartyPurposes('nobody', ['x'], AT, audit('x'))).toBeUndefined();
    });

    it("counts a day's checks per actor from the tail of the check log", async () => {
      const rail = {
        actor: 'relying_party:rail-a',
        role: 'relying_party',
        purpose: 'ticket_sale',
        requestId: null,
      };
      const air = { ...rail, actor: 'relying_party:air-a', purpose: 'boarding' };
      const rows = (n: number, from: number) =>
        Array.from({ length: n }, (_, i) => ({
          checkId: `00000000-0000-4000-9000-${String(from + i).padStart(12, '0')}`,
          subjectId: null,
          subject: P1,
          measure: 'restrict.high_speed_rail',
          applies: false,
          reasonCode: 'NOT_APPLICABLE',
        }));
      await store.checkTurn(0, 1, () => [{ actor: rail, at: '2026-01-14T23:59:59.000Z', rows: rows(5, 0) }]);
      await store.checkTurn(0, 1, () => [
        { actor: rail, at: '2026-01-15T00:00:00.000Z', rows: rows(2, 10) },
        { actor: air, at: '2026-01-15T00:00:00.000Z', rows: rows(1, 20) },
      ]);
      await store.checkTurn(0, 1, () => [
        { actor: rail, at: '2026-01-15T09:00:00.000Z', rows: rows(1000, 100) },
      ]);
      const counts = await store.countChecksSince('2026-01-15T00:00:00.000Z');
      expect(counts.get('relying_party:rail-a')).toBe(1002);
      expect(counts.get('relying_party:air-a')).toBe(1);
      expect((await store.countChecksSince('2026-01-16T00:00:00.000Z')).size).toBe(0);
    });

    it('replaces list entries per subject and notifies once per event through the outbox', async () => {
      const s1 = (await store.findSubjectByIdentifier(P1))!.id;
      const s2 = (await store.findSubjectByIdentifier(P2))!.id;
      const entry = (subjectId: number, status: 'pending' | 'active' | 'ended') => ({
        subjectId,
        listCode: 'black.court_defaulters',
        status,
        from: '2026-01-01',
        until: '2028-01-01',
        reasonCode: 'LISTED',
        reasonRecords: [1, 2],
        note: 'listed',
        entry: '{}',
        policyVersion: 'v1',
        computedAt: AT,
      });
      await store.replaceListEntries([s1, s2], [entry(s1, 'pending'), entry(s2, 'active')]);
      await store.replaceListEntries([s1], [entry(s1, 'active')]);
      expect((await store.listListEntries([s1, s2])).map((e) => [e.subjectId, e.status])).toEqual([
        [s1, 'active'],
        [s2, 'active'],
      ]);
      const n = {
        subjectId: s1,
        kind: 'list.took_effect',
        listCode: 'black.court_defaulters',
        effective: '2026-01-11',
        message: 'm',
      };
      expect(await store.addNotifications([n], AT)).toHaveLength(1);
      expect(await store.addNotifications([n], AT)).toHaveLength(0);
      expect(await store.listNotifications(s1)).toEqual([
        expect.objectContaining({ kind: 'list.took_effect', readAt: null }),
      ]);
      expect(await store.countOutboxByState()).toEqual({
        queued: 1,
        sent: 0,
        failed: 0,
        dead: 0,
        superseded: 0,
      });

      // Many at once (past one statement's worth), one of them twice and one already stored: each
      // new one once, in the order asked, with its outbox row carrying it.
      const many = Array.from({ length: 1200 }, (_, i) => ({
        ...n,
        subjectId: i % 2 === 0 ? s1 : s2,
        effective: `2027-${String(1 + (i % 12)).padStart(2, '0')}-01`,
        kind: `list.notice_${Math.floor(i / 12)}`,
        message: `m${i}`,
      }));
      const added = await store.addNotifications(
        [many[7]!, n, ...many, { ...many[7]!, message: 'again' }],
        AT,
      );
      expect(added.map((a) => a.message)).toEqual([
        'm7',
        ...many.filter((_, i) => i !== 7).map((m) => m.message),
      ]);
      expect(new Set(added.map((a) => a.id)).size).toBe(1200);
      expect(await store.countOutboxByState()).toEqual({
        queued: 1201,
        sent: 0,
        failed: 0,
        dead: 0,
        superseded: 0,
      });
      const claimed = await store.claimDueOutbox(2000, '2100-01-01T00:00:00Z', '2100-01-01T00:01:00Z');
      const byId = new Map(added.map((a) => [a.id, a]));
      for (const o of claimed.filter((c) => byId.has(c.notificationId))) {
        const a = byId.get(o.notificationId)!;
        expect(JSON.parse(o.payload)).toEqual({
          subjectId: a.subjectId,
          kind: a.kind,
          listCode: a.listCode,
          effective: a.effective,
          message: a.message,
          id: a.id,
        });
      }
      expect(claimed.filter((c) => byId.has(c.notificationId))).toHaveLength(1200);
    });

    it('keeps policies by content version', async () => {
      const doc = { version: 'abc', kind: 'catalogue', label: '2026.1', content: 'items: []' };
      expect(await store.savePolicy(doc, AT)).toBe(true);
      expect(await store.savePolicy(doc, AT)).toBe(false);
      expect(await store.findPolicy('catalogue', 'abc')).toEqual(doc);
    });

    it('stores API tokens by hash only', async () => {
      const t = await store.insertToken(
        {
          tokenHash: 'th',
          role: 'operator',
          principal: 'operator:demo',
          ref: null,
          label: 'demo',
          scope: ['*'],
          expiresAt: '2026-04-15T08:00:00.000Z',
        },
        AT,
        audit('token.create'),
      );
      expect(await store.findTokenByHash('th')).toEqual(t);
      expect(await store.findTokenByHash('nope')).toBeUndefined();
      expect((await store.listTokens()).map((x) => x.id)).toContain(t.id);

      const before = await store.countAudit();
      const later = '2026-01-16T08:00:00.000Z';
      const revoked = await store.revokeToken(t.id, later, audit('token.revoke'));
      expect(revoked).toEqual({ ...t, revokedAt: later });
      expect(await store.findTokenByHash('th')).toEqual(revoked);
      // A second revocation keeps the first and writes nothing.
      expect(await store.revokeToken(t.id, '2026-02-01T00:00:00.000Z', audit('token.revoke'))).toEqual(
        revoked,
      );
      expect(await store.countAudit()).toBe(before + 1);
      expect(await store.revokeToken(987654, later, audit('token.revoke'))).toBeUndefined();
      // A revoked token is not renewed.
      expect(await store.renewToken(t.id, '2027-01-01T00:00:00.000Z', later, audit('token.renew'))).toEqual(
        revoked,
      );
    });

    it('counts every change to credentials in the epoch, and makes principals unique from the id', async () => {
      const epoch = store.credentialsEpoch;
      // PostgreSQL counts notifications once its listener is connected; SQLite reads the store.
      const read = async () => {
        for (let i = 0; i < 200 && epoch.call(store) === undefined; i++)
          await new Promise((r) => setTimeout(r, 10));
        return epoch.call(store)!;
      };
      const t = await store.insertToken(
        {
          tokenHash: 'th-epoch',
          role: 'operator',
          principal: (id) => `operator:desk#${id}`,
          ref: null,
          label: 'desk',
          scope: [],
          expiresAt: '2026-04-15T08:00:00.000Z',
        },
        AT,
        audit('token.issue'),
      );
      expect(t.principal).toBe(`operator:desk#${t.id}`);
      expect((await store.findTokenByHash('th-epoch'))?.principal).toBe(t.principal);
      const e0 = await read();
      const renewed = await store.renewToken(t.id, '2026-07-01T00:00:00.000Z', AT, audit('token.renew'));
      expect(renewed?.expiresAt).toBe('2026-07-01T00:00:00.000Z');
      const rotated = await store.rotateSourceCredential('court-a', 'h-rotated', AT, audit('source.rotate'));
      expect(rotated?.code).toBe('court-a');
      expect(await store.findSourceByCredentialHash('h1')).toBeUndefined();
      expect((await store.findSourceByCredentialHash('h-rotated'))?.code).toBe('court-a');
      const revoked = await store.revokeSourceCredential('court-a', AT, audit('source.revoke'));
      expect(revoked?.revokedAt).toBe(AT);
      expect(await store.revokeSourceCredential('nope', AT, audit('source.revoke'))).toBeUndefined();
      expect(await store.rotateSourceCredential('nope', 'x', AT, audit('source.rotate'))).toBeUndefined();
      await vi.waitFor(async () => expect(await read()).toBeGreaterThanOrEqual(e0 + 3), { timeout: 2000 });
      // Rotation makes a revoked source live again.
      expect(
        (await store.rotateSourceCredential('court-a', 'h-again', AT, audit('source.rotate')))?.revokedAt,
      ).toBe(null);
    });
  });
}
