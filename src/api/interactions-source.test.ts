/**
 * Who an interaction token is issued for, over HTTP, on both backends: a source issues for itself;
 * an operator names the source as for `POST /v1/records` (`?source=CODE`) or in the body field
 * `source`, and a refusal says how in HTTP's own words, never a command-line flag; the two named
 * differently are refused, and nothing is issued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTitle, testBackends } from '../../test/platforms.ts';
import { makeUscc } from '../identity/index.ts';
import { importSubjects } from '../ingest/index.ts';
import { callerOf, registerSource, startTestApp, type TestApp, TODAY, tokenFor } from './test-app.ts';

const ORG = makeUscc('9', '1', '110105', '40000001');

for (const backend of testBackends()) {
  describe.skipIf(Boolean(backend.skip))(
    suiteTitle('naming the source of interaction tokens', backend),
    () => {
      let t: TestApp;
      let hospital: string;
      const call = callerOf(() => t.app);
      const one = {
        serving: { kind: 'organization', id: ORG },
        service_date: TODAY,
        service: 'consultation',
      };

      beforeAll(async () => {
        t = await startTestApp({ backend });
        await registerSource(t, 'is-hospital', 'hospital');
        await registerSource(t, 'is-shop', 'ecommerce');
        hospital = await tokenFor(t, 'source', 'is-hospital');
        await importSubjects({
          ctx: t.platform.ctx({ id: 'operator:test', role: 'operator' }, 'test'),
          input: { lines: [{ line: 1, value: { kind: 'organization', uscc: ORG, name: '某某诊所' } }] },
        });
        // The clinic's own source vouches for the clinic (an own-name kind: issue 16); the shop is a
        // marketplace and vouches for the organizations that sell through it.
        const set = await t.app.inject({
          method: 'PATCH',
          url: '/v1/sources/is-hospital',
          headers: { authorization: `Bearer ${t.operator}`, 'x-purpose': 'test' },
          payload: { organization: ORG },
        });
        expect(set.statusCode, set.body).toBe(200);
      });
      afterAll(async () => t.close());

      it('takes an operator’s `?source=CODE`, as records do, or the body field `source`', async () => {
        const byQuery = await call('POST', '/v1/interactions?source=is-hospital', t.operator, one);
        expect(byQuery.status, byQuery.text).toBe(201);
        expect(byQuery.body.token).toMatch(/^cit_/);
        const byBody = await call('POST', '/v1/interactions', t.operator, { ...one, source: 'is-shop' });
        expect(byBody.status, byBody.text).toBe(201);
        // A batch too, and both ways at once when they agree.
        const batch = await call('POST', '/v1/interactions?source=is-shop', t.operator, {
          source: 'is-shop',
          interactions: [one, one],
        });
        expect(batch.status, batch.text).toBe(201);
        expect(batch.body.tokens).toHaveLength(2);
      });

      it('says how to name it in HTTP’s words when an operator names none', async () => {
        const r = await call('POST', '/v1/interactions', t.operator, one);
        expect(r.status, r.text).toBe(400);
        expect(r.body.error.message).toBe(
          'name the source that served: `?source=CODE` or body field `source`',
        );
        expect(r.body.error.message).not.toContain('--source');
        expect(r.body.error.issues).toEqual([{ field: 'querystring.source', message: 'required' }]);
      });

      it('refuses a source named two different ways, and issues nothing', async () => {
        const r = await call('POST', '/v1/interactions?source=is-hospital', t.operator, {
          source: 'is-shop',
          interactions: [one],
        });
        expect(r.status, r.text).toBe(400);
        expect(r.body.error.message).toBe(
          'the source is named twice, differently: ?source="is-hospital" and body field `source` "is-shop": name it once',
        );
        expect(r.body.error.issues).toEqual([
          { field: 'querystring.source', message: 'differs from body.source' },
        ]);
      });

      it('lets a source name itself, and no other', async () => {
        const own = await call('POST', '/v1/interactions?source=is-hospital', hospital, one);
        expect(own.status, own.text).toBe(201);
        const other = await call('POST', '/v1/interactions?source=is-shop', hospital, one);
        expect(other.status, other.text).toBe(403);
        expect(other.body.error.message).toBe(
          'a source issues tokens for its own services only (you are is-hospital)',
        );
      });

      it('documents `?source=` in the OpenAPI document', async () => {
        const doc = (await t.app.inject({ url: '/openapi.json' })).json();
        const params = doc.paths['/v1/interactions'].post.parameters as { name: string; in: string }[];
        expect(params).toContainEqual(expect.objectContaining({ name: 'source', in: 'query' }));
      });
    },
  );
}
