import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { bearer, personRecord, registerSource, startTestApp, type TestApp } from './test-app.ts';

const ZHANG = '360426199101010071';
const WANG = '11010519491231002X';
const CASE = '(2025)京0105执1234号';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle("the subject's own file over HTTP", backend), () => {
    let t: TestApp;
    let zhang: string;
    let wang: string;
    let rail: string;

    const subjectToken = async (ref: string, label: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: bearer(t.operator),
        payload: { role: 'subject', ref, label },
      });
      return res.json().token as string;
    };
    const me = (token: string, query = '') => t.app.inject({ url: `/v1/me${query}`, headers: bearer(token) });

    beforeAll(async () => {
      t = await startTestApp({ backend });
      const court = await registerSource(t, 'district-court', 'court');
      const posted = await t.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [
          personRecord(ZHANG, { evidence: CASE, note: 'note <script>alert(1)</script>' }),
          personRecord(WANG, { source_record_id: 'w-1' }),
        ],
      });
      expect(posted.json()).toMatchObject({ accepted: 2 });
      zhang = await subjectToken(ZHANG, 'Zhang San');
      wang = await subjectToken(WANG, 'Wang');
      const rp = await t.app.inject({
        method: 'POST',
        url: '/v1/relying-parties',
        headers: bearer(t.operator),
        payload: {
          code: 'rail-c',
          kind: 'railway',
          name: 'China Railway Ticketing',
          purposes: ['ticket_sale'],
        },
      });
      expect(rp.statusCode).toBe(201);
      rail = rp.json().token;
    });
    afterAll(async () => t?.close());

    describe('GET /v1/me', () => {
      it('shows the subject its records with the day each stops counting and may be repaired', async () => {
        const res = await me(zhang);
        expect(res.statusCode).toBe(200);
        const file = res.json();
        expect(file.subject).toMatchObject({ identifier: ZHANG, name: 'Zhang San' });
        expect(file.records).toHaveLength(1);
        const r = file.records[0];
        expect(r).toMatchObject({
          type: 'court.judgment_defaulter',
          source: { code: 'district-court' },
          case_reference: CASE,
          status: 'active',
          version: 1,
          history: [],
          // Serious: repair after 12 months from the decision (2025-06-01).
          repair: { eligible_from: '2026-06-01' },
        });
        expect(r.counts_until).toMatch(/^20\d\d-\d\d-\d\d$/);
        expect(r.counts_until > file.as_of).toBe(true);
      });

      it('gives key factors with what to do: perform the judgment, repair from a day, object', async () => {
        const file = (await me(zhang)).json();
        expect(file.score.key_factors.length).toBeGreaterThan(0);
        expect(file.score.key_factors.length).toBeLessThanOrEqual(4);
        expect(Object.keys(file.score.domains).sort()).toEqual([
          'commercial',
          'government',
          'judicial',
          'social',
        ]);
        const k = file.score.key_factors[0];
        const kinds = k.advice.map((a: { kind: string }) => a.kind);
        expect(kinds).toEqual(expect.arrayContaining(['perform', 'repair_from', 'object', 'wait']));
        expect(k.advice.find((a: { kind: string }) => a.kind === 'repair_from').day).toBe('2026-06-01');
        expect(k.advice.find((a: { kind: string }) => a.kind === 'perform').text).toMatch(
          /court removes the listing/,
        );
        // Objections to court listings are decided within 15 days (SPC 2017 Art. 12).
        expect(k.advice.find((a: { kind: string }) => a.kind === 'object').days).toBe(15);
      });

      it('lists the entries and measures in force with their legal basis and period', async () => {
        const file = (await me(zhang)).json();
        const entry = file.lists.find((l: { list: string }) => l.list === 'black.court_defaulters');
        expect(entry).toMatchObject({ in_force: true, case_reference: CASE });
        expect(entry.legal_basis).toBe(t.platform.lists.byCode.get('black.court_defaulters')!.legalBasis);
        const rail = file.measures.find((m: { measure: string }) => m.measure === 'restrict.high_speed_rail');
        expect(rail).toMatchObject({
          kind: 'restriction',
          list: 'black.court_defaulters',
          case_reference: CASE,
        });
        expect(rail.legal_basis).toBe(t.platform.measures.byCode.get('restrict.high_speed_rail')!.legalBasis);
        expect(rail.from).toMatch(/^2025-/);
      });

      it('shows each subject only its own file; another subject cannot read it', async () => {
        const own = (await me(wang)).json();
        expect(own.subject.identifier).toBe(WANG);
        const other = await t.app.inject({ url: `/v1/subjects/${ZHANG}/report`, headers: bearer(wang) });
        expect(other.statusCode).toBe(403);
        expect((await t.app.inject({ url: '/v1/me', headers: bearer(t.operator) })).statusCode).toBe(403);
        expect((await t.app.inject({ url: '/v1/me' })).statusCode).toBe(401);
      });

      it('names readers as the subject understands them and groups a flood of checks in one line', async () => {
        const batch = await t.app.inject({
          method: 'POST',
          url: '/v1/checks',
          headers: bearer(rail),
          payload: {
            measure: 'restrict.high_speed_rail',
            purpose: 'ticket_sale',
            subjects: Array.from({ length: 500 }, () => ZHANG),
          },
        });
        expect(batch.statusCode).toBe(200);
        const read = await t.app.inject({
          url: `/v1/subjects/${ZHANG}`,
          headers: bearer(t.operator, { 'x-purpose': 'loan application review' }),
        });
        expect(read.statusCode).toBe(200);
        const log = (await me(zhang)).json().access_log;
        // The checks: one line for the relying party and the day, under its registered name.
        expect(log.checks.groups).toHaveLength(1);
        expect(log.checks.groups[0]).toMatchObject({
          who: 'China Railway Ticketing',
          relying_party: 'rail-c',
          count: 500,
          applied: 500,
          measures: ['restrict.high_speed_rail'],
          purposes: ['ticket_sale'],
          continued: false,
        });
        expect(log.checks.groups[0].seqs.length).toBeGreaterThan(0);
        // Beside each entry its leaf in the Merkle tree, null until the entry is in the tree.
        const leafOrNull = (l: unknown) => l === null || Number.isInteger(l);
        expect(log.checks.groups[0].leaf_indices).toHaveLength(log.checks.groups[0].seqs.length);
        expect(log.checks.groups[0].leaf_indices.every(leafOrNull)).toBe(true);
        expect(log.accesses.entries.every((e: { leaf_index: unknown }) => leafOrNull(e.leaf_index))).toBe(
          true,
        );
        // The operator's read stays on the first page, by role, never by machine user name.
        const entries = log.accesses.entries as {
          who: string;
          who_kind: string;
          purpose: string;
          seq: number;
        }[];
        expect(entries).toContainEqual(
          expect.objectContaining({
            who: 'Credence operator',
            who_kind: 'operator',
            purpose: 'loan application review',
          }),
        );
        expect(entries[0]).toMatchObject({ who: 'You', who_kind: 'you' });
        // The credential that acts in Zhang's name was issued by an operator: that is on his log.
        expect(entries).toContainEqual(
          expect.objectContaining({
            who_kind: 'operator',
            action: 'token.issue',
            what: 'issued a credential that acts in your name',
          }),
        );
        expect(entries.find((e) => e.who_kind === 'source')?.who).toBe('district-court');
        expect(JSON.stringify(log)).not.toMatch(/operator:test/);
        for (const e of entries) expect(Number.isInteger(e.seq)).toBe(true);
      });

      it('pages the access log newest first', async () => {
        for (let i = 0; i < 4; i++) await me(zhang);
        const first = (await me(zhang, '?access_limit=3')).json().access_log.accesses;
        expect(first.entries).toHaveLength(3);
        expect(first.next_page).not.toBeNull();
        const second = (await me(zhang, `?access_limit=3&access_page=${first.next_page}`)).json().access_log
          .accesses;
        expect(second.entries.length).toBeGreaterThan(0);
        const seqs = [...first.entries, ...second.entries].map((e: { seq: number }) => e.seq);
        expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
        expect(new Set(seqs).size).toBe(seqs.length);
        expect((await me(zhang, '?access_page=abc')).statusCode).toBe(400);
      });
    });

    describe('GET /v1/me/report', () => {
      const report = (query: string, headers: Record<string, string> = {}) =>
        t.app.inject({ url: `/v1/me/report${query}`, headers: bearer(zhang, headers) });

      it('renders a complete printable page in English, Chinese and French', async () => {
        const en = await report('?lang=en');
        expect(en.statusCode).toBe(200);
        expect(en.headers['content-type']).toMatch(/^text\/html/);
        expect(en.body).toMatch(/^<!DOCTYPE html>/);
        expect(en.body).toContain('<html lang="en">');
        expect(en.body).toContain('@media print');
        expect(en.body).toContain('size: A4');
        expect(en.body).toContain('Who looked at your file');
        expect(en.body).toContain('China Railway Ticketing');
        expect(en.body).toContain('<th>Tree leaf</th>');
        expect(en.body).not.toMatch(/<link|<script|src=/);
        // Nothing the page holds may load or run anything.
        expect(en.headers['content-security-policy']).toMatch(/default-src 'none'/);
        expect(en.headers['x-content-type-options']).toBe('nosniff');
        // A page: helmet's document-only headers too, and never cached (it is a person's file).
        expect(en.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(en.headers['x-frame-options']).toBe('DENY');
        expect(en.headers['cache-control']).toBe('no-store');
        const zh = await report('?lang=zh-CN');
        expect(zh.body).toContain('<html lang="zh-CN">');
        expect(zh.body).toContain('信用档案');
        expect(zh.body).toContain('停止计分');
        const fr = await report('?lang=fr');
        expect(fr.body).toContain('Qui a consulté votre dossier');
        expect(fr.body).toContain('réhabilitation');
        // Dates formatted for the locale.
        expect(fr.body).toContain('1 juin 2026');
        expect(en.body).toContain('June 1, 2026');
        expect(zh.body).toContain('2026年6月1日');
      });

      it('chooses by lang, else Accept-Language, else Chinese; refuses an unknown language', async () => {
        expect((await report('', { 'accept-language': 'de-DE, fr;q=0.8, en;q=0.5' })).body).toContain(
          'lang="fr"',
        );
        expect((await report('')).body).toContain('lang="zh-CN"');
        expect((await report('?lang=en', { 'accept-language': 'fr' })).body).toContain('lang="en"');
        expect((await report('?lang=de')).statusCode).toBe(400);
      });

      it('escapes the data it shows', async () => {
        const body = (await report('?lang=en')).body;
        expect(body).not.toContain('<script>');
        expect(body).toContain('note &lt;script&gt;alert(1)&lt;/script&gt;');
      });

      it('gives an operator the same report of any subject with a stated purpose, audited', async () => {
        const url = `/v1/subjects/${ZHANG}/report?lang=fr`;
        expect((await t.app.inject({ url, headers: bearer(t.operator) })).statusCode).toBe(400);
        const res = await t.app.inject({
          url,
          headers: bearer(t.operator, { 'x-purpose': 'court request 17' }),
        });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('Vos enregistrements');
        const log = (await me(zhang)).json().access_log.accesses.entries;
        expect(log).toContainEqual(
          expect.objectContaining({
            who: 'Credence operator',
            purpose: 'court request 17',
            action: 'subject.report.read',
          }),
        );
      });

      it('documents the routes in OpenAPI', async () => {
        const doc = (await t.app.inject({ url: '/openapi.json' })).json();
        expect(doc.paths['/v1/me'].get.responses['200']).toBeDefined();
        expect(doc.paths['/v1/me/report'].get).toBeDefined();
        expect(doc.paths['/v1/subjects/{id}/report'].get).toBeDefined();
      });
    });

    describe('GET /v1/me: the subject follows its objections and repair applications', () => {
      it('lists an objection with its clock and the record flagged, and no repair yet', async () => {
        const before = (await me(wang)).json();
        expect(before.objections).toEqual([]);
        expect(before.repairs).toEqual([]);
        const filed = await t.app.inject({
          method: 'POST',
          url: '/v1/me/objections',
          headers: bearer(wang),
          payload: { record_id: before.records[0].id, reason: 'I paid this debt in full in 2025' },
        });
        expect(filed.statusCode).toBe(201);
        const file = (await me(wang)).json();
        expect(file.objections).toEqual([
          expect.objectContaining({
            id: filed.json().id,
            status: 'pending',
            due: filed.json().due,
            overdue: false,
          }),
        ]);
        expect(file.records[0].status).toBe('disputed');
        // Under objection: no repair application until the objection is decided.
        const repair = await t.app.inject({
          method: 'POST',
          url: '/v1/me/repairs',
          headers: bearer(wang),
          payload: {
            record_id: before.records[0].id,
            commitment: 'I will perform',
            evidence: { text: 'receipt' },
          },
        });
        expect(repair.statusCode).toBe(409);
        expect(repair.json().error.message).toMatch(/under objection/);
        expect((await me(wang)).json().repairs).toEqual([]);
      });
    });
  });
}
