import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { bearer, personRecord, registerSource, startTestApp, type TestApp } from './test-app.ts';

const ZHANG = '360426199101010071';
const WANG = '11010519491231002X';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('subjects over HTTP', backend), () => {
    let t: TestApp;
    let zhangToken: string;
    beforeAll(async () => {
      t = await startTestApp({ backend });
      const court = await registerSource(t, 'district-court', 'court');
      await t.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [
          personRecord(ZHANG, { note: 'case 2025-17' }),
          personRecord(WANG, { source_record_id: 'w-1' }),
        ],
      });
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/tokens',
        headers: bearer(t.operator),
        payload: { role: 'subject', ref: ZHANG, label: 'Zhang San' },
      });
      zhangToken = res.json().token;
    });
    afterAll(async () => t.close());

    const read = (id: string, headers: Record<string, string>) =>
      t.app.inject({ url: `/v1/subjects/${id}`, headers });
    const auditCount = async () =>
      (await t.app.inject({ url: '/v1/stats', headers: bearer(t.operator) })).json().audit_entries;

    describe('GET /v1/subjects/:id', () => {
      it('gives an operator the file, with catalogue names and the purpose recorded', async () => {
        const before = await auditCount();
        const res = await read(ZHANG, bearer(t.operator, { 'x-purpose': 'loan application review' }));
        expect(res.statusCode).toBe(200);
        const file = res.json();
        expect(file.subject).toEqual({
          kind: 'person',
          identifier: ZHANG,
          name: 'Zhang San',
          birth_date: '1991-01-01',
          sex: 'male',
        });
        expect(file.records).toHaveLength(1);
        expect(file.records[0]).toMatchObject({
          type: 'court.judgment_defaulter',
          type_name: t.platform.catalogue.get('court.judgment_defaulter')!.name,
          source: 'district-court',
          source_record_id: `case-${ZHANG}`,
          amount: 50_000,
          note: 'case 2025-17',
          status: 'active',
        });
        expect(await auditCount()).toBe(before + 1);
      });

      it('shows the subject its own file with who read it and why', async () => {
        const before = await auditCount();
        const res = await read(ZHANG, bearer(zhangToken));
        expect(res.statusCode).toBe(200);
        const log = res.json().access_log as {
          actor: string;
          role: string;
          purpose: string;
          action: string;
        }[];
        expect(log).toContainEqual(
          expect.objectContaining({
            actor: 'Credence operator',
            role: 'operator',
            purpose: 'loan application review',
            action: 'subject.file.read',
          }),
        );
        expect(await auditCount()).toBe(before + 1);
      });

      it('403 when a subject reads another subject’s file; 401 anonymously', async () => {
        const other = await read(WANG, bearer(zhangToken));
        expect(other.statusCode).toBe(403);
        expect(other.json().error.code).toBe('forbidden');
        const anon = await read(WANG, {});
        expect(anon.statusCode).toBe(401);
        expect(anon.json().error.code).toBe('unauthenticated');
      });

      it('400 for an identifier that is not valid, 404 for an unknown subject', async () => {
        const why = { 'x-purpose': 'review' };
        expect((await read('110105194912310021', bearer(t.operator, why))).statusCode).toBe(400);
        expect((await read('440524188001010014', bearer(t.operator, why))).statusCode).toBe(404);
      });

      it('400 when an operator or auditor reads a file without saying why, reading nothing', async () => {
        const auditor = (
          await t.app.inject({
            method: 'POST',
            url: '/v1/tokens',
            headers: bearer(t.operator),
            payload: { role: 'auditor', label: 'auditor' },
          })
        ).json().token as string;
        const before = await auditCount();
        for (const token of [t.operator, auditor]) {
          const res = await read(ZHANG, bearer(token));
          expect(res.statusCode).toBe(400);
          expect(res.json().error).toMatchObject({ code: 'invalid_input', issues: [{ field: 'x-purpose' }] });
          expect(
            (await t.app.inject({ url: `/v1/subjects/${ZHANG}/score`, headers: bearer(token) })).statusCode,
          ).toBe(400);
        }
        expect(await auditCount()).toBe(before);
        expect((await read(ZHANG, bearer(auditor, { 'x-purpose': 'annual audit' }))).statusCode).toBe(200);
      });

      it('400 for a purpose over 200 characters', async () => {
        const res = await read(ZHANG, bearer(t.operator, { 'x-purpose': 'x'.repeat(201) }));
        expect(res.statusCode).toBe(400);
        expect(res.json().error.issues[0].field).toBe('x-purpose');
      });
    });

    describe('GET /v1/stats', () => {
      it('counts subjects by kind, records, audit entries and sources for an operator only', async () => {
        const res = await t.app.inject({ url: '/v1/stats', headers: bearer(t.operator) });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          subjects: { person: 2, organization: 0, public_body: 0 },
          records: 2,
          sources: 1,
        });
        expect((await t.app.inject({ url: '/v1/stats', headers: bearer(zhangToken) })).statusCode).toBe(403);
      });
    });
  });
}
