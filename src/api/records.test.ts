import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { MAX_BATCH } from './routes/records.ts';
import { bearer, personRecord, registerSource, startTestApp, type TestApp, TODAY } from './test-app.ts';

type Result = { line: number; status: string; record_id?: number; field?: string; reason?: string };

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('records over HTTP', backend), () => {
    let t: TestApp;
    let court: string;
    let police: string;
    beforeAll(async () => {
      t = await startTestApp({ backend });
      court = await registerSource(t, 'city-court', 'court');
      police = await registerSource(t, 'city-police', 'police');
    });
    afterAll(async () => t.close());

    const post = (
      token: string,
      payload: unknown,
      url = '/v1/records',
      headers: Record<string, string> = {},
    ) => t.app.inject({ method: 'POST', url, headers: bearer(token, headers), payload: payload as string });

    const { occurred_at: _omit, ...withoutDate } = personRecord('11010519491231002X', {
      source_record_id: 'no-date',
    });
    const mixed = [
      personRecord('360426199101010071'),
      {
        source_record_id: 'suit-1',
        type: 'court.contract_lawsuit_lost',
        subject: {
          kind: 'organization',
          uscc: '91110000600037341L',
          name: 'Beijing Example Co.',
        },
        occurred_at: '2024-11-02',
        amount: 120_000,
      },
      42,
      personRecord('11010519491231002X', { source_record_id: 'unknown-type', type: 'court.no_such_thing' }),
      personRecord('11010519491231002X', {
        source_record_id: 'police-type',
        type: 'police.drunk_driving',
        amount: null,
      }),
      personRecord('110105194912310021', { source_record_id: 'bad-check' }),
      withoutDate,
      personRecord('11010519491231002X', {
        source_record_id: 'future',
        occurred_at: '2026-06-01',
        decided_at: null,
      }),
      personRecord('11010519491231002X', { source_record_id: 'good-3' }),
    ];

    describe('POST /v1/records', () => {
      it('stores the good records of a mixed batch and says why each bad one was refused', async () => {
        const res = await post(court, mixed);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ accepted: 3, duplicates: 0, rejected: 6 });
        const byLine = new Map((body.results as Result[]).map((r) => [r.line, r]));
        for (const line of [1, 2, 9])
          expect(byLine.get(line)).toMatchObject({ status: 'stored', record_id: expect.any(Number) });
        const rejected = (line: number) => byLine.get(line) as Result;
        expect(rejected(3)).toMatchObject({ status: 'rejected', field: '(line)' });
        expect(rejected(4)).toMatchObject({ status: 'rejected', field: 'type' });
        expect(rejected(4).reason).toContain('not in the catalogue');
        expect(rejected(5)).toMatchObject({ status: 'rejected', field: 'type' });
        expect(rejected(5).reason).toContain('court source may not submit police.drunk_driving');
        expect(rejected(6)).toMatchObject({ status: 'rejected', field: 'subject.id_number' });
        expect(rejected(7)).toMatchObject({
          status: 'rejected',
          field: 'occurred_at',
          reason: 'required field is missing',
        });
        expect(rejected(8)).toMatchObject({ status: 'rejected', field: 'occurred_at' });
        expect(rejected(8).reason).toContain(`today is ${TODAY}`);
        expect(await t.platform.store.countRecords()).toBe(3);
      });

      it('answers a re-sent batch with duplicates and stores nothing twice', async () => {
        const res = await post(court, { records: mixed });
        const body = res.json();
        expect(body).toMatchObject({ accepted: 0, duplicates: 3, rejected: 6 });
        expect(await t.platform.store.countRecords()).toBe(3);
      });

      it('takes NDJSON, numbering results by line and reporting a malformed line', async () => {
        const ndjson = [
          JSON.stringify(personRecord('360426199101010071', { source_record_id: 'nd-1' })),
          '',
          '{"source_record_id": "nd-2", ',
          JSON.stringify(personRecord('11010519491231002X', { source_record_id: 'nd-3' })),
        ].join('\n');
        const res = await post(court, ndjson, '/v1/records', { 'content-type': 'application/x-ndjson' });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 1 });
        expect((body.results as Result[]).map((r) => [r.line, r.status])).toEqual([
          [1, 'stored'],
          [3, 'rejected'],
          [4, 'stored'],
        ]);
        expect(body.results[1].reason).toContain('malformed JSON');
      });

      it(`refuses more than ${MAX_BATCH} records with 400 and stores none of them`, async () => {
        const before = await t.platform.store.countRecords();
        const big = Array.from({ length: MAX_BATCH + 1 }, (_, i) =>
          personRecord('360426199101010071', { source_record_id: `big-${i}` }),
        );
        const res = await post(court, big);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('invalid_input');
        expect(res.json().error.message).toContain('at most 10,000');
        expect(await t.platform.store.countRecords()).toBe(before);
      });

      it('403 when a source submits on another source’s behalf', async () => {
        const res = await post(
          police,
          [personRecord('360426199101010071', { source_record_id: 'x' })],
          '/v1/records?source=city-court',
        );
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      });

      it('lets an operator submit for a named source, and 401s an anonymous caller', async () => {
        const rec = [personRecord('440524188001010014', { source_record_id: 'op-1' })];
        const res = await post(t.operator, rec, '/v1/records?source=city-court');
        expect(res.json()).toMatchObject({ accepted: 1 });
        const none = await t.app.inject({ method: 'POST', url: '/v1/records', payload: rec });
        expect(none.statusCode).toBe(401);
        expect(none.json().error.code).toBe('unauthenticated');
      });

      it('400 for a body that is neither records nor NDJSON', async () => {
        const res = await post(court, { rows: [] });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.message).toContain('NDJSON');
      });
    });
  });
}
