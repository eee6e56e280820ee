/**
 * The public lookup over HTTP, anonymous, on both backends: organizations and public bodies are
 * found by part of their Chinese name (one or two characters too), by Latin words in either case
 * and by code, best matches first; a person is never found, by name or by ID number, and a person's
 * page is the same 404 as an unknown code; an organization's page shows its list entries with their
 * basis and case, and opening it is audited; the lists page through their entries in force, with
 * persons only on the court list and only as the court publishes them; a renamed organization is
 * found under its new name; and SQLite and PostgreSQL give the same answers.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { issueToken } from '../access/index.ts';
import { fixedClock } from '../context.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import type { Platform } from '../platform/index.ts';
import { registerSource } from '../sources/index.ts';
import type { Database } from '../store/schema.ts';
import { buildApp } from './app.ts';
import { callerOf } from './test-app.ts';

const op = { id: 'operator:test', role: 'operator' } as const;
const uscc = (k: number) => makeUscc('9', '1', '440300', String(30_000_000 + k));
const HUAWEI = uscc(1);
const TERMINAL = uscc(2);
const LATIN = uscc(3);
const HENGXIN = uscc(4);
const BUREAU = makeUscc('1', '1', '510104', '40000001');
/** Organizations listed by the court, for paging. */
const LISTED = 23;
const listed = (k: number) => uscc(100 + k);
const DEFAULTER = makeResidentId('110105', '1980-05-17', 11);
const DEFAULTER2 = makeResidentId('110105', '1975-02-03', 13);
const TAX_EVADER = makeResidentId('310104', '1970-08-08', 15);
/** A person whose name a search for an organization would match if persons were searchable. */
const NAMESAKE = makeResidentId('440305', '1990-01-01', 17);

/** Decision days of the listed organizations: all before the persons' (2025-09-09), some shared. */
const day = (k: number) => `2025-0${1 + (k % 8)}-${String(1 + (k % 27)).padStart(2, '0')}`;

