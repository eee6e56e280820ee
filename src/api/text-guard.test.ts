/**
 * Text that cannot hurt, at the HTTP way in: a record batch refuses a bad line and stores the good
 * ones (a NUL used to fail a whole batch on PostgreSQL), names are stored NFC, and every other
 * body, query string and path parameter is refused with 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { makeResidentId } from '../identity/index.ts';
import { bearer, personRecord, registerSource, startTestApp, type TestApp } from './test-app.ts';

const ZHANG = '360426199101010071';
const LI = '11010519491231002X';

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('text rules over HTTP', backend), () => {
    let t: TestApp;
    let court: string;
    beforeAll(async () => {
      t = await startTestApp({ backend });
      court = await registerSource(t, 'text-court', 'court');
    });
    afterAll(async () => t.close());

    const ndjson = (lines: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court, { 'content-type': 'application/x-ndjson' }),
        payload: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'),
      });

    it('refuses a line with a NUL, a control character or a bidi override and stores the good lines', async () => {
      const res = await ndjson([
        personRecord(ZHANG, { source_record_id: 'good-1' }),
        personRecord(LI, { source_record_id: 'nul', note: 'paid\u0000' }),
        personRecord(LI, {
          source_record_id: 'bidi',
          subject: { kind: 'person', id_number: LI, name: 'Li\u202ESi' },
        }),
        personRecord(LI, { source_record_id: 'esc\u001b[31m' }),
        personRecord(LI, { source_record_id: 'good-2', note: 'two\nlines are fine in a note' }),
        personRecord(LI, { source_record_id: 'huge', amount: 1e14 }),
      ]);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.accepted).toBe(2);
      expect(body.results.filter((r: { status: string }) => r.status === 'rejected')).toEqual([
        {
          line: 2,
          status: 'rejected',
          field: 'note',
          reason: expect.stringMatching(/NUL character \(U\+0000\)/),
        },
        {
          line: 3,
          status: 'rejected',
          field: 'subject.name',
          reason: expect.stringMatching(/bidirectional override/),
        },
        { line: 4, status: 'rejected', field: 'source_record_id', reason: expect.stringMatching(/U\+001B/) },
        { line: 6, status: 'rejected', field: 'amount', reason: 'at most 10,000,000,000,000 yuan' },
      ]);
    });

    it('stores names NFC: the same name typed with combining marks is one name', async () => {
      const nfd = 'Jose\u0301 Zhang';
      const id = makeResidentId('110105', '1980-05-05', 7);
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: bearer(court),
        payload: [
          personRecord(id, {
            source_record_id: 'nfd-1',
            subject: { kind: 'person', id_number: id, name: nfd },
          }),
        ],
      });
      expect(res.json().accepted).toBe(1);
      const file = await t.app.inject({
        url: `/v1/subjects/${id}`,
        headers: bearer(t.operator, { 'x-purpose': 'test' }),
      });
      expect(file.json().subject.name).toBe('Jos\u00e9 Zhang');
    });

    it('refuses a forbidden character in any other body, query string or path with 400 naming the field', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/sources',
        headers: bearer(t.operator),
        payload: { code: 'bidi-court', kind: 'court', name: 'City \u202Etruoc' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'invalid_input',
        issues: [{ field: 'body.name', message: expect.stringMatching(/U\+202E/) }],
      });
      const q = await t.app.inject({ url: '/v1/public/search?q=a%00b' });
      expect(q.statusCode).toBe(400);
      expect(q.json().error.issues[0].field).toBe('querystring.q');
      const p = await t.app.inject({ url: '/v1/public/organizations/9111%E2%80%AE', headers: {} });
      expect(p.statusCode).toBe(400);
      expect(p.json().error.issues[0].field).toBe('params.identifier');
      // A refused field name is quoted short, never echoed whole.
      const long = await t.app.inject({
        method: 'POST',
        url: '/v1/sources',
        headers: bearer(t.operator),
        payload: { code: 'long-court', kind: 'court', [`x\n${'y'.repeat(500)}`]: 1 },
      });
      expect(long.statusCode).toBe(400);
      const field = long.json().error.issues[0].field as string;
      expect(field).toMatch(/^body\.x\\u\{a\}y+…$/);
      expect(field.length).toBeLessThan(80);
      expect(long.body.length).toBeLessThan(1000);
    });
  });
}
