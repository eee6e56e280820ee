/**
 * A withdrawn source (`credence sources revoke`, `POST /v1/sources/{code}/revoke`) does nothing new
 * in its name, on both backends: an operator naming it submits no records and issues no
 * interaction tokens for it (409, naming the source and the day, nothing written), as no token is
 * issued for it; withdrawn while its file is imported, it writes no batch after that (those
 * before stand); a new credential makes it live again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { makeResidentId, makeUscc } from '../identity/index.ts';
import { importSubjects, ingestRecords } from '../ingest/index.ts';
import { revokeSourceCredential } from '../sources/index.ts';
import { callerOf, personRecord, registerSource, startTestApp, type TestApp, TODAY } from './test-app.ts';

const ZHANG = '11010519491231002X';
const ORG = makeUscc('9', '1', '110105', '30000001');

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(suiteTitle('a withdrawn source', backend), () => {
    let t: TestApp;
    const call = callerOf(() => t.app);
    const withdrawn = (code: string, refused: string) =>
      `source ${code} was withdrawn on ${TODAY}: ${refused} until it is given a new credential (\`credence sources rotate ${code}\`)`;
    const records = async () => (await call('GET', '/v1/stats', t.operator)).body.records as number;

    beforeAll(async () => {
      t = await startTestApp({ backend });
      await registerSource(t, 'wd-court', 'court');
      await registerSource(t, 'wd-employer', 'employer');
      await registerSource(t, 'wd-midway', 'court');
      await importSubjects({
        ctx: t.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
        input: { lines: [{ line: 1, value: { kind: 'organization', uscc: ORG, name: '某某公司' } }] },
      });
      for (const code of ['wd-court', 'wd-employer'])
        expect((await call('POST', `/v1/sources/${code}/revoke`, t.operator)).status).toBe(200);
    });
    afterAll(async () => t.close());

    it('submits no records, even when an operator names it: 409, and nothing of the batch is written', async () => {
      const before = await records();
      const r = await call('POST', '/v1/records?source=wd-court', t.operator, [personRecord(ZHANG)]);
      expect(r.status, r.text).toBe(409);
      expect(r.body.error.message).toBe(withdrawn('wd-court', 'it submits no records'));
      expect(await records()).toBe(before);
      expect((await call('GET', `/v1/subjects/${ZHANG}`, t.operator)).status).toBe(404);
    });

    it('issues no interaction tokens, even when an operator names it: 409', async () => {
      const r = await call('POST', '/v1/interactions', t.operator, {
        source: 'wd-employer',
        serving: { kind: 'organization', id: ORG },
        service_date: TODAY,
        service: 'payroll enquiry',
      });
      expect(r.status, r.text).toBe(409);
      expect(r.body.error.message).toBe(withdrawn('wd-employer', 'it issues no interaction tokens'));
    });

    it('is given no token, with the same answer', async () => {
      const r = await call('POST', '/v1/tokens', t.operator, {
        role: 'source',
        label: 'feed',
        ref: 'wd-court',
      });
      expect(r.status, r.text).toBe(409);
      expect(r.body.error.message).toBe(withdrawn('wd-court', 'it is given no token'));
    });

    it('withdrawn while its file is imported, writes no batch after that: those before stand', async () => {
      const ctx = t.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test');
      const ids = [1, 2, 3].map((n) => makeResidentId('110105', '1970-01-01', 100 + n));
      const before = await records();
      const lines = ids.map((id, i) => ({ line: i + 1, value: personRecord(id) }));
      const outcome = ingestRecords({
        ctx,
        input: {
          source: 'wd-midway',
          catalogue: t.platform.catalogue,
          lines,
          batchSize: 1,
          afterBatch: async () => {
            await revokeSourceCredential({ ctx, input: { code: 'wd-midway' } });
          },
        },
      });
      await expect(outcome).rejects.toThrow(
        withdrawn(
          'wd-midway',
          'it submits no records (the lines before line 2 were written before that and stand; line 2 and those after it were not)',
        ),
      );
      expect(await records()).toBe(before + 1);
      expect((await call('GET', `/v1/subjects/${ids[0]}`, t.operator)).status).toBe(200);
      expect((await call('GET', `/v1/subjects/${ids[1]}`, t.operator)).status).toBe(404);
    });

    it('submits again once it is given a new credential', async () => {
      expect((await call('POST', '/v1/sources/wd-court/credential', t.operator)).status).toBe(200);
      const r = await call('POST', '/v1/records?source=wd-court', t.operator, [
        personRecord(ZHANG, { source_record_id: 'after-rotation' }),
      ]);
      expect(r.status, r.text).toBe(200);
      expect(r.body.accepted).toBe(1);
    });
  });
}