/** Every backend's answers to the same requests, compared once both have run. */
const answers = new Map<string, Map<string, unknown>>();

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('public lookup', backend), () => {
    let p: Platform;
    let app: FastifyInstance;
    let cleanup: () => Promise<void>;
    const call = callerOf(() => app);
    const anonymous = (url: string) => call('GET', url, undefined);
    const mine = new Map<string, unknown>();
    answers.set(backend.name, mine);
    const search = async (q: string, limit?: number) => {
      const r = await anonymous(
        `/v1/public/search?q=${encodeURIComponent(q)}${limit === undefined ? '' : `&limit=${limit}`}`,
      );
      expect(r.status, r.text).toBe(200);
      mine.set(`search ${q} ${limit ?? ''}`, r.body);
      return r.body.results as { identifier: string; name: string; kind: string; match: string }[];
    };

    beforeAll(async () => {
      const o = await backend.open({ clock: fixedClock('2026-03-01T09:00:00Z') });
      p = o.platform;
      cleanup = o.cleanup;
      app = await buildApp(p, { logger: false });
      const ctx = p.ctx(op, 'test');
      const lines = [
        { kind: 'organization', uscc: HUAWEI, name: '深圳市华为技术有限公司' },
        { kind: 'organization', uscc: TERMINAL, name: '华为终端有限公司' },
        { kind: 'organization', uscc: LATIN, name: 'Huawei Technologies Co., Ltd.' },
        { kind: 'organization', uscc: HENGXIN, name: '成都锦江恒信科技有限公司' },
        { kind: 'public_body', uscc: BUREAU, name: '成都市锦江区教育局' },
        ...Array.from({ length: LISTED }, (_, k) => ({
          kind: 'organization',
          uscc: listed(k),
          name: `北京市失信样本${String(k).padStart(2, '0')}贸易有限公司`,
        })),
        { kind: 'person', id_number: NAMESAKE, name: '华为' },
        { kind: 'person', id_number: DEFAULTER, name: '张三丰' },
      ];
      const imported = await importSubjects({
        ctx,
        input: { lines: lines.map((value, i) => ({ line: i + 1, value })) },
      });
      expect(imported.rejected).toBe(0);
      for (const [code, kind, name] of [
        ['court-dc', 'court', '北京市东城区人民法院'],
        ['tax-sh', 'tax', '国家税务总局上海市税务局'],
      ] as const)
        await registerSource({ ctx, input: { code, kind, name }, catalogue: p.catalogue });
      const ingest = async (source: string, values: object[]) => {
        const r = await ingestRecords({
          ctx: p.ctx({ id: `source:${source}`, role: 'source', ref: source }, 'test'),
          input: {
            source,
            catalogue: p.catalogue,
            lines: values.map((value, i) => ({ line: i + 1, value })),
            afterBatch: async (ids) => {
              await p.refreshSubjects(ctx, ids);
            },
          },
        });
        expect(r.rejected, JSON.stringify(r)).toBe(0);
      };
      const defaulter = (n: number, subject: object, decided: string) => ({
        source_record_id: `dc-${n}`,
        type: 'court.judgment_defaulter',
        subject,
        occurred_at: decided,
        decided_at: decided,
        amount: 80_000 + n,
        evidence: `(2025)京0101执${1000 + n}号`,
      });
      await ingest('court-dc', [
        defaulter(0, { kind: 'organization', uscc: HUAWEI, name: '深圳市华为技术有限公司' }, '2025-06-01'),
        ...Array.from({ length: LISTED }, (_, k) =>
          defaulter(1 + k, { kind: 'organization', uscc: listed(k), name: 'x' }, day(k)),
        ),
        defaulter(50, { kind: 'person', id_number: DEFAULTER, name: '张三丰' }, '2025-09-09'),
        defaulter(51, { kind: 'person', id_number: DEFAULTER2, name: '李四' }, '2025-09-09'),
      ]);
      await ingest('tax-sh', [
        {
          source_record_id: 'sh-1',
          type: 'tax.serious_evasion',
          subject: { kind: 'person', id_number: TAX_EVADER, name: '王五' },
          occurred_at: '2025-04-01',
          decided_at: '2025-05-01',
          amount: 2_000_000,
          evidence: '沪税稽罚〔2025〕1号',
        },
      ]);
    }, 120_000);
    afterAll(() => cleanup?.());

    it('finds an organization by part of its Chinese name, one or two characters too, and by its code', async () => {
      const hua = await search('华为');
      expect(hua.map((r) => [r.identifier, r.match])).toEqual([
        [TERMINAL, 'prefix'],
        [HUAWEI, 'contains'],
      ]);
      expect((await search('锦')).map((r) => r.identifier).sort()).toEqual([BUREAU, HENGXIN].sort());
      // A name's last characters are found as well as its first.
      expect((await search('育局')).map((r) => r.identifier)).toEqual([BUREAU]);
      expect((await search('局')).map((r) => r.identifier)).toEqual([BUREAU]);
      expect((await search('恒信科技')).map((r) => r.identifier)).toEqual([HENGXIN]);
      const byCode = await search(HUAWEI.toLowerCase());
      expect(byCode[0]).toMatchObject({ identifier: HUAWEI, name: '深圳市华为技术有限公司', match: 'code' });
      const [first] = (await anonymous(`/v1/public/search?q=${HUAWEI}`)).body.results;
      expect(first).toEqual({
        identifier: HUAWEI,
        name: '深圳市华为技术有限公司',
        kind: 'organization',
        grade: expect.any(String),
        lists_in_force: 1,
        match: 'code',
      });
    });

    it('matches Latin words in either case; orders by match, then by name; honours the limit', async () => {
      expect((await search('huawei')).map((r) => r.identifier)).toEqual([LATIN]);
      expect((await search('TECHNOLOGIES co')).map((r) => r.identifier)).toEqual([LATIN]);
      const many = await search('有限公司', 50);
      expect(many.length).toBe(LISTED + 3);
      const names = many.map((r) => r.name);
      // Ties by name, in code-point order (the bytes of UTF-8 sort the same).
      expect(names).toEqual([...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      expect(await search('有限公司', 5)).toEqual(many.slice(0, 5));
      const prefixFirst = await search('成都');
      expect(prefixFirst.map((r) => r.match)).toEqual(['prefix', 'prefix']);
    });

    it('never finds a person, by name or by ID number', async () => {
      for (const q of [
        '华为',
        '张三丰',
        '三丰',
        DEFAULTER,
        DEFAULTER.slice(0, 10),
        NAMESAKE,
        TAX_EVADER,
        '王五',
      ])
        for (const r of await search(q)) expect(r.kind).not.toBe('person');
      expect(await search('张三丰')).toEqual([]);
      expect(await search(DEFAULTER)).toEqual([]);
      expect(await search(NAMESAKE)).toEqual([]);
    });

    it('refuses an empty or oversize query with invalid_input', async () => {
      for (const q of ['', '   ', '华'.repeat(101)]) {
        const r = await anonymous(`/v1/public/search?q=${encodeURIComponent(q)}`);
        expect(r.status, q).toBe(400);
        expect(r.body.error.code).toBe('invalid_input');
        expect(r.body.error.issues[0].field).toBe('q');
      }
      expect((await anonymous(`/v1/public/search?q=${'华'.repeat(100)}`)).status).toBe(200);
      expect((await anonymous('/v1/public/search?q=x&limit=51')).status).toBe(400);
    });

    it("shows an organization's published page and audits the read; a person's page is a 404 like an unknown code", async () => {
      const r = await anonymous(`/v1/public/organizations/${HUAWEI}`);
      expect(r.status, r.text).toBe(200);
      mine.set('organization', r.body);
      expect(r.body).toMatchObject({
        identifier: HUAWEI,
        name: '深圳市华为技术有限公司',
        kind: 'organization',
        grade: expect.any(String),
        inspections: [],
        ratings: { min_count: expect.any(Number), professionalism: { count: 0 }, honesty: { count: 0 } },
      });
      expect(r.body.lists).toEqual([
        {
          list: 'black.court_defaulters',
          name: 'List of judgment defaulters',
          kind: 'black',
          legal_basis: expect.stringMatching(/^SPC Provisions/),
          from: '2025-06-01',
          until: '2027-06-01',
          case_reference: '(2025)京0101执1000号',
          reason_code: 'LISTED_COURT_DEFAULTER',
          reason: expect.any(String),
          contested: false,
        },
      ]);
      // The grade comes with the records behind it, in plain words (product rule 5).
      expect(r.body.key_factors.length).toBeGreaterThan(0);
      expect(r.body.key_factors.length).toBeLessThanOrEqual(4);
      expect(r.body.key_factors[0]).toMatchObject({
        type: 'court.judgment_defaulter',
        type_name: expect.any(String),
        date: '2025-06-01',
        direct_grade: 'D',
        until: '2030-06-01',
        text: 'Listed as a dishonest judgment defaulter on 2025-06-01, which sets the grade to D until 2030-06-01.',
      });
      // D, recording the grade it fell from (Wendeng 2020).
      expect(r.body.grade).toBe('DA');
      const subject = await p.store.findSubjectByIdentifier(HUAWEI);
      const trail = await p.store.listAuditForSubject(subject!.id, 50);
      expect(trail.find((a) => a.action === 'lookup.organization.read')).toMatchObject({
        role: 'public',
        actor: 'public',
        purpose: 'look up published credit information',
      });

      const unknown = await anonymous(`/v1/public/organizations/${uscc(999)}`);
      expect(unknown.status).toBe(404);
      for (const id of [DEFAULTER, NAMESAKE]) {
        const person = await anonymous(`/v1/public/organizations/${id}`);
        expect(person.status).toBe(404);
        expect(person.body.error.code).toBe('not_found');
        expect(person.body.error.message).toBe(`no organization or public body has the code ${id}`);
        expect(person.text).not.toMatch(/person|张三丰|华为/);
      }
    });

    it('lists the black and red lists with their entries in force, persons counted only where published', async () => {
      const r = await anonymous('/v1/public/lists');
      expect(r.status, r.text).toBe(200);
      mine.set('lists', r.body);
      const byCode = new Map<string, unknown>(r.body.lists.map((l: { code: string }) => [l.code, l]));
      expect([...byCode.keys()].every((c) => /^(black|red)\./.test(c))).toBe(true);
      expect(byCode.get('black.court_defaulters')).toMatchObject({
        kind: 'black',
        publishes_persons: true,
        subject_kinds: ['person', 'organization', 'public_body'],
        in_force: LISTED + 1 + 2,
      });
      // The tax evader is on the tax list, which does not publish persons: not counted, not shown.
      expect(byCode.get('black.serious_tax_violations')).toMatchObject({
        publishes_persons: false,
        subject_kinds: ['organization'],
        in_force: 0,
      });
      const tax = await anonymous('/v1/public/lists/black.serious_tax_violations');
      expect(tax.body).toMatchObject({ entries: [], total: 0, next_page: null });
      expect(tax.text).not.toMatch(/王五|3101041970/);
      expect((await anonymous('/v1/public/lists/focus.abnormal_operation')).status).toBe(404);
    });

    it('pages through a list newest first; persons appear as the court publishes them', async () => {
      const seen: string[] = [];
      const froms: string[] = [];
      let page: number | null = 1;
      let pages = 0;
      while (page !== null) {
        const r = await anonymous(`/v1/public/lists/black.court_defaulters?page=${page}&limit=10`);
        expect(r.status, r.text).toBe(200);
        mine.set(`court list page ${page}`, r.body);
        expect(r.body.total).toBe(LISTED + 3);
        expect(r.body.entries.length).toBeLessThanOrEqual(10);
        for (const e of r.body.entries) {
          seen.push(e.subject.identifier ?? e.subject.masked_id);
          froms.push(e.from);
          expect(e.authority).toBe('北京市东城区人民法院');
          expect(e.case_reference).toMatch(/^\(2025\)京0101执\d+号$/);
          if (e.subject.kind === 'person') {
            expect(Object.keys(e).sort()).toEqual([
              'authority',
              'case_reference',
              'from',
              'reason_code',
              'subject',
            ]);
            expect(e.subject.identifier).toBeNull();
            expect(e.subject.masked_id).toMatch(/^\d{10}\*{4}\d{3}[\dX]$/);
          }
        }
        page = r.body.next_page;
        pages++;
      }
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(LISTED + 3);
      expect(froms).toEqual([...froms].sort().reverse());
      expect(seen).toContain(`${DEFAULTER.slice(0, 10)}****${DEFAULTER.slice(14)}`);
      const persons = await anonymous('/v1/public/lists/black.court_defaulters?limit=2');
      expect(persons.body.entries.map((e: { subject: { name: string } }) => e.subject.name).sort()).toEqual([
        '张三丰',
        '李四',
      ]);
      expect(persons.text).not.toContain(DEFAULTER);
    });

    it('finds a renamed organization under its new name only', async () => {
      const db = (p.store as unknown as { db: Kysely<Database> }).db;
      await db
        .updateTable('subjects')
        .set({ name: '成都锦江鸿蒙智行有限公司' })
        .where('identifier', '=', HENGXIN)
        .execute();
      expect((await search('鸿蒙')).map((r) => r.identifier)).toEqual([HENGXIN]);
      expect((await search('恒信')).map((r) => r.identifier)).toEqual([]);
      expect((await search('锦')).map((r) => r.identifier).sort()).toEqual([BUREAU, HENGXIN].sort());
    });

    it('records the public’s reads under the route’s purpose, never one the caller states; a staff purpose naming a protected category is refused', async () => {
      const stated = 'Patient has HIV - call 13800000000';
      const r = await app.inject({
        method: 'GET',
        url: `/v1/public/organizations/${HENGXIN}`,
        headers: { 'x-purpose': stated },
      });
      expect(r.statusCode, r.body).toBe(200);
      const s = await p.store.findSubjectByIdentifier(HENGXIN);
      const trail = await p.store.listAuditForSubject(s!.id, 50);
      const read = trail.find((a) => a.action === 'lookup.organization.read')!;
      expect(read.purpose).toBe('look up published credit information');
      expect(JSON.stringify(trail)).not.toContain('HIV');
      // Staff state their purpose; one naming a protected category is refused before anything is read.
      const token = (await issueToken({ ctx: p.ctx(op, 'test'), input: { role: 'operator', label: 'op' } }))
        .token;
      const refused = await app.inject({
        method: 'GET',
        url: `/v1/subjects/${HENGXIN}`,
        headers: { authorization: `Bearer ${token}`, 'x-purpose': 'check his religion: 伊斯兰教' },
      });
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().error.message).toMatch(/^x-purpose names a protected category \(religion/);
      // As a client sends it over the wire: UTF-8 bytes, which Node hands over as Latin-1.
      const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
      const staff = (purpose: string) =>
        app.inject({
          method: 'GET',
          url: `/v1/subjects/${HENGXIN}`,
          headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose },
        });
      const religious = await staff(wire('宗教信仰审查'));
      expect(religious.statusCode, religious.body).toBe(422);
      expect(religious.json().error.message).toMatch(/protected category \(religion_or_belief: "宗教"/);
      for (const bad of [wire('贷款\u202e审批'), wire('loan\u0085review'), '\xff\xfe review']) {
        const r = await staff(bad);
        expect(r.statusCode, r.body).toBe(400);
        expect(r.json().error.issues[0].field).toBe('x-purpose');
      }
      expect((await p.store.listAuditForSubject(s!.id, 50)).length).toBe(trail.length);
      // A purpose in Chinese is kept as it was written.
      expect((await staff(wire('贷款审批复核'))).statusCode).toBe(200);
      const kept = (await p.store.listAuditForSubject(s!.id, 50)).find(
        (a) => a.action === 'subject.file.read',
      );
      expect(kept?.purpose).toBe('贷款审批复核');
    });

    it('marks a key factor under objection as contested on the public page, as its list entry', async () => {
      const company = listed(0);
      const token = (
        await issueToken({
          ctx: p.ctx(op, 'test'),
          input: { role: 'subject', label: 'listed', ref: company },
        })
      ).token;
      const before = (await anonymous(`/v1/public/organizations/${company}`)).body;
      expect(before.key_factors[0]).toMatchObject({ type: 'court.judgment_defaulter', contested: false });
      const s = await p.store.findSubjectByIdentifier(company);
      const [record] = await p.store.listRecordsForScoring([s!.id]);
      const filed = await call('POST', '/v1/me/objections', token, {
        record_id: record!.id,
        reason: 'The judgment was performed in full before the listing.',
      });
      expect(filed.status, filed.text).toBe(201);
      const after = (await anonymous(`/v1/public/organizations/${company}`)).body;
      expect(after.lists[0].contested).toBe(true);
      expect(after.key_factors[0]).toMatchObject({ type: 'court.judgment_defaulter', contested: true });
    });
  });
}

describe('the public lookup on both backends', () => {
  it('gives the same answers on SQLite and PostgreSQL', () => {
    const [sqlite, postgres] = [answers.get('sqlite'), answers.get('postgres')];
    if (!sqlite?.size || !postgres?.size) return; // a backend was skipped
    expect([...postgres.keys()]).toEqual([...sqlite.keys()]);
    for (const [k, v] of sqlite) expect(postgres.get(k), k).toEqual(v);
  });
});
